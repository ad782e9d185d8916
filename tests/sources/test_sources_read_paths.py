"""read_paths: files, folders, standard input, format detection, and bad inputs that never stop a read."""

from __future__ import annotations

import io
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from archive.cable import Document, Rejection
from archive.sources import FORMATS, UnknownFormatError, detect_format, read_paths


def kinds(items: list[Document | Rejection]) -> Counter[str]:
    return Counter(item.format if isinstance(item, Document) else "rejected" for item in items)


def test_every_format_is_in_the_table_of_formats_users_read() -> None:
    table = (Path(__file__).resolve().parents[2] / "docs" / "loading.md").read_text(encoding="utf-8")
    documented = {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([a-z-]+)`", line.split(" | ")[0])
    }

    assert set(FORMATS) <= documented, set(FORMATS) - documented


def test_examples_folder_reads_completely(examples_dir: Path) -> None:
    items = list(read_paths([str(examples_dir)]))
    assert kinds(items) == {"html": 29, "csv": 6, "text": 5, "pdf": 3, "webtext": 1, "scan": 1}
    names = [item.name for item in items]
    # Sorted walk: the seeds first, then examples/cables/… in path order.
    assert names[0].endswith("000_cfe706be70c9082a.txt") and names[1].endswith("002_756b422504c41c6c.txt")
    files = list(dict.fromkeys(names))
    assert files == [str(path) for path in sorted(map(Path, files))]
    assert [item.label for item in items] == [item.label for item in read_paths([str(examples_dir)])]


def test_detection_by_content(examples_dir: Path) -> None:
    cables = examples_dir / "cables"
    page = (cables / "chillicoder-cablegate/cable/2009/05/09BEIJING1247.html").read_bytes()
    pdf = (cables / "paul-mathieu-cablegate-cia-analysis/cablegate/00ATHENS1501.pdf").read_bytes()
    assert detect_format(page) == "html"
    assert detect_format(pdf) == "pdf"
    assert detect_format((cables / "cables.csv").read_bytes()) == "csv"
    assert detect_format((examples_dir / "000_cfe706be70c9082a.txt").read_bytes()) == "webtext"
    assert detect_format((examples_dir / "002_756b422504c41c6c.txt").read_bytes()) == "scan"


def test_input_format_overrides_detection_09STATE53069(examples_dir: Path) -> None:
    (document,) = read_paths([str(examples_dir / "000_cfe706be70c9082a.txt")], input_format="text")
    assert isinstance(document, Document)
    assert document.format == "text" and document.metadata is None
    assert document.text.startswith("Identifier\nCreated\n")


def test_unknown_input_format_is_refused() -> None:
    with pytest.raises(UnknownFormatError, match="unknown input format 'docx'"):
        list(read_paths(["x"], input_format="docx"))


def test_standard_input_09STATE53069(examples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (examples_dir / "000_cfe706be70c9082a.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    (document,) = read_paths(["-"])
    assert isinstance(document, Document)
    assert document.name == "-" and document.raw == raw and document.format == "webtext"


def test_dump_on_standard_input(examples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (examples_dir / "cables" / "cables.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    items = list(read_paths(["-"]))
    assert [item.label for item in items][:2] == ["-:record 1 (line 1)", "-:record 2 (line 115)"]
    assert b"".join(item.raw for item in items) == raw


def test_bad_inputs_are_rejected_and_reading_goes_on(examples_dir: Path, tmp_path: Path) -> None:
    cables = examples_dir / "cables"
    page = (cables / "chillicoder-cablegate/cable/2009/05/09BEIJING1247.html").read_bytes()
    bad = {
        "a_empty.txt": b"",
        "b_blank.txt": b" \n\t\n",
        "c_binary.dat": bytes(range(256)) * 4,
        "d_unrelated.txt": b"Minutes of the allotment society, 3 May.\nThe tomatoes did well this year.\n",
        "e_truncated.html": page[: len(page) // 2],
        "f_undecodable.txt": b"FM AMEMBASSY PARIS\nTO SECSTATE \x81\x8d WASHDC\n",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    shutil.copy(cables / "chillicoder-cablegate/cable/2009/05/09BEIJING1247.html", tmp_path / "g_good.html")
    (tmp_path / ".hidden.txt").write_bytes(b"editor backup")
    items = list(read_paths([str(tmp_path), str(tmp_path / "missing.txt")]))
    messages = {Path(item.name).name: item.message for item in items if isinstance(item, Rejection)}
    assert messages == {
        "a_empty.txt": "empty file",
        "b_blank.txt": "blank file: only white space",
        "c_binary.dat": "binary data: not a cable page, dump, text or PDF",
        "d_unrelated.txt": (
            "unrelated text: no telegram lines (date-time group, FM/TO, TAGS, SUBJECT, classification) found"
        ),
        "e_truncated.html": "truncated HTML: the page ends before </html>",
        "f_undecodable.txt": "undecodable: not UTF-8 (byte 31) nor Windows-1252 text",
        "missing.txt": "no such file or directory",
    }
    for item in items:
        if isinstance(item, Rejection) and item.name != str(tmp_path / "missing.txt"):
            assert item.raw == bad[Path(item.name).name]  # the exact bytes are kept
    good = [item for item in items if isinstance(item, Document)]
    assert [Path(item.name).name for item in good] == ["g_good.html"]


@pytest.mark.corpus
def test_whole_corpus_reads(corpus: tuple[Document | Rejection, ...]) -> None:
    items = list(corpus)
    counts = kinds(items)
    assert counts == {"html": 2191, "text": 24, "pdf": 14, "rejected": 6}
    rejected = sorted(Path(item.name).name for item in items if isinstance(item, Rejection))
    # SOURCES.md and heuer/cablemap's subject files (out/*.txt) are not cables.
    assert rejected == [
        "07BERN881.txt",
        "08BRASILIA93.txt",
        "08REYKJAVIK195.txt",
        "08TRIPOLI220.txt",
        "10STATE284.txt",
        "SOURCES.md",
    ]
