"""Cable Archive: a relational archive of diplomatic cables."""

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

__version__ = "0.1.0"


def parser_build() -> str:
    """How this install's parser runs: "compiled by mypyc" (built with ARCHIVE_MYPYC=1) or "interpreted".

    A compiled module is imported before the source beside it, so the file there decides.
    """
    folder = Path(__file__).with_name("parse")
    compiled = any((folder / f"__init__{suffix}").exists() for suffix in EXTENSION_SUFFIXES)
    return "compiled by mypyc" if compiled else "interpreted"
