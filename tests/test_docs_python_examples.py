"""The Python examples of the README and docs/python-api.md run against the loaded sample, and print
what the text says they print."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = (REPO_ROOT / "README.md", REPO_ROOT / "docs" / "python-api.md")
# A ```python block, and the ```text block right after it (its output), when there is one.
EXAMPLE = re.compile(r"```python\n(?P<code>.*?)```\n(?:\n```text\n(?P<output>.*?)```\n)?", re.S)
EXAMPLES = [
    (document, match["code"], match["output"])
    for document in DOCUMENTS
    for match in EXAMPLE.finditer(document.read_text())
]


def test_each_document_has_python_examples_with_their_output() -> None:
    assert {document for document, _, _ in EXAMPLES} == set(DOCUMENTS)
    assert len(EXAMPLES) >= 4
    assert all(output is not None for _, _, output in EXAMPLES), "every Python example shows its output"


@pytest.mark.parametrize(
    ("document", "code", "output"),
    EXAMPLES,
    ids=[f"{document.name}-{n}" for n, (document, _, _) in enumerate(EXAMPLES, start=1)],
)
def test_python_example(
    document: Path, code: str, output: str | None, loaded_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", loaded_database)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(document), "exec"), {"__name__": "docs_example"})
    if output is not None:
        assert printed.getvalue() == output
