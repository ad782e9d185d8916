"""The wheel, installed where no checkout is around, builds its database, loads a cable and shows it.

For speed the wheel is built without build isolation and installed without dependencies into a
new venv; a .pth file lends it this test environment's site-packages for the dependencies. That
folder holds no ``archive`` package (the editable install is a finder that the .pth does not
activate), which the test checks: the code that runs is the wheel's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "examples" / "000_cfe706be70c9082a.txt"  # 09STATE53069
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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the project's files (so the checkout gets no build/ folder)."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    for name in ("archive", "migrations"):
        shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(work), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = work.glob("cable_archive-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a new venv holding the wheel, with this environment's packages for its dependencies."""
    environment = tmp_path_factory.mktemp("wheel-venv") / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return environment / "bin"


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

    where = subprocess.run(
        [str(installed / "python"), "-c", "import archive.migrations; print(archive.migrations.__file__)"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout

    loaded = archive("load", str(SAMPLE), "--workers", "1", "--format", "json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)[0]["new_cables"] == 1

    shown = archive("show", "09STATE53069", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    cable = json.loads(shown.stdout)
    assert (cable["reference_id"], cable["origin"]) == ("09STATE53069", "Secretary of State")
