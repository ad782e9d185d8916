"""The build's one addition to pyproject.toml: the parser compiled by mypyc, when ARCHIVE_MYPYC=1 asks for it.

What the parse workers run is compiled: the parser (``archive/parse``) and the staging rows'
binary encoder. ``archive/cable.py`` stays interpreted: the worker pool pickles its documents,
and mypyc's frozen dataclasses refuse to be unpickled. See docs/install.md for the build and
build_backend.py for why an editable install is never compiled.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup

COMPILED = [*sorted(str(path) for path in Path("archive/parse").glob("*.py")), "archive/load/binary_copy.py"]


def extensions() -> list:
    if os.environ.get("ARCHIVE_MYPYC") != "1":
        return []
    from mypyc.build import mypycify

    # Modules the compiled ones import are type-checked, not compiled; their errors are not the build's.
    return mypycify(["--follow-imports=silent", *COMPILED], opt_level="3")


setup(ext_modules=extensions())
