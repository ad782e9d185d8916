"""Load benchmark: `archive load` of N synthetic cables against the floor, a naive ORM loader, and queries.

Run (not part of the test suite; the full default size takes about 10-20 minutes):

    .venv/bin/python benchmarks/load.py            # N = 251,287, the whole Cablegate release
    .venv/bin/python benchmarks/load.py --n 25000  # a quicker look
    .venv/bin/python benchmarks/load.py --keep     # and keep the loaded archive for reporting.py --queries-on
    .venv/bin/python benchmarks/load.py --queries-on postgresql://…/scale  # queries only, on a loaded archive

It synthesises N cables (`archive synth`, cached under --work), then, each in a new empty
database on the configured server ($ARCHIVE_DATABASE_URL or the embedded one):

1. the floor: the same cable texts COPYed into a one-column table with a stored tsvector
   column, then its GIN index (timed first, so that the autovacuum a bulk load leaves for
   after it cannot slow the floor down);
2. `archive load cables.csv` in a subprocess, all indexes included: time, cables/s, MB/s and
   the peak resident memory of its whole process tree (loader plus parse workers) — and our
   time as a ratio of the floor; then the database's size on disk as the load leaves it
   (``pg_database_size``), its bytes per input byte, and the largest tables with their TOAST
   and indexes;
3. a straightforward ORM loader (parse, then ``session.add`` for the cable and each of its
   rows) on a 5,000-cable slice, against our loader on the same slice;
4. the unchanged re-load of the whole input;
5. query latency on the loaded archive: p50/p95 of ranked full-text top 20 for every query
   shape (a rare and a common word, two and three words, a phrase, the common word with
   each filter, a misspelt word), of one cable with all its rows, and of each built-in
   report (as the reader role, like `archive report`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from archive import parser_build, synth
from archive.cable import Document, edition_form
from archive.db import migrate, models
from archive.db.session import URL_VARIABLE, database_url, libpq_url, temporary_database
from archive.load import indexes
from archive.query.filters import CableFilter
from archive.sources import read_paths

CABLEGATE = 251_287
ORM_SLICE = 5_000
QUERY_RUNS = 30
REPORT_RUNS = 5
COMMON_TERM = "government"
MEMORY_SECONDS = 1.0  # how often the loader's memory and the CPU of each process are read


@dataclass
class Row:
    measure: str
    value: str
    note: str = ""


# -- databases and processes -----------------------------------------------------------


def scratch_database(server: str, *, keep: bool = False) -> AbstractContextManager[str]:
    """A new empty database on the server, dropped afterwards unless ``keep``."""
    return temporary_database(server, f"bench_{uuid.uuid4().hex[:8]}", keep=keep)


def _children(pids: set[int]) -> set[int]:
    """The processes whose parent is in ``pids``: each thread's /proc/PID/task/TID/children (no walk of /proc)."""
    found: set[int] = set()
    for pid in pids:
        for listing in Path(f"/proc/{pid}/task").glob("*/children"):
            with suppress(OSError):
                found.update(int(child) for child in listing.read_text().split())
    return found


def _process_tree(root: int) -> set[int]:
    """``root`` and its descendants (the loader and its parse workers)."""
    tree, added = {root}, {root}
    while added:
        added = _children(added) - tree
        tree |= added
    return tree


def _memory(pids: set[int]) -> int:
    """Proportional set size (shared pages split between sharers) of ``pids``, from /proc."""
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:"))
    return total


def _cpu_seconds(pid: int, *, waited_for: bool) -> float:
    """CPU seconds (user + system) of ``pid``, with those of the children it waited for when ``waited_for``."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # fields[11:15]: utime, stime, cutime, cstime
    return sum(int(ticks) for ticks in fields[11 : 15 if waited_for else 13]) / os.sysconf("SC_CLK_TCK")


def busy_ticks() -> int:
    """Clock ticks the machine's cores have spent working so far (user, nice, system, interrupts; not idle,
    not waiting for I/O, not stolen by the hypervisor), from /proc/stat's first line."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, stat.readline().split()[1:8])
    return user + nice + system + irq + softirq


def _postmaster() -> int | None:
    """The embedded server's postmaster, or None when the benchmark runs on another server ($ARCHIVE_DATABASE_URL)."""
    if os.environ.get(URL_VARIABLE):
        return None
    from archive.db.embedded import EmbeddedServer

    return int((EmbeddedServer().data_dir / "postmaster.pid").read_text().split()[0])


def server_cpu(postmaster: int | None) -> float | None:
    """CPU seconds the server has used: the postmaster, its ended children (backends, parallel and autovacuum
    workers) and its running ones (checkpointer, WAL writer, …). Any other work on the server counts too."""
    if postmaster is None:
        return None
    total = _cpu_seconds(postmaster, waited_for=True)
    for child in _children({postmaster}):
        with suppress(OSError):  # ended meanwhile
            total += _cpu_seconds(child, waited_for=False)
    return total


# What each process does, by its command line (``postgres: archive_owner bench_1 127.0.0.1(5432) COPY``).
SERVER_KINDS = (("parallel worker", "index builds' parallel workers"), ("autovacuum", "autovacuum"))
LOAD_BACKENDS = "backends of the load's connections"
MAIN_PROCESS, PARSE_WORKERS = "main process", "parse workers"


def _server_kind(pid: int, database: str) -> str | None:
    """Which part of the server ``pid`` is: a backend of ``database``, a parallel or autovacuum worker, or None (the rest)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return None
    for marker, kind in SERVER_KINDS:
        if marker in command:
            return kind
    return LOAD_BACKENDS if f" {database} " in command else None


@dataclass
class _CpuSampler:
    """CPU seconds per kind of process, from each process's first and last sample of /proc/PID/stat.

    A process that ends between two samples loses what it used after the last one (at most a sample
    interval's worth): the exact totals (the loader's tree, the whole server) keep it, and what is not
    attributed to a kind is printed as the rest.
    """

    first: dict[int, float]
    last: dict[int, float]
    kinds: dict[int, str]

    def sample(self, pids: dict[int, str | None], started: set[int]) -> None:
        """Read the CPU of ``pids`` (pid: kind); those in ``started`` began before the run (their earlier CPU is not its)."""
        for pid, kind in pids.items():
            if kind is None:
                continue
            try:
                seconds = _cpu_seconds(pid, waited_for=False)
            except OSError:
                continue
            self.first.setdefault(pid, seconds if pid in started else 0.0)
            self.last[pid], self.kinds[pid] = seconds, kind

    def by_kind(self) -> dict[str, float]:
        spent: dict[str, float] = {}
        for pid, kind in self.kinds.items():
            spent[kind] = spent.get(kind, 0.0) + self.last[pid] - self.first[pid]
        return spent


@dataclass
class LoadRun:
    seconds: float
    peak_memory: int  # bytes, the loader's process tree
    sampler_cpu: float  # seconds of CPU the memory sampler itself took
    summary: dict[str, object]
    loader_cpu: float  # seconds of CPU of the loader and its parse workers
    server_cpu: float | None  # seconds of CPU of the server meanwhile (None: not a local embedded server)
    cpu: dict[str, float]  # seconds of CPU per kind of process (MAIN_PROCESS, PARSE_WORKERS, SERVER_KINDS, ...)
    busy: list[tuple[float, int]]  # (seconds since the start, busy_ticks()) once a sample interval

    def cores_busy(self, start: float, end: float) -> float:
        """The machine's cores busy on average between ``start`` and ``end`` (seconds since the start of the load),
        the busy ticks interpolated between the samples around them."""

        def ticks_at(moment: float) -> float:
            after = next((i for i, (at, _) in enumerate(self.busy) if at >= moment), len(self.busy) - 1)
            (t0, b0), (t1, b1) = self.busy[max(after - 1, 0)], self.busy[after]
            return b1 if t1 == t0 else b0 + (b1 - b0) * (moment - t0) / (t1 - t0)

        return (ticks_at(end) - ticks_at(start)) / os.sysconf("SC_CLK_TCK") / (end - start)

    def phase_windows(self) -> list[tuple[str, float, float]]:
        """Each phase of the load (its JSON summary's ``phase_seconds``) with its start and end: the phases run one
        after the other, and the last ends as the process does (start-up comes before the first)."""
        windows, end = [], self.seconds
        for phase, seconds in reversed(list(self.summary["phase_seconds"].items())):  # type: ignore[union-attr]
            windows.append((phase, end - seconds, end))
            end -= seconds
        return windows[::-1]


def run_archive_load(path: Path, url: str) -> LoadRun:
    """`archive load PATH` in a subprocess, with the peak memory of its process tree, CPU per kind of process,
    and its JSON summary.

    The tree is the loader and its parse workers, not the PostgreSQL backends serving it (their
    memory is the server's). Once a second the sampler reads the tree's memory and the CPU of each of
    its processes and of each of the server's (found through /proc/PID/task/*/children, not a walk of
    /proc): it shares the cores with the load it measures, so it must stay cheap (the walk of every
    process and the page tables read five times a second took about 40% of a core).
    """
    archive = Path(sys.executable).with_name("archive")  # the console script, as a user runs it
    command = [str(archive), "load", str(path), "--database-url", url, "--format", "json"]
    database = make_url(url).database or ""
    postmaster = _postmaster()
    server_before, children_before = server_cpu(postmaster), os.times()
    before = _children({postmaster}) if postmaster else set()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, cpu = 0, 0.0
    cpus = _CpuSampler({}, {}, {})
    busy = [(0.0, busy_ticks())]
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, cpu
        while not done.is_set():
            tree = _process_tree(process.pid)
            peak = max(peak, _memory(tree))
            kinds = {pid: MAIN_PROCESS if pid == process.pid else PARSE_WORKERS for pid in tree}
            if postmaster:
                kinds |= {pid: cpus.kinds.get(pid) or _server_kind(pid, database) for pid in _children({postmaster})}
            cpus.sample(kinds, before | {process.pid})
            busy.append((time.perf_counter() - started, busy_ticks()))
            done.wait(MEMORY_SECONDS)
        cpu = time.thread_time()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    busy_at_end = busy_ticks()
    children = os.times()
    server_after = server_cpu(postmaster)
    done.set()
    sampler.join()
    busy.append((elapsed, busy_at_end))
    if process.returncode not in (0, 1):
        raise RuntimeError(f"archive load failed ({process.returncode}): {err.strip()[-2000:]}")
    loader = children.children_user + children.children_system
    loader -= children_before.children_user + children_before.children_system
    spent = None if server_before is None or server_after is None else server_after - server_before
    by_kind = cpus.by_kind()
    by_kind.pop(MAIN_PROCESS, None)  # the exact figure: the loader's own and waited-for CPU, less its workers'
    by_kind[MAIN_PROCESS] = loader - by_kind.get(PARSE_WORKERS, 0.0)
    return LoadRun(elapsed, peak, cpu, json.loads(out)[0], loader, spent, by_kind, busy)


def cpu_rows(load: LoadRun) -> list[Row]:
    """CPU seconds of the load: the loader's main process and parse workers, the server's backends and the rest."""
    rows = [
        Row("  CPU, loader and parse workers", f"{load.loader_cpu:.1f} s", "user + system"),
        Row(
            f"    {MAIN_PROCESS}",
            f"{load.cpu.get(MAIN_PROCESS, 0.0):.1f} s",
            "reads and hashes inputs, forwards batches, COPYs",
        ),
        Row(f"    {PARSE_WORKERS}", f"{load.cpu.get(PARSE_WORKERS, 0.0):.1f} s", "parse and encode COPY rows"),
        Row(
            "  CPU, database server",
            "not measured" if load.server_cpu is None else f"{load.server_cpu:.1f} s",
            "every process of the embedded server, during the load",
        ),
    ]
    if load.server_cpu is not None:
        kinds = (LOAD_BACKENDS, *(kind for _, kind in SERVER_KINDS))
        rows += [Row(f"    {kind}", f"{load.cpu.get(kind, 0.0):.1f} s") for kind in kinds]
        rest = load.server_cpu - sum(load.cpu.get(kind, 0.0) for kind in kinds)
        rows.append(
            Row("    the rest", f"{rest:.1f} s", "checkpointer, WAL and I/O workers; processes ended between samples")
        )
    return rows


# -- size on disk ------------------------------------------------------------------------

SIZE_TABLES = 8  # the largest tables listed by name; the rest are in the database's total

TABLE_SIZES = """
SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid),
       coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)
FROM pg_class c
WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
ORDER BY pg_total_relation_size(c.oid) DESC
"""


def size_rows(url: str, input_bytes: int) -> list[Row]:
    """The database's size on disk, per input byte, and its largest tables (heap + TOAST, indexes)."""
    with psycopg.connect(libpq_url(url)) as connection:
        (database,) = connection.execute("SELECT pg_database_size(current_database())").fetchone()  # type: ignore[misc]
        tables = connection.execute(TABLE_SIZES).fetchall()
    rows = [
        Row("database size on disk", f"{database / 1e6:,.0f} MB", "pg_database_size, right after the load"),
        Row("  bytes per input byte", f"{database / input_bytes:.2f}"),
    ]
    rows += [
        Row(
            f"  {name}",
            f"{(table + indexes) / 1e6:,.1f} MB",
            f"table {table / 1e6:,.1f} (TOAST {toast / 1e6:,.1f}) + indexes {indexes / 1e6:,.1f}",
        )
        for name, table, indexes, toast in tables[:SIZE_TABLES]
    ]
    return rows


# -- the floor and the naive loader -------------------------------------------------------


def floor_seconds(texts_file: Path, server: str) -> float:
    """COPY the cable texts into a one-column table with a stored tsvector, then build its GIN index."""
    with scratch_database(server) as url, psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE floor (body text NOT NULL, "
            "search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED)"
        )
        for setting in indexes.BUILD_SETTINGS:  # as the loader builds its indexes
            connection.execute(setting)
        started = time.perf_counter()
        with connection.cursor().copy("COPY floor (body) FROM STDIN") as copy, texts_file.open("rb") as source:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        connection.execute("CREATE INDEX floor_search ON floor USING gin (search_vector)")
        return time.perf_counter() - started


def write_floor_input(csv_path: Path, texts_file: Path) -> None:
    """The cable texts of the dump as COPY text rows (what the floor loads)."""
    escape = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
    with texts_file.open("w", encoding="utf-8") as out:
        for document in read_paths([str(csv_path)]):
            if isinstance(document, Document):
                out.write(document.text.translate(escape) + "\n")


def orm_load(documents: list[Document], url: str) -> float:
    """A straightforward ORM loader: parse each document, then session.add the cable and every row."""
    from archive.load.staging import sha256_of
    from archive.parse import parse

    migrate.upgrade(url)
    engine = create_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        levels = {level.name: level for level in session.query(models.ClassificationLevel)}
        caveats = {caveat.name: caveat for caveat in session.query(models.Caveat)}
        origins: dict[str, models.Origin] = {}
        addressees: dict[tuple[str, str | None], models.Addressee] = {}
        tags: dict[str, models.Tag] = {}
        for document in documents:
            cable = parse(document)
            source = models.Source(
                sha256=sha256_of(document.raw),
                name=document.name,
                location=document.location,
                format=document.format,
                size=len(document.raw),
                raw=document.raw,
                loader_version="orm",
            )
            row = models.Cable(
                reference_id=cable.reference_id,
                canonical_id=cable.canonical_id,
                created=cable.created,
                level=levels[cable.level],
                origin=origins.setdefault(cable.origin, models.Origin(name=cable.origin)) if cable.origin else None,
                station=cable.station,
                subject=cable.subject,
                transmission_id=cable.transmission_id,
                precedence=cable.precedence,
                executive_order=cable.executive_order,
                declassify_on=cable.declassify_on,
                declassify_text=cable.declassify_text,
                classified_by=cable.classified_by,
                classified_by_title=cable.classified_by_title,
                reasons=list(cable.reasons),
                signers=list(cable.signers),
                is_partial=cable.partial,
                warnings=list(cable.warnings),
                source=source,
                classification=cable.classification,
                tag_codes=[tag.code for tag in cable.tags],
                recipient_count=len(cable.recipients),
                paragraph_count=len(cable.paragraphs),
                reference_count=len(cable.references),
            )
            row.caveats = [caveats.setdefault(name, models.Caveat(name=name)) for name in dict.fromkeys(cable.caveats)]
            for position, recipient in enumerate(cable.recipients, start=1):
                key = (recipient.name, recipient.routing)
                addressee = addressees.setdefault(key, models.Addressee(name=recipient.name, routing=recipient.routing))
                row.recipients.append(
                    models.Recipient(
                        position=position,
                        role=recipient.role,
                        addressee=addressee,
                        precedence=recipient.precedence,
                        channel=recipient.channel,
                    )
                )
            for position, tag in enumerate(cable.tags, start=1):
                row.tags.append(
                    models.CableTag(
                        position=position, tag=tags.setdefault(tag.code, models.Tag(code=tag.code, kind=tag.kind))
                    )
                )
            for position, reference in enumerate(cable.references, start=1):
                row.references.append(
                    models.CableReference(
                        position=position,
                        letter=reference.letter,
                        kind=reference.kind,
                        cited_text=reference.text,
                        cited_canonical_id=reference.canonical_id,
                    )
                )
            for position, paragraph in enumerate(cable.paragraphs, start=1):
                row.paragraphs.append(
                    models.Paragraph(
                        position=position,
                        number=paragraph.number,
                        number_printed=paragraph.number_printed,
                        marking=paragraph.marking,
                        level=levels.get(paragraph.level) if paragraph.level else None,
                        caveats=list(paragraph.caveats),
                        section=paragraph.section,
                        text=paragraph.text,
                    )
                )
            form = edition_form(document.format)
            row.editions.append(models.CableEdition(form=form, source=source))
            row.versions.append(
                models.CableVersion(
                    version=1,
                    form=form,
                    text_sha256=sha256_of(document.text.encode()),
                    source=source,
                    header=cable.header,
                    body=cable.body,
                    is_current=True,
                )
            )
            session.add(row)
        session.commit()
    engine.dispose()
    return time.perf_counter() - started


# -- queries -----------------------------------------------------------------------------


def timings(run: Callable[[], object], times: int) -> list[float]:
    """Milliseconds of ``times`` runs after one warm-up run, fastest first."""
    run()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)


def percentile(ordered: list[float], share: float) -> float:
    """The sample at ``share`` (0.95 for p95) of ``ordered``, nearest rank."""
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latencies(run: Callable[[], object], times: int = QUERY_RUNS) -> tuple[float, float]:
    """p50 and p95 in milliseconds (after one warm-up run)."""
    samples = timings(run, times)
    return statistics.median(samples), percentile(samples, 0.95)


def rare_term(url: str) -> str:
    """A term found in about one cable: the serial number its banner prints (``STATE 053069``).

    The synthetic text draws its words from the corpus's most frequent ones, so at scale no
    ordinary word is rare; a serial number is what a user looking for one cable would type.
    """
    with psycopg.connect(libpq_url(url)) as connection:
        row = connection.execute(
            "SELECT canonical_id FROM cables ORDER BY id OFFSET (SELECT count(*) / 2 FROM cables) LIMIT 1"
        ).fetchone()
    serial = re.search(r"(\d+)$", row[0]) if row else None
    return f"{int(serial[1]):06d}" if serial else COMMON_TERM


def search_shapes(rare: str) -> list[tuple[str, str, CableFilter]]:
    """(label, query, filter) of every query shape the search targets cover."""
    return [
        (f"rare word '{rare}'", rare, CableFilter()),
        (f"common word '{COMMON_TERM}'", COMMON_TERM, CableFilter()),
        ("two words 'nuclear weapons'", "nuclear weapons", CableFilter()),
        ("three words 'human rights abuses'", "human rights abuses", CableFilter()),
        ("phrase '\"prime minister\"'", '"prime minister"', CableFilter()),
        (f"'{COMMON_TERM}' --origin berlin", COMMON_TERM, CableFilter(origin="berlin")),
        (f"'{COMMON_TERM}' --tag PREL", COMMON_TERM, CableFilter(tags=("PREL",))),
        (
            f"'{COMMON_TERM}' --from 2009-01-01 --to 2009-03-31",
            COMMON_TERM,
            CableFilter(since=date(2009, 1, 1), until=date(2009, 3, 31)),
        ),
        (f"'{COMMON_TERM}' --classification C", COMMON_TERM, CableFilter(classification="C")),
        ("misspelt 'goverment' (similar subjects)", "goverment", CableFilter()),
        ("misspelt 'goverment' --origin berlin", "goverment", CableFilter(origin="berlin")),
        ("misspelt 'goverment' --tag PREL", "goverment", CableFilter(tags=("PREL",))),
    ]


def cable_count(url: str) -> int:
    with psycopg.connect(libpq_url(url)) as connection:
        return connection.execute("SELECT count(*) FROM cables").fetchone()[0]  # type: ignore[index]


def query_rows(url: str) -> list[Row]:
    from archive.query.cables import load_cable
    from archive.query.reports import available_reports, run_report
    from archive.query.search import search

    rows: list[Row] = []
    engine = create_engine(url)
    with Session(engine) as session:
        for label, query, where in search_shapes(rare_term(url)):
            p50, p95 = latencies(lambda query=query, where=where: search(session, query, where, limit=20))
            rows.append(Row(f"full-text top 20, {label}", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"))
            session.rollback()  # a fresh snapshot between shapes, as the CLI has per search
        ids = [
            r[0]
            for r in session.execute(
                models.Cable.__table__.select().with_only_columns(models.Cable.reference_id).limit(2000)
            )
        ]
        rng = random.Random(1)
        p50, p95 = latencies(lambda: (session.expunge_all(), load_cable(session, rng.choice(ids))))
        rows.append(Row("one cable with all its rows", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"))
    engine.dispose()
    for name in available_reports():
        try:
            p50, p95 = latencies(lambda name=name: run_report(name, url=url), REPORT_RUNS)
            rows.append(Row(f"report {name}", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms", f"{REPORT_RUNS} runs"))
        except Exception as error:  # a report that needs parameters: say so rather than stop
            rows.append(Row(f"report {name}", "not run", str(error).splitlines()[0][:60]))
    return rows


# -- the run -----------------------------------------------------------------------------


def synthetic_input(count: int, work: Path, seed: int) -> Path:
    """``count`` synthetic cables as a cables.csv dump, made once and cached in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"cables-{count}-{seed}-{synth.TEXT_VERSION}.csv"  # a new synthetic text, a new input
    if not csv_path.exists():
        synth.write_csv(csv_path, count, seed)
    return csv_path


def benchmark(count: int, work: Path, seed: int = 1, orm_slice: int = ORM_SLICE, *, keep: bool = False) -> list[Row]:
    """The benchmark's rows; ``orm_slice`` 0 leaves out the ORM comparison; ``keep`` keeps the loaded archive."""
    server = database_url()
    csv_path = synthetic_input(count, work, seed)
    texts_file = work / csv_path.name.replace("cables-", "texts-").replace(".csv", ".copy")
    if not texts_file.exists():
        write_floor_input(csv_path, texts_file)
    megabytes = csv_path.stat().st_size / 1e6
    rows = [Row("input", f"{count:,} synthetic cables, {megabytes:,.0f} MB cables.csv", f"seed {seed}")]

    # The floor first: autovacuum, which a bulk load leaves for after it, must not slow the floor down.
    floor = floor_seconds(texts_file, server)
    with scratch_database(server, keep=keep) as url:
        load = run_archive_load(csv_path, url)
        seconds = load.seconds
        rows += [
            Row(
                "archive load, empty database, all indexes", f"{seconds:.1f} s", f"{load.summary['rejected']} rejected"
            ),
            Row("  cables/s", f"{count / seconds:,.0f}"),
            Row("  MB/s", f"{megabytes / seconds:.1f}"),
            Row("  peak memory (process tree)", f"{load.peak_memory / 1e6:,.0f} MB", "loader and parse workers"),
            Row(
                "  memory sampler's own CPU", f"{load.sampler_cpu:.2f} s", f"{load.sampler_cpu / seconds:.1%} of a core"
            ),
        ]
        rows += cpu_rows(load)
        rows.append(
            Row("  cores busy", f"{load.cores_busy(0, seconds):.2f} of {os.cpu_count()}", "the machine's, /proc/stat")
        )
        rows += [
            Row(f"  {phase}", f"{end - start:.1f} s", f"{load.cores_busy(start, end):.2f} cores busy")
            for phase, start, end in load.phase_windows()
        ]
        rows += [
            Row("floor: COPY texts + stored tsvector + GIN", f"{floor:.1f} s"),
            Row("  ours / floor", f"{seconds / floor:.2f}x"),
        ]
        rows += size_rows(url, csv_path.stat().st_size)
        again = run_archive_load(csv_path, url)
        rows.append(
            Row(
                "unchanged re-load",
                f"{again.seconds:.1f} s",
                f"{again.seconds / seconds:.1%} of the first load, {again.summary['unchanged']:,} unchanged",
            )
        )
        rows += query_rows(url)
        if keep:
            rows.append(
                Row(
                    "kept archive", make_url(url).render_as_string(hide_password=True), "dropped by hand: DROP DATABASE"
                )
            )

    if orm_slice:
        documents = list(islice((d for d in read_paths([str(csv_path)]) if isinstance(d, Document)), orm_slice))
        slice_path = work / f"slice-{count}-{len(documents)}-{seed}.csv"
        slice_path.write_bytes(b"".join(document.raw for document in documents))
        with scratch_database(server) as url:
            orm = orm_load(documents, url)
        with scratch_database(server) as url:
            ours = run_archive_load(slice_path, url).seconds
        rows += [
            Row(f"ORM loader, {len(documents):,} cables", f"{orm:.1f} s", f"{len(documents) / orm:,.0f} cables/s"),
            Row(f"archive load, same {len(documents):,}", f"{ours:.1f} s", f"speed-up {orm / ours:.1f}x"),
        ]
    return rows


def describe_machine() -> str:
    return (
        f"{platform.node()}: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB, "
        f"Python {platform.python_version()}, parser {parser_build()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def print_table(rows: list[Row]) -> None:
    width = max(len(row.measure) for row in rows)
    value_width = max(len(row.value) for row in rows)
    for row in rows:
        print(f"{row.measure:<{width}}  {row.value:<{value_width}}  {row.note}".rstrip())


def input_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """--n, --seed and --work: which synthetic input, and where it is cached."""
    parser.add_argument("--n", type=int, default=CABLEGATE, help="number of synthetic cables (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/var/tmp/cable-archive-bench"), help="cache of inputs")
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = input_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--orm-slice", type=int, default=ORM_SLICE, help="cables for the ORM comparison; 0 skips it")
    parser.add_argument(
        "--queries-on",
        metavar="DATABASE_URL",
        help="only measure the queries and reports, on this archive as it is loaded (no load)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the loaded archive (its URL is printed), e.g. for reporting.py --queries-on",
    )
    args = parser.parse_args(argv)
    print(describe_machine())
    if args.queries_on:
        print_table([Row("archive", args.queries_on.rsplit("/", 1)[-1], f"{cable_count(args.queries_on):,} cables")])
        print_table(query_rows(args.queries_on))
        return
    print_table(benchmark(args.n, args.work, args.seed, args.orm_slice, keep=args.keep))


if __name__ == "__main__":
    main()
