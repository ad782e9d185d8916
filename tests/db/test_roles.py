"""The read-only role: what the catalog says it may do, the attack battery refused through `archive sql`,
a report file and a direct connection, limits it cannot lift, and a password that outlives a second reader-url."""

from __future__ import annotations

import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from archive.db import migrate
from archive.db.roles import (
    READER_LOCKED_SETTINGS,
    admin_url,
    ensure_reader_role,
    kept_reader_url,
    reader_password_file,
    reader_role_name,
    reader_url,
)
from archive.db.session import libpq_url
from archive.load.merge import MERGE_LOCK
from archive.query import QueryError
from archive.query.readonly import refuse_unsafe_session, run_readonly, stream_readonly

Run = Callable[..., tuple[int, str]]
SERVER_FILE_ROLES = ["pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"]


@pytest.fixture
def reader(loaded_database: str, reader_home: Path) -> tuple[str, Path]:
    """The reader URL of the loaded sample (password kept under reader_home, removed afterwards with the role)."""
    return reader_url(loaded_database, home=reader_home), reader_home


@pytest.fixture
def owner_pid(loaded_database: str) -> Iterator[int]:
    """The backend pid of another session (the owner's), open for the test."""
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        yield connection.info.backend_pid


def battery(tmp_path: Path, owner_pid: int) -> list[tuple[str, str]]:
    """Statements that only a superuser (or a role with more than reading) may run, and the refusal each gets."""
    return [
        (f"COPY (SELECT 1) TO PROGRAM 'id > {tmp_path}/program'", "permission denied to COPY to or from an external"),
        (f"COPY (SELECT 1) TO '{tmp_path}/file'", "permission denied to COPY to a file"),
        ("SELECT pg_read_file('/etc/passwd')", "permission denied for function pg_read_file"),
        ("SELECT pg_ls_dir('/')", "permission denied for function pg_ls_dir"),
        (f"SELECT pg_terminate_backend({owner_pid})", "permission denied to terminate process"),
        ("LOCK TABLE public.cables IN ACCESS EXCLUSIVE MODE", "permission denied for table cables"),
        ("SELECT pg_reload_conf()", "permission denied for function pg_reload_conf"),
        ("CHECKPOINT", "permission denied to execute CHECKPOINT command"),
        (f"SELECT pg_try_advisory_lock({MERGE_LOCK})", "permission denied for function pg_try_advisory_lock"),
        ("SELECT set_config('work_mem', '4GB', true)", "permission denied for function set_config"),
        ("DO $$ BEGIN PERFORM 1; END $$", "permission denied for language plpgsql"),
        ("SELECT raw FROM public.sources", "permission denied for table sources"),
        ("SELECT message FROM public.load_errors", "permission denied for table load_errors"),
    ]


def test_the_battery_is_refused_through_archive_sql(
    loaded_database: str, run: Run, tmp_path: Path, owner_pid: int
) -> None:
    for statement, refusal in battery(tmp_path, owner_pid):
        code, output = run("sql", statement, "--database-url", loaded_database)
        assert code == 1, (statement, output)
        assert re.fullmatch(rf"Error: the read-only role may not do this: {re.escape(refusal)}.*\n", output), output
    assert list(tmp_path.iterdir()) == []  # no file written, no program run


def test_the_battery_is_refused_in_a_report_file(
    loaded_database: str, run: Run, tmp_path: Path, owner_pid: int
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for number, (statement, refusal) in enumerate(battery(tmp_path, owner_pid)):
        (reports / f"attack{number}.sql").write_text(f"-- An attack.\n{statement}\n")
        code, output = run(
            "report", f"attack{number}", "--reports-dir", str(reports), "--database-url", loaded_database
        )
        assert (code, output.count("\n")) == (1, 1), (statement, output)
        assert refusal in output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["reports"]


def test_the_battery_is_refused_to_the_reader_connecting_directly(
    reader: tuple[str, Path], tmp_path: Path, owner_pid: int
) -> None:
    url, _ = reader
    with psycopg.connect(url) as connection:
        connection.execute("SET default_transaction_read_only = off")  # no help: the privileges are not there
        connection.commit()
        statements = [
            *battery(tmp_path, owner_pid),
            ("DELETE FROM public.cables", "permission denied for table cables"),
            ("CREATE TABLE public.scratch (a int)", "permission denied for schema public"),
            ("CREATE TEMP TABLE scratch (a int)", "permission denied to create temporary tables"),
        ]
        for statement, refusal in statements:
            refused = pytest.raises(psycopg.errors.InsufficientPrivilege, match=re.escape(refusal))
            with refused, connection.transaction():
                connection.execute(statement)  # type: ignore[arg-type]


def test_the_catalog_shows_a_role_that_can_only_read(reader: tuple[str, Path], loaded_database: str) -> None:
    url, _ = reader
    role = make_url(url).username
    database = make_url(url).database
    with psycopg.connect(libpq_url(admin_url(loaded_database))) as admin:
        attributes = admin.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolinherit FROM pg_roles "
            "WHERE rolname = %s",
            (role,),
        ).fetchone()
        assert attributes == (False, False, False, False, False, False)
        assert admin.execute("SELECT count(*) FROM pg_auth_members WHERE member = %s::regrole", (role,)).fetchone() == (
            0,
        )
        for server_role in SERVER_FILE_ROLES:
            assert admin.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (role, server_role)).fetchone() == (False,)
        owned = admin.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
            " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)"
            " FROM pg_roles r WHERE rolname = %s",
            (role,),
        ).fetchone()
        assert owned == (0,)
        databases = admin.execute(
            "SELECT datname FROM pg_database WHERE datallowconn AND has_database_privilege(%s, datname, 'CONNECT')",
            (role,),
        ).fetchall()
        assert databases == [(database,)]  # its own only: not postgres, template1 nor another archive
        temporary = admin.execute(
            "SELECT count(*) FROM pg_database WHERE has_database_privilege(%s, datname, 'TEMPORARY')", (role,)
        ).fetchone()
        assert temporary == (0,)
        writable = admin.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN ('public', 'reporting') AND has_table_privilege(%s, c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE')",
            (role,),
        ).fetchone()
        assert writable == (0,)
        settings = dict(
            setting.split("=", 1)
            for row in admin.execute(
                "SELECT setconfig FROM pg_db_role_setting WHERE setrole = %s::regrole AND setdatabase = 0", (role,)
            )
            for setting in row[0]
        )
        assert settings["search_path"] == "reporting, public"
        assert settings.items() >= READER_LOCKED_SETTINGS.items()
        assert {"statement_timeout", "work_mem", "idle_in_transaction_session_timeout"} <= settings.keys()


def test_limits_it_cannot_lift(reader: tuple[str, Path]) -> None:
    url, _ = reader
    with psycopg.connect(url, autocommit=True) as connection:
        assert connection.execute("SHOW temp_file_limit").fetchone() == (READER_LOCKED_SETTINGS["temp_file_limit"],)
        with pytest.raises(
            psycopg.errors.InsufficientPrivilege, match='permission denied to set parameter "temp_file_limit"'
        ):
            connection.execute("SET temp_file_limit = -1")
        assert connection.execute("SHOW search_path").fetchone() == ("reporting, public",)
        assert connection.execute("SELECT count(*) FROM cables").fetchone() == (10,)  # reporting.cables


def test_archive_sql_sets_its_limits_in_the_transaction(loaded_database: str) -> None:
    result = run_readonly(
        "SELECT current_user AS role, current_setting('statement_timeout') AS timeout, "
        "current_setting('work_mem') AS work_mem, current_setting('idle_in_transaction_session_timeout') AS idle",
        url=loaded_database,
        timeout=2,
    )
    role = reader_role_name(make_url(loaded_database).database or "")
    assert result.rows == [{"role": role, "timeout": "2s", "work_mem": "32MB", "idle": "5min"}]


@pytest.mark.parametrize(("who", "refusal"), [("superuser", "is a superuser"), ("owner", "owns objects")])
def test_a_session_that_can_do_more_than_read_is_refused(loaded_database: str, who: str, refusal: str) -> None:
    url = admin_url(loaded_database) if who == "superuser" else loaded_database
    with psycopg.connect(libpq_url(url)) as connection:
        user = connection.info.user
        with pytest.raises(QueryError, match=rf"^refusing to run SQL as {user}: it (.*, )?{refusal}"):
            refuse_unsafe_session(connection)


def test_reader_url_keeps_the_password_unless_rotated(
    reader: tuple[str, Path], loaded_database: str, tmp_path: Path
) -> None:
    url, home = reader
    password_file = reader_password_file(loaded_database, home)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text().strip() == make_url(url).password
    assert reader_url(loaded_database, home=home) == url  # same role, same password

    elsewhere = tmp_path / "another-home"
    with pytest.raises(QueryError, match=r"exists, but its password is not kept in .*--rotate"):
        reader_url(loaded_database, home=elsewhere)
    with psycopg.connect(url) as connection:  # the first password still works
        assert connection.execute("SELECT 1").fetchone() == (1,)

    rotated = reader_url(loaded_database, home=elsewhere, rotate=True)
    assert make_url(rotated).password != make_url(url).password
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(url)
    with pytest.raises(QueryError, match=r"no longer works .* --rotate"):
        reader_url(loaded_database, home=home)
    reader_password_file(loaded_database, elsewhere).unlink()
    reader_password_file(loaded_database, elsewhere).parent.rmdir()


def test_db_reader_url_twice_and_from_another_home(loaded_database: str, reader_home: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from archive.cli import cli

    command = ["db", "reader-url", "--database-url", loaded_database]
    first = CliRunner().invoke(cli, command)
    assert first.exit_code == 0, first.output
    assert CliRunner().invoke(cli, command).output == first.output  # the same password
    elsewhere = CliRunner().invoke(cli, command, env={"ARCHIVE_HOME": str(tmp_path / "other")})
    assert elsewhere.exit_code == 1 and elsewhere.output.count("\n") == 1 and "--rotate" in elsewhere.output
    with psycopg.connect(first.output.strip()) as connection:  # still works for the tools that use it
        assert connection.execute("SELECT count(*) FROM reporting.paragraphs").fetchone()[0] > 0
    reader_password_file(loaded_database).unlink()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["show", "09BERLIN1167", "--format", "json"], '"reference_id": "09BERLIN1167"'),
        (["show", "07LONDON4045", "--versions", "--format", "csv"], "07LONDON4045"),
        (["search", "kosovo", "--format", "csv"], "reference_id"),
        (["refs", "10BERLIN128", "--format", "csv"], "direction"),
        (["report", "top-origins", "--format", "csv"], "Embassy Berlin"),
        (["sql", "SELECT count(*) AS n FROM cables", "--format", "csv"], "n\n10\n"),
    ],
)
def test_read_commands_work_with_the_reader_url(
    reader: tuple[str, Path], run: Run, command: list[str], expected: str
) -> None:
    url, _ = reader
    code, output = run(*command, "--database-url", url)
    assert code == 0, output
    assert expected in output


def test_the_input_bytes_are_the_owners_only(reader: tuple[str, Path], run: Run, loaded_database: str) -> None:
    url, _ = reader
    code, output = run("show", "09BERLIN1167", "--source", "--database-url", url)
    assert code == 1 and output.count("\n") == 1 and "permission denied" in output, output
    code, output = run("show", "09BERLIN1167", "--source", "--database-url", loaded_database)
    assert code == 0 and "09BERLIN1167" in output


def test_a_user_who_may_not_create_roles_is_told_what_it_needs(loaded_database: str) -> None:
    limited = f"limited_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12)
    with psycopg.connect(libpq_url(admin_url(loaded_database)), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(limited), password))
        admin.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(make_url(loaded_database).database or ""), sql.Identifier(limited)
            )
        )
    try:
        limited_url = make_url(loaded_database).set(username=limited, password=password)
        with psycopg.connect(libpq_url(limited_url.render_as_string(hide_password=False))) as connection:
            with pytest.raises(QueryError, match=r"^cannot set up the read-only role \w+: .*CREATEROLE"):
                ensure_reader_role(connection, f"{limited}_reader", "secret")
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{limited}_reader",))
            assert exists.fetchone() is None
    finally:
        with psycopg.connect(libpq_url(admin_url(loaded_database)), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(limited)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(limited)))


def test_first_runs_at_once_agree_on_one_password(loaded_database: str, reader_home: Path) -> None:
    with ThreadPoolExecutor(4) as pool:  # four `archive sql` that each find no reader yet
        results = list(pool.map(lambda _: run_readonly("SELECT current_user AS role", url=loaded_database), range(4)))
    assert {result.rows[0]["role"] for result in results} == {
        reader_role_name(make_url(loaded_database).database or "")
    }
    kept = reader_password_file(loaded_database)
    assert kept_reader_url(loaded_database) is not None, "the kept password logs in"
    kept.unlink()


def test_repeated_column_names_are_told_apart(loaded_database: str) -> None:
    result = run_readonly("SELECT 1 AS a, 2 AS a, 3 AS a_2", url=loaded_database)
    assert result.columns == ["a", "a_2", "a_2_2"]
    assert result.rows == [{"a": 1, "a_2": 2, "a_2_2": 3}]


def test_rows_arrive_while_the_query_still_runs(loaded_database: str) -> None:
    # 3,000 rows; those after the first chunk are slow to make (2 s in all).
    query = (
        "SELECT g FROM generate_series(1, 3000) g, "
        "LATERAL (SELECT pg_sleep(CASE WHEN g > 2000 THEN 0.002 ELSE 0 END)) pause"
    )
    started = time.perf_counter()
    with stream_readonly(query, url=loaded_database, timeout=30) as result:
        first = next(result.rows)
        first_after = time.perf_counter() - started
        rest = sum(1 for _ in result.rows)
    total = time.perf_counter() - started
    assert (first, rest) == ({"g": 1}, 2999)
    assert first_after < total / 2, (first_after, total)  # the first chunk came before the slow rows were made


def test_a_reader_set_up_for_another_revision_is_set_up_again(loaded_database: str) -> None:
    role = reader_role_name(make_url(loaded_database).database or "")
    run_readonly("SELECT 1", url=loaded_database)  # set up (or found) for this revision
    assert kept_reader_url(loaded_database) is not None
    with psycopg.connect(libpq_url(admin_url(loaded_database)), autocommit=True) as admin:
        admin.execute(sql.SQL("COMMENT ON ROLE {} IS '0001'").format(sql.Identifier(role)))  # as after a migration
        assert kept_reader_url(loaded_database) is None
        run_readonly("SELECT 1", url=loaded_database)  # grants renewed
        comment = admin.execute("SELECT shobj_description(%s::regrole, 'pg_authid')", (role,)).fetchone()
        assert comment == (migrate.head_revision(),)


def test_the_reader_set_up_waits_for_its_policy_locks_before_it_grants_anything(
    loaded_database: str, reader_home: Path
) -> None:
    # After a bulk load autovacuum holds one table after another, and waits for any transaction that updated
    # the table's catalogue row (a grant does) before it lets go: a set-up that granted first and then asked
    # for ALTER POLICY's lock on that table died of a deadlock. Here a session holds what autovacuum holds.
    with (
        psycopg.connect(libpq_url(loaded_database)) as vacuum_like,
        psycopg.connect(libpq_url(admin_url(loaded_database)), autocommit=True) as watcher,  # sees every session
        ThreadPoolExecutor(1) as pool,
    ):
        vacuum_like.execute("LOCK TABLE cable_caveats IN SHARE UPDATE EXCLUSIVE MODE")
        set_up = pool.submit(reader_url, loaded_database, home=reader_home)
        waiting = None
        for _ in range(100):
            waiting = watcher.execute(
                "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()
            if waiting:
                break
            time.sleep(0.05)
        vacuum_like.rollback()
        set_up.result(timeout=30)

    assert waiting is not None
    assert waiting[0].startswith("LOCK TABLE"), waiting[0]
