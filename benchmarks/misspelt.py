"""Misspelt-query benchmark: the trigram fallback under each set of similarity steps, on many misspellings.

Run on a loaded archive (``benchmarks/load.py --keep`` prints its URL; not part of the test suite):

    .venv/bin/python benchmarks/misspelt.py --queries-on postgresql://…/bench_…
    .venv/bin/python benchmarks/misspelt.py --queries-on … --words 60 --seed 2 --steps 0.8,0.7 --steps ''

``load.py`` times one misspelling (``goverment``); the steps ``reporting.similar_subjects`` tries
before pg_trgm's threshold pay off or not depending on the word, so this one takes the archive's
most frequent subject words of five letters or more (counted in a tenth of the subjects), misspells each one edit away four ways (a
letter dropped, two swapped, one replaced, one added; seeded), keeps the misspellings the text
search matches nothing for (those the fallback answers), and calls the function for each under
every set of steps given: ms per call (the best of three after a warm-up), their total, p50 and
p95. Every set must return the same rows (the steps choose the way, never the result): a
misspelling where they differ is printed and the run exits non-zero.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
from typing import Any

from load import describe_machine, percentile, timings
from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.db.session import session_scope
from archive.query.filters import CableFilter
from archive.query.search import ranked, similar_subjects

DEFAULT_STEPS = ("0.8,0.7", "0.7", "")  # before migration 0023, since, none
EDITS = ("drop", "swap", "replace", "add")
RUNS = 3
FREQUENT_WORDS = text("""
SELECT word FROM (
    SELECT regexp_split_to_table(lower(subject), '[^a-z]+') AS word
    FROM cables TABLESAMPLE SYSTEM (:sample) REPEATABLE (1)
) words
WHERE length(word) >= 5 GROUP BY word ORDER BY count(*) DESC, word LIMIT :words
""")
EVERY_CABLE = CableFilter()


def misspelt(word: str, edit: str, rng: random.Random) -> str:
    """``word`` one ``edit`` away, at a position drawn by ``rng`` (never its first letter)."""
    at = rng.randrange(1, len(word) - 1)
    if edit == "drop":
        return word[:at] + word[at + 1 :]
    if edit == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    letter = rng.choice([c for c in string.ascii_lowercase if c != word[at]])
    if edit == "replace":
        return word[:at] + letter + word[at + 1 :]
    return word[:at] + letter + word[at:]


def misspellings(session: Session, words: int, seed: int, sample: float) -> list[str]:
    """Each frequent subject word misspelt every way of ``EDITS``, where the text search (as ``archive
    search`` ranks it) matches nothing.

    The words are counted in ``sample`` percent of the subjects' pages (a seeded sample).
    """
    rng = random.Random(seed)
    frequent = session.execute(FREQUENT_WORDS, {"sample": sample, "words": words}).scalars()
    candidates = dict.fromkeys(misspelt(word, edit, rng) for word in frequent for edit in EDITS)
    return [query for query in candidates if not ranked(session, query, EVERY_CABLE, 1)]


def timed_call(session: Session, query: str, steps: str) -> tuple[float, list[Any]]:
    """The best of ``RUNS`` calls' milliseconds (after a warm-up), and the rows returned."""
    thresholds = [float(step) for step in steps.split(",") if step]
    rows: list[Any] = []

    def call() -> None:
        rows[:] = similar_subjects(session, query, EVERY_CABLE, 20, thresholds)

    return timings(call, RUNS)[0], rows


def compare(url: str, words: int, seed: int, sample: float, step_sets: list[str]) -> bool:
    """Print each set of steps' times over the misspellings; False if any two sets differ in rows."""
    with session_scope(url) as session:
        queries = misspellings(session, words, seed, sample)
        print(f"{len(queries)} misspellings of the {words} most frequent subject words, e.g. {', '.join(queries[:6])}")
        times: dict[str, list[float]] = {steps: [] for steps in step_sets}
        same = True
        for query in queries:
            results = {}
            for steps in step_sets:
                milliseconds, results[steps] = timed_call(session, query, steps)
                times[steps].append(milliseconds)
            if len({tuple(rows) for rows in results.values()}) > 1:
                print(f"{query!r}: the steps return different rows", file=sys.stderr)
                same = False
    for steps, samples in times.items():
        samples.sort()
        print(
            f"steps {{{steps}}}: total {sum(samples):,.0f} ms, mean {statistics.mean(samples):.1f}, "
            f"p50 {percentile(samples, 0.5):.1f}, p95 {percentile(samples, 0.95):.1f}, max {max(samples):.1f}"
        )
    return same


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries-on", metavar="DATABASE_URL", required=True, help="a loaded archive")
    parser.add_argument("--words", type=int, default=50, help="frequent subject words to misspell")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=float, default=10, help="percent of the subjects' pages counted for words")
    parser.add_argument(
        "--steps", action="append", help="a set of thresholds, comma-separated, '' for none (repeatable)"
    )
    args = parser.parse_args(argv)
    print(describe_machine())
    if not compare(args.queries_on, args.words, args.seed, args.sample, args.steps or list(DEFAULT_STEPS)):
        sys.exit(1)


if __name__ == "__main__":
    main()
