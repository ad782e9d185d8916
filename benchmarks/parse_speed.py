"""Parser speed: CPU time of ``archive.parse.parse`` per cable over a folder of cables.

Usage: ``.venv/bin/python benchmarks/parse_speed.py [PATH] [--rounds N]`` (PATH defaults to the
shared corpus). Reading the sources is not timed; the best of N rounds is reported, with the
time the whole Cablegate release (251,287 cables) would take on two cores at that rate.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

from archive.cable import Document, InputError
from archive.parse import parse
from archive.sources import read_paths

CABLEGATE_CABLES = 251_287
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    arguments.add_argument("--rounds", type=int, default=3)
    options = arguments.parse_args()
    documents = [item for item in read_paths([options.path], None) if isinstance(item, Document)]
    best = float("inf")
    for _ in range(options.rounds):
        started = time.process_time()
        for document in documents:
            with contextlib.suppress(InputError):  # rejected inputs cost time too
                parse(document)
        best = min(best, time.process_time() - started)
    per_cable = best / len(documents)
    print(f"{len(documents)} documents, best of {options.rounds} rounds: {per_cable * 1000:.2f} ms CPU per cable")
    print(f"Cablegate ({CABLEGATE_CABLES:,} cables) on 2 cores: {per_cable * CABLEGATE_CABLES / 2 / 60:.1f} min")


if __name__ == "__main__":
    main()
