"""The README's Python examples run against the loaded sample, and print what the README says they print."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
# A ```python block, and the ```text block right after it (its output), when there is one.
EXAMPLE = re.compile(r"```python\n(?P<code>.*?)```\n(?:\n```text\n(?P<output>.*?)```\n)?", re.S)
EXAMPLES = [(match["code"], match["output"]) for match in EXAMPLE.finditer(README.read_text())]


def test_the_readme_has_python_examples() -> None:
    assert len(EXAMPLES) >= 3
    assert all(output is not None for _, output in EXAMPLES), "every Python example shows its output"


@pytest.mark.parametrize(("code", "output"), EXAMPLES, ids=[f"example-{n}" for n in range(1, len(EXAMPLES) + 1)])
def test_readme_python_example(
    code: str, output: str | None, loaded_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", loaded_database)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})
    if output is not None:
        assert printed.getvalue() == output
