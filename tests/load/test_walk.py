"""Walking folders drops nothing silently: each entry left out is reported, each unreadable one rejected."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cable import Document, Rejection
from archive.cli import cli
from archive.sources import read_paths, walk

SEED = "000_cfe706be70c9082a.txt"


@pytest.fixture
def folder(examples_dir: Path, tmp_path: Path) -> Path:
    """A folder with one cable, a cable in a subfolder, and every kind of entry the walk leaves out."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(examples_dir / SEED, root / "a.txt")
    shutil.copy(examples_dir / "002_756b422504c41c6c.txt", root / "sub" / "b.txt")
    (root / ".hidden.txt").write_text("ignored")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)  # back up to the root
    (root / "self").symlink_to(root / "self")  # a link to itself
    (root / "gone").symlink_to(root / "missing.txt")
    os.mkfifo(root / "pipe")  # reading it would block the load forever
    return root


def test_every_entry_left_out_is_reported(folder: Path) -> None:
    skipped: list[tuple[str, str]] = []

    found = walk(folder, lambda path, reason: skipped.append((path, reason)))

    assert found == [folder / "a.txt", folder / "sub" / "b.txt"]
    assert sorted(skipped) == [
        (str(folder / ".hidden.txt"), "hidden: the name starts with a dot"),
        (str(folder / "gone"), "a dangling symbolic link: its target does not exist"),
        (str(folder / "pipe"), "not a regular file (a pipe, socket or device)"),
        (str(folder / "self"), "a symbolic link loop"),
        (str(folder / "sub" / "loop"), "a link to a folder already read (a loop or a second way in)"),
    ]


def test_the_load_reports_and_counts_each_skipped_entry(folder: Path, fresh_database: str) -> None:
    result = CliRunner().invoke(cli, ["load", str(folder), "--database-url", fresh_database])

    assert result.exit_code == 0, result.output
    assert sorted(result.stderr.splitlines()) == [
        f"skipped: {folder / '.hidden.txt'}: hidden: the name starts with a dot",
        f"skipped: {folder / 'gone'}: a dangling symbolic link: its target does not exist",
        f"skipped: {folder / 'pipe'}: not a regular file (a pipe, socket or device)",
        f"skipped: {folder / 'self'}: a symbolic link loop",
        f"skipped: {folder / 'sub' / 'loop'}: a link to a folder already read (a loop or a second way in)",
    ]
    assert result.stdout.startswith("loaded 2, unchanged 0, rejected 0, skipped 5 (not cables)")


def deep_folder(root: Path) -> Path:
    """A folder whose path is longer than PATH_MAX (4096): no one, root included, can open it by that path."""
    current = os.open(root, os.O_RDONLY)
    depth = 0
    try:
        while depth * 256 < 4200:
            name = "d" * 255
            os.mkdir(name, dir_fd=current)
            following = os.open(name, os.O_RDONLY, dir_fd=current)
            os.close(current)
            current = following
            depth += 1
    finally:
        os.close(current)
    return root.joinpath(*["d" * 255] * depth)


def test_a_folder_that_cannot_be_read_is_a_rejection(examples_dir: Path, tmp_path: Path) -> None:
    """As root every permission check passes, so the folder fails another way: a path too long to open."""
    shutil.copy(examples_dir / SEED, tmp_path / "a.txt")
    deep = deep_folder(tmp_path)
    unreadable = next(parent for parent in reversed([deep, *deep.parents]) if len(str(parent)) > 4095)

    items = list(read_paths([str(tmp_path)]))

    assert [type(item) for item in items] == [Document, Rejection]
    assert items[1].name == str(unreadable)
    assert items[1].message == "not read: file name too long"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder: run the suite as another user to check this")
def test_a_folder_without_permission_is_a_rejection(examples_dir: Path, tmp_path: Path) -> None:
    shutil.copy(examples_dir / SEED, tmp_path / "a.txt")
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0)
    try:
        items = list(read_paths([str(tmp_path)]))
    finally:
        closed.chmod(0o700)

    assert isinstance(items[0], Document)
    assert [(item.name, item.message) for item in items[1:]] == [(str(closed), "folder not read: permission denied")]
