"""What a load did: counts, the rejected inputs with their messages, and how long it took."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from archive.cable import input_label


@dataclass(frozen=True, slots=True)
class Problem:
    """One rejected input: where it is and why it was kept aside."""

    name: str
    location: str | None
    message: str
    line: int | None = None

    @property
    def label(self) -> str:
        return input_label(self.name, self.location)

    def __str__(self) -> str:
        """``FILE[:record N][ line L]: message`` — the one-line error the CLI prints."""
        where = f" line {self.line}" if self.line else ""
        return f"{self.label}{where}: {self.message}"


@dataclass(slots=True)
class LoadSummary:
    """Counts of a load. ``loaded`` inputs were new bytes stored; ``unchanged`` were already stored."""

    documents: int = 0
    loaded: int = 0
    unchanged: int = 0
    new_cables: int = 0
    new_versions: int = 0
    # Cables this load left under a provisional id (no year in the text), and provisional cables
    # merged into the cable with their full id (archive.parse.provisional).
    provisional_ids: int = 0
    provisional_merged: int = 0
    rejected: list[Problem] = field(default_factory=list)
    # Inputs left out that are not errors, each reported: documents that are rightly not cables (FRUS
    # memoranda, editorial notes) and entries of a folder (hidden, a link to a folder already read, a pipe).
    skipped: list[Problem] = field(default_factory=list)
    bytes_read: int = 0
    elapsed: float = 0.0
    # Seconds spent in each stage of the load, in the order they ran (where a slow load spends its time).
    phases: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[phase] = self.phases.get(phase, 0.0) + time.perf_counter() - started

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def cables_per_second(self) -> float:
        return self.documents / self.elapsed if self.elapsed else 0.0

    def as_row(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "loaded": self.loaded,
            "unchanged": self.unchanged,
            "new_cables": self.new_cables,
            "new_versions": self.new_versions,
            "rejected": len(self.rejected),
            "skipped": len(self.skipped),
            "provisional_ids": self.provisional_ids,
            "provisional_merged": self.provisional_merged,
            "megabytes": round(self.bytes_read / 1e6, 1),
            "seconds": round(self.elapsed, 2),
            "cables_per_second": round(self.cables_per_second, 1),
            "phase_seconds": {phase: round(seconds, 2) for phase, seconds in self.phases.items()},
        }

    def line(self) -> str:
        """The one-line summary printed when not on a terminal."""
        return (
            f"loaded {self.loaded}, unchanged {self.unchanged}, rejected {len(self.rejected)}"
            f"{f', skipped {len(self.skipped)} (not cables)' if self.skipped else ''} "
            f"({self.new_cables} new cables, {self.new_versions} new versions{self._provisional()}) "
            f"from {self.documents} inputs, {self.bytes_read / 1e6:.1f} MB in {self.elapsed:.1f} s "
            f"({self.cables_per_second:.0f} cables/s)"
        )

    def _provisional(self) -> str:
        """``, 2 provisional ids, 1 merged`` when the load met provisional ids, else nothing."""
        if not (self.provisional_ids or self.provisional_merged):
            return ""
        return f", {self.provisional_ids} provisional ids, {self.provisional_merged} merged into their full id"
