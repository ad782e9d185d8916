"""setuptools' build backend, asking for mypy when ARCHIVE_MYPYC=1 asks for a compiled parser (setup.py).

An editable install is refused with it: the compiled modules would sit beside the sources and be
imported instead of them, so an edit to the parser would not run until the next build.
"""

from __future__ import annotations

import os

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403 (the backend's other hooks, as setuptools has them)

# The mypy whose mypyc the compiled parser is tested with (tests/test_compiled.py).
MYPYC = "mypy==2.4.1"


def compiling() -> bool:
    return os.environ.get("ARCHIVE_MYPYC") == "1"


def get_requires_for_build_wheel(config_settings: dict | None = None) -> list[str]:
    if compiling():  # setuptools' own hook runs setup.py, which needs mypyc there already
        return [MYPYC]
    return build_meta.get_requires_for_build_wheel(config_settings)


def build_editable(
    wheel_directory: str, config_settings: dict | None = None, metadata_directory: str | None = None
) -> str:
    if compiling():
        raise SystemExit(
            "error: ARCHIVE_MYPYC=1 builds a compiled parser for `pip install .`, not an editable install "
            "(its compiled modules would shadow the sources you edit)"
        )
    return build_meta.build_editable(wheel_directory, config_settings, metadata_directory)
