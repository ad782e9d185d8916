"""Test fixtures: one real PostgreSQL server per session, a database per test where a test needs one.

The server is the embedded one (started on demand), or the one $ARCHIVE_DATABASE_URL names.
Databases are built by the migrations; a test gets a session inside a transaction that is
rolled back at the end, or a database of its own. Tests that start and stop a server share one
more embedded server (``own_server``), initialised once.

The shared corpus (``../shared/corpus``) is read once and parsed once per session
(``corpus``, ``parsed_corpus``). Tests over the whole corpus carry the ``corpus`` marker and
benchmark runs the ``benchmark`` marker: a plain ``pytest`` leaves them out, CI (``CI`` set)
and any ``-m`` expression choose for themselves.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from archive.cable import Cable, Document, InputError, Rejection
from archive.db import migrate
from archive.db.embedded import EmbeddedServer
from archive.db.session import database_url, libpq_url, temporary_database
from archive.parse import parse
from archive.sources import read_paths

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = REPO_ROOT / "examples"
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
# Markers of the tests a plain `pytest` leaves out (registered in pyproject.toml).
FULL_RUN_MARKERS = ("corpus", "benchmark")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the corpus-wide and benchmark tests unless CI is set or ``-m`` chooses."""
    if os.environ.get("CI") or config.getoption("markexpr"):
        return
    left_out = [item for item in items if any(item.get_closest_marker(name) for name in FULL_RUN_MARKERS)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


@pytest.fixture(scope="session")
def server_url() -> str:
    """The server's URL (embedded unless ARCHIVE_DATABASE_URL is set)."""
    return database_url()


@contextmanager
def new_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the test server, named ``prefix`` + a unique suffix; dropped afterwards,
    with the read-only role `archive sql` may have made for it."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with temporary_database(server_url, name) as url:
            yield url
    finally:
        drop_reader(server_url, name)


def drop_reader(url: str, database: str) -> None:
    """Drop the read-only role of ``database`` with its privileges there, as the embedded server's superuser."""
    from psycopg import sql

    from archive.db.roles import admin_url, reader_role_name

    role = reader_role_name(database)
    with psycopg.connect(libpq_url(admin_url(url)), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            return
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            inside = make_url(url).set(database=database).render_as_string(hide_password=False)
            with psycopg.connect(libpq_url(admin_url(inside)), autocommit=True) as there:
                there.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@contextmanager
def rolled_back_session(url: str) -> Iterator[Session]:
    """A session on ``url`` whose work, savepoints included, is rolled back at the end."""
    engine = create_engine(url)
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
    engine.dispose()


@pytest.fixture(scope="session")
def database(server_url: str) -> Iterator[str]:
    """URL of a new, empty database at the newest migration; dropped after the session."""
    with new_database(server_url, "archive_test") as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    """URL of a new database with no schema at all (for migration tests); dropped afterwards."""
    with new_database(server_url, "archive_empty") as url:
        yield url


@pytest.fixture
def db_session(database: str) -> Iterator[Session]:
    """A session whose work is rolled back after the test, savepoints included."""
    with rolled_back_session(database) as session:
        yield session


@pytest.fixture
def reader_home(loaded_database: str, tmp_path: Path) -> Iterator[Path]:
    """An ARCHIVE_HOME for the read-only role's password file; the role is dropped before, the file and the role after."""
    from archive.db.roles import reader_password_file

    drop_reader(loaded_database, make_url(loaded_database).database or "")
    yield tmp_path
    password_file = reader_password_file(loaded_database, tmp_path)
    password_file.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # as root the file sits in a folder of its own under /var/tmp
        password_file.parent.rmdir()
    drop_reader(loaded_database, make_url(loaded_database).database or "")


def unused_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def free_port() -> Callable[[], int]:
    """``free_port()``: a TCP port on 127.0.0.1 that nothing listens on right now."""
    return unused_port


@pytest.fixture(scope="session")
def own_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """An embedded server apart from the test server (its own home and port), initialised once."""
    server = EmbeddedServer(home=tmp_path_factory.mktemp("own-server") / "home", port=unused_port())
    server.start()
    server.stop()
    yield server
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)  # under /var/tmp when the test dir is private


@pytest.fixture
def own_server(own_cluster: EmbeddedServer) -> Iterator[EmbeddedServer]:
    """The tests' own embedded server, stopped, for a test that starts and stops it; stopped afterwards."""
    yield own_cluster
    own_cluster.stop()


@pytest.fixture
def run() -> Callable[..., tuple[int, str]]:
    """``run("show", "09STATE53069", stdin=None)``: invoke the ``archive`` command, return its exit code and output."""
    from click.testing import CliRunner

    from archive.cli import cli

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), input=stdin)
        return result.exit_code, result.output

    return invoke


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES_DIR


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus of real cables; tests needing it are skipped when it is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS_DIR} (CI always has it)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> tuple[Document | Rejection, ...]:
    """Every input of the shared corpus as ``read_paths`` reads it, in walk order, read once per session."""
    return tuple(read_paths([str(corpus_dir)]))


@pytest.fixture(scope="session")
def parsed_corpus(corpus: tuple[Document | Rejection, ...]) -> Mapping[str, Cable | InputError]:
    """Every document of the corpus parsed once per session from its telegram text alone (as
    ``archive check`` reads it), by label: the cable, or the ``InputError`` the parser raised."""

    def text_alone(document: Document) -> Cable | InputError:
        try:
            return parse(replace(document, metadata=None))
        except InputError as error:
            return error

    documents = [item for item in corpus if isinstance(item, Document)]
    parsed = {document.label: text_alone(document) for document in documents}
    assert len(parsed) == len(documents), "document labels must be unique"
    return parsed


# Real cables the query tests (tests/query/, tests/test_cli_{show,search,report,sql,refs}.py)
# expect exact results from: the two seeds, a citation cluster, a re-issued cable in both
# versions, portion marks above and below the banner, NOFORN, and the text and PDF formats.
# The corpus files among them are copied byte for byte under examples/cables/, in their
# corpus folders, so the query tests need no ../shared.
QUERY_SAMPLE = (
    "000_cfe706be70c9082a.txt",  # 09STATE53069
    "002_756b422504c41c6c.txt",  # 09USOSCE86
    "cables/chillicoder-cablegate/cable/2009/09/09BERLIN1167.html",
    "cables/chillicoder-cablegate/cable/2009/09/09BERLIN1197.html",  # cites 09BERLIN1167
    "cables/chillicoder-cablegate/cable/2010/01/10BERLIN128.html",  # cites 09BERLIN1167
    "cables/chillicoder-cablegate/cable/2008/10/08BERLIN1387.html",
    "cables/gabrielduque-wikileaks-mirror-jp/cable/2007/10/07LONDON4045.html",
    "cables/avilaroman-Wikileaks-Mirror/cable/2007/10/07LONDON4045.html",  # re-issued
    "cables/paul-mathieu-cablegate-cia-analysis/cablegate-converted/09UNVIEVIENNA289.txt",
    "cables/paul-mathieu-cablegate-cia-analysis/cablegate/00ANKARA8112.pdf",
    "cables/chillicoder-cablegate/cable/2005/06/05ANKARA3199.html",  # SECRET banner over C and U paragraphs
)


@pytest.fixture(scope="session")
def loaded_database(server_url: str) -> Iterator[str]:
    """URL of a database holding ``QUERY_SAMPLE`` from examples/, loaded by the loader; dropped after the session."""
    from archive.load import load_paths

    with new_database(server_url, "archive_query") as url:
        summary = load_paths([str(EXAMPLES_DIR / path) for path in QUERY_SAMPLE], url, workers=1)
        assert not summary.rejected, summary.rejected
        yield url


@pytest.fixture
def sample_session(loaded_database: str) -> Iterator[Session]:
    """A session on the loaded sample (``QUERY_SAMPLE``), rolled back afterwards."""
    with rolled_back_session(loaded_database) as session:
        yield session
