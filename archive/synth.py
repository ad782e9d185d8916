"""Synthetic cables with the statistics of the real release, for benchmarks at Cablegate scale.

``learn(corpus_dir)`` parses a corpus of real cables and keeps only distributions — body
sizes, classification mix, stations, TAGS vocabulary, addressees, REF and paragraph counts,
portion marks, how often page breaks, section markers and damaged forms occur, word
frequencies and the most frequent pairs of adjacent words — in a small JSON model
(``synth_model.json`` in this package, made with ``python -m archive.synth ../shared/corpus``).
``write_csv`` / ``write_files`` generate telegrams from it: deterministic for a seed, each
cable from its own random stream, REF lines citing other generated cables, and the text shaped
like the real thing so that the same parser reads it.

Words are drawn as a chain: after a word, the next one follows one of its learned successors
as often as it does in the corpus (``government`` after ``host``, ``rights`` after ``human``)
and is otherwise drawn by frequency alone. Drawn independently, the words of two-word queries
never stood together, unlike in real text, so synthetic search benchmarks measured a text no
one searches (docs/performance.md gives numbers on both).
"""

from __future__ import annotations

import bisect
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("synth_model.json")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
BANNERS = {
    "TOP SECRET": "TOP SECRET",
    "SECRET": "SECRET",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "LIMITED OFFICIAL USE": "LIMITED OFFICIAL USE",
    "SENSITIVE BUT UNCLASSIFIED": "UNCLAS",
    "UNCLASSIFIED": "UNCLASSIFIED",
}
PRECEDENCE_LETTERS = {"FLASH": "Z", "IMMEDIATE": "O", "PRIORITY": "P", "ROUTINE": "R"}
SECURITY_LETTERS = {"TOP SECRET": "T", "SECRET": "S", "CONFIDENTIAL": "C", "LIMITED OFFICIAL USE": "E"}
RELEASE_MEAN_BODY = 6_000  # characters of body; with the header, ~1.7 GB for 251,287 cables
LONG_TAIL_SHARE = 0.001  # cables past 100 KB
WORD_PAIRS = 12_000  # the most frequent pairs of adjacent words kept in the model
# What the synthetic text is made by; benchmarks cache their inputs under it (a new one makes new inputs).
TEXT_VERSION = "pairs"
PRECEDENCE_TYPOS = ("PIORITY", "PRIOITY", "IMMEDIAT")
_CANONICAL = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")
_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_PAGE_BREAK = re.compile(r"^\s*[A-Z][A-Z ]+ \d{8}\s+\d{3}(?:\.\d)? OF \d{3}\s*$", re.MULTILINE)
_SECTION = re.compile(r"SECTION \d+ OF \d+")
_SPACED_BANNER = re.compile(r"^\s*(?:[A-Z] ){5,}", re.MULTILINE)


# -- learning ---------------------------------------------------------------------------


# Distributions learned from the corpus and drawn from as they are (markings are drawn per level).
DRAWN = (
    "classification",
    "station",
    "tag",
    "tags_per_cable",
    "to",
    "info",
    "to_count",
    "info_count",
    "refs_per_cable",
    "year",
    "precedence",
    "word",
    "signer",
)


def learn(corpus_dir: Path) -> dict[str, Any]:
    """Distributions of the cables under ``corpus_dir``, as the JSON-ready model ``generate`` reads."""
    from archive.cable import Document
    from archive.parse import parse
    from archive.sources import read_paths

    body_sizes: list[int] = []
    paragraph_sizes: list[int] = []
    counts: dict[str, Counter[Any]] = {key: Counter() for key in (*DRAWN, "marking", "pair")}
    flags = Counter[str]()
    seen = 0
    for document in read_paths([str(corpus_dir)]):
        if not isinstance(document, Document):
            continue
        try:
            cable = parse(document)
        except ValueError:
            continue
        seen += 1
        text = document.text
        body_sizes.append(len(cable.body))
        counts["classification"][f"{cable.level}|{'NOFORN' if 'NOFORN' in cable.caveats else ''}"] += 1
        match = _CANONICAL.match(cable.canonical_id or "")
        if match and cable.station and cable.origin:
            printed = _printed_station(text, match[2], match[3]) or match[2]
            counts["station"][f"{cable.station}|{cable.origin}|{match[2]}|{printed}"] += 1
        for tag in cable.tags:
            counts["tag"][f"{tag.code}|{tag.kind}"] += 1
        counts["tags_per_cable"][len(cable.tags)] += 1
        for role in ("TO", "INFO"):
            chosen = [r for r in cable.recipients if r.role == role]
            counts[f"{role.lower()}_count"][len(chosen)] += 1
            for recipient in chosen:
                counts[role.lower()][f"{recipient.name}|{recipient.routing or ''}"] += 1
        counts["refs_per_cable"][len(cable.references)] += 1
        if cable.created:
            counts["year"][cable.created.year] += 1
        counts["precedence"][cable.precedence or ""] += 1
        counts["signer"].update(cable.signers[:1])
        for paragraph in cable.paragraphs:
            paragraph_sizes.append(len(paragraph.text))
            counts["marking"][f"{cable.level}|{paragraph.marking or ''}"] += 1
            words = _WORD.findall(paragraph.text)
            counts["word"].update(words)
            counts["pair"].update(f"{first} {second}" for first, second in pairwise(words))
        flags["page_break"] += bool(_PAGE_BREAK.search(text))
        flags["section"] += bool(_SECTION.search(text))
        flags["spaced_banner"] += bool(_SPACED_BANNER.search(cable.body))
        flags["no_subject"] += cable.subject is None
        flags["partial"] += cable.partial
        flags["header"] += bool(cable.header.strip())
    return {
        "learned_from": f"{seen} cables",
        "body_size_quantiles": _quantiles(body_sizes, 200),
        "paragraph_size_quantiles": _quantiles(paragraph_sizes, 50),
        "shares": {key: round(value / seen, 4) for key, value in sorted(flags.items())},
        **{key: _top(counter, 3000 if key == "word" else 600) for key, counter in counts.items() if key != "pair"},
        "word_pairs": _word_pairs(counts["pair"], {word for word, _ in counts["word"].most_common(3000)}),
    }


def _word_pairs(pairs: Counter[str], vocabulary: set[str]) -> list[list[Any]]:
    """The most frequent ``first second`` pairs of adjacent words, both in the vocabulary drawn from."""
    kept = Counter({pair: count for pair, count in pairs.items() if set(pair.split(" ")) <= vocabulary})
    return _top(kept, WORD_PAIRS)


def _printed_station(text: str, compact: str, serial: str) -> str | None:
    """How the banner prints the station of the id: ``NEW DELHI`` for ``NEWDELHI``."""
    for match in re.finditer(rf"([A-Z][A-Z ]*?) 0*{serial}\b", text):
        words = match[1].split()
        for start in range(len(words)):
            candidate = " ".join(words[start:])
            if candidate.replace(" ", "") == compact:
                return candidate
    return None


def _quantiles(values: Sequence[int], points: int) -> list[int]:
    ordered = sorted(values)
    return [ordered[min(len(ordered) - 1, round(i * (len(ordered) - 1) / points))] for i in range(points + 1)]


def _top(counter: Counter[Any], limit: int) -> list[list[Any]]:
    return [[key, count] for key, count in counter.most_common(limit)]


# -- generating -------------------------------------------------------------------------


class _Choice:
    """Weighted choice from learned ``[[value, count], ...]`` pairs."""

    def __init__(self, pairs: Sequence[Sequence[Any]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(count for _, count in pairs))

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(frozen=True)
class SyntheticCable:
    number: int
    reference_id: str
    created: datetime
    origin: str
    classification: str
    cited: tuple[str, ...]
    header: str
    body: str

    @property
    def text(self) -> str:
        return f"{self.header}\n\n{self.body}" if self.header else self.body


class Generator:
    """Makes cable number ``i`` of a run from ``seed``, independently of every other cable."""

    def __init__(self, count: int, seed: int = 0, model: dict[str, Any] | None = None) -> None:
        self.count = count
        self.seed = seed
        self.model = model or json.loads(MODEL_PATH.read_text())
        m = self.model
        self.sizes = m["body_size_quantiles"]
        self.paragraph_sizes = m["paragraph_size_quantiles"]
        self.shares: dict[str, float] = m["shares"]
        # Published web pages favour long cables: the corpus's bodies average more than the
        # release's 1.7 GB / 251,287 cables, so sizes keep the corpus's shape at the release's mean.
        corpus_mean = sum(self.sizes) / len(self.sizes)
        self.size_scale = min(1.0, RELEASE_MEAN_BODY / corpus_mean)
        self.pick = {key: _Choice(m[key]) for key in DRAWN if m.get(key)}
        by_level: dict[str, list[list[Any]]] = {}
        for key, count in m["marking"]:
            level, marking = key.split("|", 1)
            by_level.setdefault(level, []).append([marking, count])
        self.markings: dict[str, _Choice] = {level: _Choice(pairs) for level, pairs in by_level.items()}
        self.successors, self.follows = _successors(m.get("word_pairs", []), m["word"])

    def _rng(self, number: int, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}:{number}:{purpose}")

    def identity(self, number: int) -> tuple[str, str, str, str, datetime, str]:
        """(station FM line, origin, id station, printed station, created, reference id) of cable ``number``."""
        rng = self._rng(number, "identity")
        station, origin, compact, printed = self.pick["station"](rng).split("|")
        year = int(self.pick["year"](rng))
        created = datetime(year, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        serial = number + 1
        return station, origin, compact, printed, created, f"{created.year % 100:02d}{compact}{serial}"

    def cable(self, number: int) -> SyntheticCable:
        rng = self._rng(number, "cable")
        station, origin, _, printed, created, reference_id = self.identity(number)
        level, noforn = self.pick["classification"](rng).split("|")
        serial = number + 1
        damaged_case = rng.random() < self.shares.get("partial", 0.0)
        spaced = rng.random() < self.shares.get("spaced_banner", 0.0)
        sections = rng.random() < self.shares.get("section", 0.0)
        page_breaks = rng.random() < self.shares.get("page_break", 0.0)
        with_subject = rng.random() >= self.shares.get("no_subject", 0.0)
        with_header = rng.random() < self.shares.get("header", 1.0)
        precedence = self.pick["precedence"](rng) or "ROUTINE"

        banner_level = BANNERS[level]
        if spaced:
            banner_level = " ".join(banner_level.replace(" ", ""))
        body_size = self._body_size(rng)
        pages = max(1, body_size // 6000 + 1)
        section = f"SECTION 01 OF {pages:02d} " if sections and pages > 1 else ""
        banner = f"{banner_level} {section}{printed} {serial:06d}"
        if damaged_case:
            banner = f"{banner_level.capitalize()} {printed.lower()} {serial:06d}"
        lines = [banner, "", "SIPDIS", ""]
        if noforn:
            lines += ["NOFORN", ""]
        decl = created + timedelta(days=365 * 10)
        lines.append(f"E.O. 12958: DECL: {decl:%m/%d/%Y}")
        tags = [self.pick["tag"](rng).split("|")[0] for _ in range(max(1, int(self.pick["tags_per_cable"](rng))))]
        tags_line = "TAGS: " + " ".join(dict.fromkeys(tags))
        lines.append(tags_line.lower().replace("tags:", "Tags:") if damaged_case else tags_line)
        if with_subject:
            lines.append("SUBJECT: " + self._words(rng, rng.randint(4, 11)).upper())
        cited = self._references(rng, number)
        if cited:
            lines += ["", "REF: " + " ".join(f"{chr(65 + i)}. {text}" for i, (text, _) in enumerate(cited))]
        if level not in ("UNCLASSIFIED", "SENSITIVE BUT UNCLASSIFIED"):
            lines += ["", f"Classified By: Ambassador {self._name(rng)}, Reasons 1.4(b) and (d)"]
        lines.append("")
        paragraphs = self._paragraphs(rng, level, body_size)
        text = "\n\n".join(paragraphs)
        if page_breaks and pages > 1:
            text = self._page_breaks(rng, text, printed, serial, pages)
        lines.append(text)
        lines += ["", str(self.pick["signer"](rng) or "CLINTON")]
        body = "\n".join(lines)
        header = self._header(rng, station, created, level, precedence, serial) if with_header else ""
        classification = f"{level}//NOFORN" if noforn else level
        if level == "SENSITIVE BUT UNCLASSIFIED":
            classification = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        return SyntheticCable(
            number, reference_id, created, origin, classification, tuple(c for _, c in cited), header, body
        )

    def _body_size(self, rng: random.Random) -> int:
        """The corpus's size distribution, scaled to the release's mean, plus its long tail past 100 KB."""
        if rng.random() < LONG_TAIL_SHARE:
            return rng.randrange(100_000, 300_000)
        return int(self._size(rng, self.sizes) * self.size_scale)

    def _size(self, rng: random.Random, quantiles: Sequence[int]) -> int:
        position = rng.random() * (len(quantiles) - 1)
        low = int(position)
        high = min(low + 1, len(quantiles) - 1)
        return int(quantiles[low] + (quantiles[high] - quantiles[low]) * (position - low))

    def _words(self, rng: random.Random, count: int) -> str:
        """``count`` words: each follows a learned successor of the one before as often as in the corpus."""
        drawn = [self.pick["word"](rng)]
        while len(drawn) < count:
            previous = drawn[-1]
            if previous in self.successors and rng.random() < self.follows[previous]:
                drawn.append(self.successors[previous](rng))
            else:
                drawn.append(self.pick["word"](rng))
        return " ".join(drawn[:count])

    def _name(self, rng: random.Random) -> str:
        return " ".join(word.capitalize() for word in self._words(rng, 2).split())

    def _references(self, rng: random.Random, number: int) -> list[tuple[str, str]]:
        wanted = int(self.pick["refs_per_cable"](rng))
        cited = []
        for _ in range(min(wanted, self.count - 1)):
            other = rng.randrange(self.count)
            if other == number:
                continue
            _, _, _, printed, created, reference_id = self.identity(other)
            cited.append((f"{created.year % 100:02d} {printed} {other + 1}", reference_id))
        return cited

    def _paragraphs(self, rng: random.Random, level: str, body_size: int) -> list[str]:
        marking = self.markings.get(level) or next(iter(self.markings.values()))
        paragraphs: list[str] = []
        written = 0
        while written < body_size or not paragraphs:
            size = max(40, min(self._size(rng, self.paragraph_sizes), body_size - written))
            words = self._words(rng, max(5, size // 7))
            words = words[0].upper() + words[1:]
            mark = marking(rng)
            number = len(paragraphs) + 1
            paragraphs.append(f"{number}. {'(' + mark + ') ' if mark else ''}{_wrap(words)}.")
            written += len(words)
        return paragraphs

    def _page_breaks(self, rng: random.Random, text: str, printed: str, serial: int, pages: int) -> str:
        lines = text.split("\n")
        for page in range(pages, 1, -1):  # from the end, so earlier positions stay valid
            at = rng.randrange(1, len(lines)) if len(lines) > 1 else 1
            lines[at:at] = ["", f"{printed} {serial:08d}  {page:03d} OF {pages:03d}", ""]
        return "\n".join(lines)

    def _header(
        self, rng: random.Random, station: str, created: datetime, level: str, precedence: str, serial: int
    ) -> str:
        letter = PRECEDENCE_LETTERS.get(precedence, "R")
        printed_precedence = rng.choice(PRECEDENCE_TYPOS) if rng.random() < 0.002 else precedence
        security = SECURITY_LETTERS.get(level, "U") * 5
        lines = [
            f"VZCZCXRO{rng.randrange(10000):04d}",
            f"{letter}{letter} RUEHC",
            f"DE RUEH{rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}{rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')} "
            f"#{serial % 10000:04d}/01 {created.timetuple().tm_yday:03d}{created:%H%M}",
            f"ZNY {security} ZZH",
            f"{letter} {created:%d%H%M}Z {MONTHS[created.month - 1]} {created:%y}",
            f"FM {station}",
        ]
        for role in ("TO", "INFO"):
            for position in range(int(self.pick[f"{role.lower()}_count"](rng))):
                name, routing = self.pick[role.lower()](rng).split("|")
                prefix = role if position == 0 else ""
                address = f"{routing}/{name}" if routing else name
                lines.append(f"{prefix} {address} {printed_precedence} {rng.randrange(10000):04d}".strip())
        lines.append("BT")
        return "\n".join(lines)


def _successors(
    pairs: Sequence[Sequence[Any]], words: Sequence[Sequence[Any]]
) -> tuple[dict[str, _Choice], dict[str, float]]:
    """Per word, a choice among its learned successors, and the share of its occurrences they follow."""
    by_first: dict[str, list[list[Any]]] = {}
    for pair, count in pairs:
        first, second = pair.split(" ")
        by_first.setdefault(first, []).append([second, count])
    occurrences = {word: count for word, count in words}
    follows = {
        first: min(1.0, sum(count for _, count in seconds) / occurrences[first]) for first, seconds in by_first.items()
    }
    return {first: _Choice(seconds) for first, seconds in by_first.items()}, follows


def _wrap(words: str, width: int = 68) -> str:
    """Break text into telegram-width lines, as the originals are."""
    lines, line = [], ""
    for word in words.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


# -- writing ----------------------------------------------------------------------------


def cables(count: int, seed: int = 0) -> Iterator[SyntheticCable]:
    generator = Generator(count, seed)
    for number in range(count):
        yield generator.cable(number)


def _csv_field(value: str) -> str:
    """A field as the MySQL dump writes it: double-quoted, quote and backslash escaped by a backslash."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def csv_record(cable: SyntheticCable) -> str:
    created = f"{cable.created.month}/{cable.created.day}/{cable.created.year} {cable.created:%H:%M}"
    fields = (
        str(cable.number + 1),
        created,
        cable.reference_id,
        cable.origin,
        cable.classification,
        "|".join(cable.cited),
        cable.header,
        cable.body,
    )
    return ",".join(_csv_field(field) for field in fields) + "\n"


def write_csv(path: Path, count: int, seed: int = 0) -> int:
    """Write ``count`` cables as a ``cables.csv`` dump; returns the bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        for cable in cables(count, seed):
            written += out.write(csv_record(cable))
    return written


def write_files(folder: Path, count: int, seed: int = 0) -> int:
    """Write ``count`` cables as one telegram text file each (``<reference id>.txt``); returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for cable in cables(count, seed):
        data = cable.text.replace("\n", "\r\n").encode("utf-8")
        (folder / f"{cable.reference_id}.txt").write_bytes(data)
        written += len(data)
    return written


if __name__ == "__main__":  # python -m archive.synth ../shared/corpus
    learned = learn(Path(sys.argv[1]))
    MODEL_PATH.write_text(json.dumps(learned, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size:,} bytes, {learned['learned_from']})")
