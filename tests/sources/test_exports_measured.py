"""The re-exports of ../shared/corpus-forms/json-exports, measured against their own fields.

Every record of the JSON exports is accepted; the id, date, classification and origin the
archive stores are the export's own where those are not shifted (every ``_id`` of these
exports is shifted: the id comes from the banner and the export's date). The numbers are the
ones docs/sources.md reports.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from archive.cable import Document, InputError
from archive.parse import parse
from archive.sources import read_paths

pytestmark = pytest.mark.corpus

JSON_EXPORTS = (
    "delhi.json",
    "Wikileaks_Processing/Embassy_Baghdad03-06.jsonl",
    "Wikileaks_Processing/Embassy_Islamabad06-08.badescapes.jsonl",
    "Wikileaks_Processing/Embassy_Islamabad90-95.badescapes.jsonl",
)


def test_every_json_record_is_stored_with_the_exports_date_origin_and_level(exports: Path) -> None:
    counts: Counter[str] = Counter()
    for name in JSON_EXPORTS:
        for item in read_paths([str(exports / name)]):
            assert isinstance(item, Document), item
            try:
                cable = parse(item)
            except InputError as error:  # pragma: no cover - the message is the diagnosis
                raise AssertionError(f"{item.label}: {error.message}") from error
            assert item.metadata is not None and cable.reference_id
            counts["records"] += 1
            counts["full id"] += not cable.reference_id.startswith("PROVISIONAL-")
            counts["date"] += cable.created == item.metadata.created
            counts["origin"] += cable.origin == item.metadata.origin
            counts["classification"] += cable.classification == item.metadata.classification
    assert counts["records"] == counts["full id"] == counts["date"] == counts["origin"] == 1141
    # The rest: the export drops a NOFORN the flattened text prints after the banner, or calls
    # SENSITIVE BUT UNCLASSIFIED text UNCLASSIFIED.
    assert counts["classification"] >= 1113
