"""Fixtures for the source tests: example paths, and a builder of ``cables.csv`` dumps from real pages.

No ``cables.csv`` is in the shared corpus, so tests build one from real cablegate pages in the
dump's own shape: eight double-quoted columns, no header row, ``M/D/YYYY H:MM`` creation
times in UTC, referenced ids joined by ``|``, header and body with their newlines, paragraph
signs ``¶`` as the dump prints them, quotes escaped ``\\"`` (MySQL, as the original) or ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.sources.html import parse_page

EXAMPLE_CABLES = Path(__file__).resolve().parents[2] / "examples" / "cables"

# Pages the example dump (examples/cables/cables.csv) is built from, relative to the corpus.
EXAMPLE_DUMP_PAGES: tuple[str, ...] = (
    "MarkChips-cablegate-search-app/test-set/1966/12/66BUENOSAIRES2481.html",
    "MarkChips-cablegate-search-app/test-set/1972/08/72TEHRAN5055.html",
    "MarkChips-cablegate-search-app/test-set/1975/11/7575LIBREVILLE1895.html",
    "chillicoder-cablegate/cable/2008/07/08LONDON1991.html",
    "chillicoder-cablegate/cable/2009/05/09BEIJING1247.html",
    "gabrielduque-wikileaks-mirror-jp/cable/2009/01/09ASHGABAT86.html",
)
# The dump's referenced-ids column for those cables (the site pages do not show it).
EXAMPLE_DUMP_REFERENCES: Mapping[str, tuple[str, ...]] = {
    "08LONDON1991": ("08LONDON1939", "08LONDON1704"),
    "09ASHGABAT86": ("08ASHGABAT1487",),
}

_DATE_TIME_GROUP = re.compile(r"\b(\d{2})(\d{2})(\d{2})Z\s*([A-Z]{3})\s*(\d{2})\b")


def _created(header: str, published: datetime | None, released: datetime | None) -> datetime:
    """The dump's (exact) creation time: the site's before Aug 2011 has wrong minutes."""
    if published is not None and released is not None and released >= datetime(2011, 8, 1, tzinfo=UTC):
        return published
    match = _DATE_TIME_GROUP.search(header)
    assert match, "a page without a date-time group cannot go into a dump fixture"
    day, hour, minute, month, year = match.groups()
    return datetime.strptime(f"{day} {hour}{minute} {month} {year}", "%d %H%M %b %y").replace(tzinfo=UTC)


def _quoted(value: str, quoting: str) -> str:
    if quoting == "backslash":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"' + value.replace('"', '""') + '"'


def build_cables_csv(
    pages: Iterable[Path],
    quoting: str = "backslash",
    references: Mapping[str, tuple[str, ...]] = EXAMPLE_DUMP_REFERENCES,
    first_row: int = 1,
) -> bytes:
    """A ``cables.csv`` dump of the given cablegate pages, one record per page."""
    records = []
    for row, page_path in enumerate(pages, start=first_row):
        page = parse_page(page_path.read_bytes(), paragraph_signs=True)
        meta = page.metadata
        assert meta.reference_id and meta.origin and meta.classification
        created = _created(page.header, meta.created, meta.released)
        columns = [
            str(row),
            f"{created.month}/{created.day}/{created.year} {created.hour}:{created.minute:02d}",
            meta.reference_id,
            meta.origin,
            meta.classification,
            "|".join(references.get(meta.reference_id, ())),
            page.header,
            page.body,
        ]
        records.append(",".join(_quoted(column, quoting) for column in columns) + "\n")
    return "".join(records).encode("utf-8")


@pytest.fixture(scope="session")
def cables_csv_builder() -> Callable[..., bytes]:
    return build_cables_csv


@pytest.fixture(scope="session")
def example_cables() -> Path:
    return EXAMPLE_CABLES


@pytest.fixture(scope="session")
def example_dump_pages(corpus_dir: Path) -> list[Path]:
    """The corpus pages examples/cables/cables.csv is built from."""
    return [corpus_dir / page for page in EXAMPLE_DUMP_PAGES]


@pytest.fixture(scope="module")
def exports(corpus_dir: Path) -> Path:
    """The third-party re-exports of ../shared/corpus-forms/json-exports (skipped when absent)."""
    folder = corpus_dir.parent / "corpus-forms" / "json-exports"
    if not folder.is_dir():
        pytest.skip(f"the shared exports are not at {folder}")
    return folder
