"""The wheel, installed where no checkout is around, builds its database, loads a cable and shows it.

For speed the wheel is built without build isolation and installed without dependencies into a
new venv; a .pth file lends it this test environment's site-packages for the dependencies. That
folder holds no ``archive`` package (the editable install is a finder that the .pth does not
activate), which the test checks: the code that runs is the wheel's.

The parser compiled by mypyc (``ARCHIVE_MYPYC=1``, setup.py) is built as a user builds it and
must write the staging rows the interpreted parser writes, byte for byte, for every input of the
shared corpora; an editable install refuses to compile it.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SAMPLE = REPO_ROOT / "examples" / "000_cfe706be70c9082a.txt"  # 09STATE53069
# What a build reads besides archive/ and migrations/.
BUILD_FILES = ("pyproject.toml", "README.md", "setup.py", "build_backend.py", "MANIFEST.in")
# The wheel's files are the package's own, and the migrations mapped into it as archive.migrations.
SHIPPED_SUFFIXES = {".py", ".sql", ".json", ".mako", ".typed"}


def shipped_files() -> set[str]:
    """What the wheel must hold: every source and data file of archive/ and migrations/ in the checkout."""
    expected = set()
    for folder, prefix in ((REPO_ROOT / "archive", "archive"), (REPO_ROOT / "migrations", "archive/migrations")):
        for path in folder.rglob("*"):
            if path.suffix in SHIPPED_SUFFIXES and "__pycache__" not in path.parts:
                expected.add(f"{prefix}/{path.relative_to(folder).as_posix()}")
    return expected


def build_wheel(work: Path, *, compiled: bool = False) -> Path:
    """The wheel, built from a copy of the project's files (so the checkout gets no build/ folder).

    The plain wheel is built without build isolation, for speed; the compiled one as a user builds it
    (``ARCHIVE_MYPYC=1 pip install .``: isolated, the build fetching the mypy it asks for).
    """
    source = work / "source"
    source.mkdir()
    for name in BUILD_FILES:
        shutil.copy(REPO_ROOT / name, source / name)
    for name in ("archive", "migrations"):
        shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {key: value for key, value in os.environ.items() if key != "ARCHIVE_MYPYC"}
    if compiled:
        environment["ARCHIVE_MYPYC"] = "1"
    isolation = [] if compiled else ["--no-build-isolation"]
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", str(work), str(source)],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = work.glob("cable_archive-*.whl")
    return wheel


def install_wheel(wheel: Path, environment: Path) -> Path:
    """The bin/ folder of a new venv holding ``wheel``, with this environment's packages for its dependencies."""
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('platlib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return environment / "bin"


def module_file(bin_folder: Path, module: str) -> Path:
    """The file the venv of ``bin_folder`` imports ``module`` from, run outside the checkout without PYTHONPATH."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    printed = subprocess.run(
        [str(bin_folder / "python"), "-c", f"import {module} as m; print(m.__file__)"],
        cwd=bin_folder,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(printed.stdout.strip())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel-build"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(wheel, tmp_path_factory.mktemp("wheel-venv") / "venv")


def test_the_wheel_holds_the_package_and_its_migrations(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = shipped_files() - names
    assert not missing, f"not in the wheel (add the package or its data to pyproject.toml): {sorted(missing)}"
    assert "archive/migrations/versions/0001_initial_schema.py" in names
    assert not any(name.startswith(("migrations/", "tests/")) for name in names)


def test_the_installed_wheel_loads_and_shows_a_cable(installed: Path, empty_database: str, tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment |= {"ARCHIVE_DATABASE_URL": empty_database, "ARCHIVE_HOME": str(tmp_path / "home")}

    def archive(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(installed / "archive"), *args], cwd=tmp_path, env=environment, capture_output=True, text=True
        )

    assert module_file(installed, "archive.migrations").is_relative_to(installed.parent)

    loaded = archive("load", str(SAMPLE), "--workers", "1", "--format", "json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)[0]["new_cables"] == 1

    shown = archive("show", "09STATE53069", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    cable = json.loads(shown.stdout)
    assert (cable["reference_id"], cable["origin"]) == ("09STATE53069", "Secretary of State")


# Prints, for each input under the paths of argv, where it is and a digest of its staging rows
# (or its load error): what a parse worker hands the loading process.
STAGING_DIGESTS = """
import hashlib, sys
from archive.cable import Skipped
from archive.load.loader import default_parser
from archive.load.staging import encode, sha256_of
from archive.sources import read_paths
for seq, item in enumerate(read_paths(sys.argv[1:], input_timeout=0)):
    if not isinstance(item, Skipped):
        encoded = encode(seq, item, sha256_of(item.raw), default_parser())
        rows = repr((sorted(encoded.rows.items()), encoded.problem)).encode()
        print(item.name, item.location, hashlib.sha256(rows).hexdigest(), sep="\\t")
"""


def staging_digests(python: Path, paths: list[Path]) -> dict[tuple[str, str], str]:
    # Run from python's bin/ folder: from the checkout, `-c` would import the checkout's package.
    printed = subprocess.run(
        [str(python), "-c", STAGING_DIGESTS, *map(str, paths)],
        cwd=python.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {(name, location): digest for name, location, digest in (line.split("\t") for line in printed.splitlines())}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a venv holding the wheel built with the parser compiled."""
    wheel = build_wheel(tmp_path_factory.mktemp("compiled-build"), compiled=True)
    return install_wheel(wheel, tmp_path_factory.mktemp("compiled-venv") / "venv")


@pytest.mark.corpus
def test_the_compiled_parser_writes_the_interpreted_parsers_rows(
    compiled: Path, corpus_dir: Path, empty_database: str, tmp_path: Path
) -> None:
    version = subprocess.run(
        [str(compiled / "archive"), "--version"], cwd=compiled, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip().endswith("parser compiled by mypyc"), version.stdout
    body = module_file(compiled, "archive.parse.body")
    assert body.suffix == ".so" and body.is_relative_to(compiled.parent), body

    inputs = [REPO_ROOT / "examples", corpus_dir, SHARED / "corpus-forms", SHARED / "seeds"]
    interpreted = staging_digests(Path(sys.executable), inputs)
    assert len(interpreted) > 2_229
    compiled_rows = staging_digests(compiled / "python", inputs)
    assert compiled_rows.keys() == interpreted.keys()
    differing = [key for key, digest in interpreted.items() if compiled_rows[key] != digest]
    assert not differing, f"{len(differing)} inputs differ, e.g. {differing[:3]}"

    # Through the worker pool, which pickles the documents it hands the compiled parser.
    environment = os.environ | {"ARCHIVE_DATABASE_URL": empty_database, "ARCHIVE_HOME": str(tmp_path / "home")}
    loaded = subprocess.run(
        [str(compiled / "archive"), "load", str(REPO_ROOT / "examples"), "--workers", "2", "--format", "json"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert loaded.returncode == 0, loaded.stderr
    (summary,) = json.loads(loaded.stdout)
    examples = sum(name.startswith(str(REPO_ROOT / "examples")) for name, _ in interpreted)
    assert (summary["loaded"], summary["rejected"]) == (examples, 0)


def test_an_editable_install_is_never_compiled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    backend = runpy.run_path(str(REPO_ROOT / "build_backend.py"))
    monkeypatch.setenv("ARCHIVE_MYPYC", "1")
    assert backend["get_requires_for_build_wheel"]() == [backend["MYPYC"]]
    with pytest.raises(SystemExit, match="not an editable install"):
        backend["build_editable"](str(tmp_path))
