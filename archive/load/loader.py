"""The bulk loader: Documents in, normalized rows out, as fast as PostgreSQL takes them.

The pipeline, all streaming (memory is bounded by the batches in flight, not the corpus):

1. The calling thread reads Documents/Rejections, groups them into batches (by count and by
   bytes), hashes each input and asks the database in one query which hashes it already
   holds: those are "unchanged" and are never parsed.
2. A process pool (one worker per core) parses the rest and encodes each result as binary
   COPY rows for the staging tables (``staging.encode``): the loading process only moves bytes.
3. Two writer threads, each with its own connection and TEMP staging tables, COPY a batch
   into staging (the server computes the full-text vectors there, so both cores do it at
   once), then take turns — in batch order — to merge it into the normalized tables with
   set-based SQL (``merge.merge_staged``) and commit. A killed load keeps every committed
   batch; a rerun skips them by hash and finishes the rest.

A batch the database refuses is split in halves until the input at fault is isolated and
kept in ``load_errors``; one bad input never stops or corrupts the rest. At the end,
references are resolved and versions counted across everything loaded so far, missing
indexes are built, every origin and addressee is given its station (``stations``) and the
reporting aggregates' summaries are rebuilt, two at a time, each in a transaction of its own. A
load into an empty archive keeps autovacuum off its tables until then
(``indexes.pause_autovacuum`` says why).
"""

from __future__ import annotations

import gc
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import psycopg
from psycopg import Connection
from sqlalchemy import Index

from archive.budget import default_input_timeout, held_handler
from archive.cable import Cable, Document, Rejection, Skipped
from archive.db import reporting
from archive.db.migrate import ensure_schema
from archive.db.session import database_url, libpq_url
from archive.load import continuations, indexes, merge, provisional, stations
from archive.load.binary_copy import payload
from archive.load.staging import EXTERNAL_COLUMNS, TABLES, EncodedDocument, encode, sha256_of
from archive.load.summary import LoadSummary, Problem

Item = Document | Rejection
Parser = Callable[[Document], Cable]
ProgressCallback = Callable[[int, int], None]  # (inputs done, bytes done)
ProblemCallback = Callable[[Problem], None]
SkipCallback = Callable[[str, str], None]  # (path, why the folder walk left it out)
PhaseCallback = Callable[[str], None]  # the end-of-load stage starting now ("indexes", ...)

DEFAULT_BATCH_SIZE = 500
DEFAULT_BATCH_BYTES = 4_000_000
WRITERS = 2
SESSION_SETTINGS = (
    "SET synchronous_commit = off",  # a crash loses at most the last batches, which a rerun reloads
    "SET temp_buffers = '128MB'",  # staging stays in memory (must precede the first temp table)
    "SET work_mem = '64MB'",
    *indexes.BUILD_SETTINGS,
)
# A merge looks up a batch's few hundred rows in tables the load is filling, which are in memory;
# priced as a disk's random reads (4), those lookups lost to hashing the whole of cables or
# cable_versions until they held about 80,000 cables (40 ms a batch and statement at 25,000).
WRITER_SETTINGS = (*SESSION_SETTINGS, "SET random_page_cost = 1.1")


class LoadAborted(RuntimeError):
    """A writer failed for a reason that is not the input's fault (database gone, disk full)."""


def default_parser() -> Parser:
    from archive.parse import parse

    return parse


def load_paths(
    paths: Sequence[str],
    url: str | None = None,
    *,
    input_format: str | None = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    input_timeout: float | None = None,
    progress: ProgressCallback | None = None,
    on_problem: ProblemCallback | None = None,
    on_phase: PhaseCallback | None = None,
    on_skip: SkipCallback | None = None,
) -> LoadSummary:
    """Load every cable under ``paths`` (files, folders read recursively, ``-`` for stdin).

    ``url`` is a SQLAlchemy or libpq URL; None means $ARCHIVE_DATABASE_URL, else the embedded server.
    Reading and parsing one input may each take ``input_timeout`` CPU seconds (None: the default
    of ``archive.budget``; 0: no limit). Entries of a folder left out (hidden, links to folders
    already read, pipes) are counted in ``LoadSummary.skipped`` and told to ``on_skip``.
    """
    from archive.sources import read_paths

    seconds = default_input_timeout() if input_timeout is None else input_timeout
    summary = LoadSummary()

    def skipped(path: str, reason: str) -> None:
        summary.skipped.append(Problem(path, None, reason))
        if on_skip is not None:
            on_skip(path, reason)

    return load_items(
        read_paths(paths, input_format, input_timeout=seconds, on_skip=skipped),
        url,
        workers=workers,
        batch_size=batch_size,
        input_timeout=seconds,
        progress=progress,
        on_problem=on_problem,
        on_phase=on_phase,
        summary=summary,
    )


def input_size(paths: Iterable[str]) -> int | None:
    """Total bytes under ``paths`` (for a progress bar), or None when reading standard input."""
    from archive.sources import walk

    total = 0
    for path in paths:
        if path == "-":
            return None
        target = Path(path)
        if target.is_dir():
            total += sum(file.stat().st_size for file in walk(target) if isinstance(file, Path))
        elif target.is_file():
            total += target.stat().st_size
    return total


def load_items(
    items: Iterable[Item | Skipped],
    url: str | None = None,
    *,
    parser: Parser | None = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    input_timeout: float | None = None,
    progress: ProgressCallback | None = None,
    on_problem: ProblemCallback | None = None,
    on_phase: PhaseCallback | None = None,
    summary: LoadSummary | None = None,
) -> LoadSummary:
    """Load Documents (and record Rejections) into the archive at ``url``.

    ``parser`` turns a Document into a Cable. By default it is ``archive.parse.parse``, run in
    ``workers`` processes; a parser given here runs in this process (tests give their own).
    Any exception it raises on one input, or a parse longer than ``input_timeout`` CPU seconds
    (None: the default budget, 0: none), rejects that input. ``summary`` is the one to fill
    (``load_paths`` counts skipped entries in it while reading).
    ``progress`` hears of inputs done, ``on_problem`` of each rejected input and ``on_phase`` of
    each end-of-load stage as it starts (the same names as ``LoadSummary.phases``).
    """
    started = time.perf_counter()
    sqlalchemy_url = database_url(url)
    ensure_schema(sqlalchemy_url)
    conninfo = libpq_url(sqlalchemy_url)
    workers = workers or os.cpu_count() or 1
    summary = summary or LoadSummary()
    pool_size = workers if parser is None and workers > 1 else 0
    callbacks = _Callbacks(progress, on_problem, on_phase)
    seconds = default_input_timeout() if input_timeout is None else input_timeout
    parsing = _Parsing(parser or default_parser(), seconds)
    # Held over the whole load: each input's reading (in this thread, as the loop asks for the next)
    # and parsing (in the workers, which inherit it, or here) is budgeted without a handler switch.
    with held_handler(), _Pipeline(conninfo, parsing, pool_size, summary, callbacks) as pipeline:
        for batch in _batches(_counting_skipped(items, summary), batch_size, batch_bytes):
            pipeline.submit(batch)
        pipeline.join_continuation_pages()
    summary.elapsed = time.perf_counter() - started
    return summary


def _counting_skipped(items: Iterable[Item | Skipped], summary: LoadSummary) -> Iterator[Item]:
    """The items to load; documents that are not cables are counted in ``summary.skipped`` instead."""
    for item in items:
        if isinstance(item, Skipped):
            summary.skipped.append(Problem(item.name, item.location, item.reason))
        else:
            yield item


def _batches(items: Iterable[Item], size: int, max_bytes: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    held = 0
    for item in items:
        batch.append(item)
        held += len(item.raw)
        if len(batch) >= size or held >= max_bytes:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


@dataclass(frozen=True)
class _Parsing:
    """How each input is parsed: the parser and its time budget (CPU seconds, 0 = none)."""

    parser: Parser
    input_timeout: float


def encode_batch(parsing: _Parsing, batch: Sequence[tuple[int, Item, bytes]]) -> list[EncodedDocument]:
    """Parse and encode one batch (runs in a worker process)."""
    with held_handler():
        return [encode(seq, item, sha256, parsing.parser, parsing.input_timeout) for seq, item, sha256 in batch]


# Work of the end of a load, run on a connection of its own (_Pipeline._on_two_connections).
_Step = Callable[[Connection], object]


def _statement(sql: str) -> _Step:
    return lambda connection: connection.execute(sql)


@dataclass(frozen=True)
class _IndexBuild:
    """Building one index. PostgreSQL 18's new parallel GIN build once failed here with "missing chunk
    number 0 for toast value" (before autovacuum was paused during bulk loads; never seen since): an index
    whose parallel build reports corrupt data is built again by one process, which had never failed."""

    index: Index

    def run(self, connection: Connection) -> None:
        try:
            connection.execute(indexes.create_statement(self.index))
        except psycopg.errors.DataCorrupted:
            connection.execute("SET max_parallel_maintenance_workers = 0")
            connection.execute(indexes.create_statement(self.index))
            connection.execute(indexes.PARALLEL_BUILD)


@dataclass(frozen=True)
class _Callbacks:
    progress: ProgressCallback | None
    on_problem: ProblemCallback | None
    on_phase: PhaseCallback | None


@dataclass
class _Batch:
    number: int
    documents: list[EncodedDocument]
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = sum(document.size for document in self.documents)


class _Pipeline:
    """Batches flow: hash check → parse pool → writer threads → committed."""

    def __init__(
        self,
        conninfo: str,
        parsing: _Parsing,
        workers: int,  # parse processes; 0 parses in this process
        summary: LoadSummary,
        callbacks: _Callbacks,
    ) -> None:
        self.conninfo = conninfo
        self.parsing = parsing
        self.workers = workers
        self.summary = summary
        self.progress = callbacks.progress
        self.on_problem = callbacks.on_problem
        self.on_phase = callbacks.on_phase
        self.lock = threading.Lock()
        self.turn = threading.Condition(self.lock)
        self.next_to_merge = 0
        self.failure: BaseException | None = None
        self.batches_submitted = 0
        self.done_inputs = 0
        self.done_bytes = 0
        self.pending: deque[tuple[int, Future[list[EncodedDocument]]]] = deque()
        self.pool: ProcessPoolExecutor | None = None
        self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=WRITERS)
        self.stack = ExitStack()
        self.stopping = threading.Event()  # set when the calling thread gives up: writers finish their batch and quit
        self.bulk_mode = False
        self.holds_bulk_lock = False

    # -- set-up and tear-down ------------------------------------------------------------

    def __enter__(self) -> _Pipeline:
        if self.workers:
            # Forked before any thread or connection exists, so the workers inherit neither; fork
            # (not spawn) also spares them re-importing the package and the caller's main module.
            # The workers share this process's objects until one is written to; a garbage collection
            # writes to every object it visits, so frozen they are left alone and stay shared (peak
            # memory 421 -> 357 MB at 25,000 cables). Unfrozen once the pool is shut down.
            gc.freeze()
            self.stack.callback(gc.unfreeze)
            self.pool = self.stack.enter_context(ProcessPoolExecutor(self.workers, mp_context=get_context("fork")))
            self.pool.submit(int).result()  # starts every worker now
        self.control = self.stack.enter_context(psycopg.connect(self.conninfo, autocommit=True))
        for setting in SESSION_SETTINGS:
            self.control.execute(setting)
        # The server's time at the start: what this load stores is dated after it.
        self.started_at = (self.control.execute("SELECT now()").fetchone() or (None,))[0]
        self._start_bulk_mode()
        self.threads = [
            threading.Thread(target=self._write_loop, name=f"writer-{i}", daemon=True) for i in range(WRITERS)
        ]
        for thread in self.threads:
            thread.start()
        self.started = time.perf_counter()
        return self

    def _start_bulk_mode(self) -> None:
        """Into an empty archive, drop the indexes (to build them once at the end) — one loader at a time.

        Holding ``indexes.BULK_LOCK`` decides: the loader that gets it into an empty archive keeps
        it until ``_finish`` has built the indexes again; a loader that does not get it loads with
        the indexes as they are (another one is bulk loading or finishing).
        """
        self.holds_bulk_lock = self._try_lock()
        if not self.holds_bulk_lock:
            return
        self.bulk_mode = self.control.execute("SELECT NOT EXISTS (SELECT FROM cables)").fetchone() == (True,)
        if self.bulk_mode:
            indexes.drop(self.control, indexes.managed_indexes())
            indexes.pause_autovacuum(self.control)
        else:
            indexes.resume_autovacuum(self.control)  # after a bulk load that was killed
            self._unlock()

    def _try_lock(self) -> bool:
        row = self.control.execute("SELECT pg_try_advisory_lock(%s)", (indexes.BULK_LOCK,)).fetchone()
        return row == (True,)

    @contextmanager
    def _bulk_lock(self) -> Iterator[None]:
        """``indexes.BULK_LOCK`` for the end-of-load work (waiting for a loader that holds it), released after."""
        if not self.holds_bulk_lock:
            self.control.execute("SELECT pg_advisory_lock(%s)", (indexes.BULK_LOCK,))
            self.holds_bulk_lock = True
        try:
            yield
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self.holds_bulk_lock:
            self.control.execute("SELECT pg_advisory_unlock(%s)", (indexes.BULK_LOCK,))
            self.holds_bulk_lock = False

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        try:
            if exc is None:
                self._drain()
                for _ in self.threads:
                    self._put(None)
                for thread in self.threads:
                    thread.join()
                self.summary.phases["parse and write"] = time.perf_counter() - self.started
                self._check_failure()
                self._finish()
            elif isinstance(exc, Exception):  # not on Ctrl-C: the user wants to stop now
                self._stop_writers()
                self._keep_indexes()
        except Exception:
            self._stop_writers()
            self._keep_indexes()
            raise
        finally:
            self._stop_writers()
            if self.pool is not None and exc is not None:
                self.pool.shutdown(wait=False, cancel_futures=True)
            self.stack.close()

    def _stop_writers(self) -> None:
        """Writers finish the batch in hand and quit (a no-op once they have)."""
        with self.turn:
            self.stopping.set()
            self.turn.notify_all()
        for thread in self.threads:
            thread.join()

    def _keep_indexes(self) -> None:
        """After a failed load, still build the indexes a bulk load dropped, when the database lets us."""
        with suppress(psycopg.Error, LoadAborted), self._bulk_lock():
            self._build_indexes(indexes.missing(self.control, indexes.managed_indexes()))
            indexes.resume_autovacuum(self.control)

    def _finish(self) -> None:
        """Cross-batch work: references, indexes, statistics, reporting aggregates.

        References and reporting are skipped when they were finished after the last batch that
        stored new sources (an unchanged re-load); a load killed before finishing them left no
        marker, so the next load does them. Done under ``indexes.BULK_LOCK``: one loader at a time.
        """
        with self._bulk_lock():
            self._finish_alone()

    def _finish_alone(self) -> None:
        up_to_date = merge.finished_since_last_store(self.control)
        if not up_to_date:
            with self._phase("references"), self.control.transaction():
                merge.wait_for_merges(self.control)
                # Provisional ids first: a merged cable's citations then resolve to the full id.
                self.summary.provisional_merged += provisional.merge_provisional(self.control)
                self.summary.provisional_ids += provisional.count_loaded(self.control, self.started_at)
                merge.resolve_references(self.control)
                merge.count_versions(self.control)
                merge.mark_references_resolved(self.control)
        missing = indexes.missing(self.control, indexes.managed_indexes())
        if missing:
            with self._phase("indexes"):
                self._build_indexes(missing)
        if self.bulk_mode and self.summary.loaded:
            with self._phase("statistics"):
                self._on_two_connections(
                    *([_statement(command) for command in group] for group in indexes.statistics_commands())
                )
        if not up_to_date:
            with self._phase("reporting"):
                self._refresh_reporting()
        # Last: autovacuum's first pass over the new rows (every page read and written again, still
        # running minutes after a million-cable load) would compete with the statistics and the
        # summaries for the disk and the second core. A load failing before this hands it back in
        # _keep_indexes.
        indexes.resume_autovacuum(self.control)

    def _refresh_reporting(self) -> None:
        """Rebuild the reporting summaries on two connections at once (an ``INSERT … SELECT`` gets no
        parallel workers), each summary in a transaction of its own, the costliest first.

        The stations are committed first, for the other connections to see; the merge lock is then held
        while the summaries are rebuilt, so that no batch is merged between them and ``mark_finished``.
        """
        with self.control.transaction():
            merge.wait_for_merges(self.control)
            stations.assign_stations(self.control)
        pending: queue.SimpleQueue[str] = queue.SimpleQueue()
        for name in reporting.SUMMARIES:
            pending.put(name)

        def rebuild(connection: Connection) -> None:
            with suppress(queue.Empty):
                while name := pending.get_nowait():
                    with connection.transaction():
                        reporting.refresh(connection, [name])

        with self.control.transaction():
            merge.wait_for_merges(self.control)
            self._on_two_connections([rebuild], [rebuild])
            merge.mark_finished(self.control)

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        if self.on_phase is not None:
            self.on_phase(name)
        with self.summary.timed(name):
            yield

    def _build_indexes(self, missing: list[Index]) -> None:
        """Build the largest index on one connection and the others on a second, at the same time
        (each build with parallel workers, ``_IndexBuild`` says what happens when one fails)."""
        if not missing:
            return
        largest = [index for index in missing if index.name == indexes.LARGEST]
        others = [index for index in missing if index.name != indexes.LARGEST]
        with suppress(psycopg.Error):  # what is still missing after says which build failed
            self._on_two_connections(*([_IndexBuild(index).run for index in group] for group in (largest, others)))
        still_missing = indexes.missing(self.control, missing)
        if still_missing:
            raise LoadAborted(f"could not build indexes: {', '.join(str(i.name) for i in still_missing)}")

    def _on_two_connections(self, first: Sequence[_Step], second: Sequence[_Step]) -> None:
        """Run the steps of ``first`` on one new connection and those of ``second`` on another, at the
        same time (the end of a load on both cores); the first error of either is raised after both end."""
        errors: list[BaseException] = []

        def run(steps: Sequence[_Step]) -> None:
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as connection:
                    for setting in SESSION_SETTINGS:
                        connection.execute(setting)
                    for step in steps:
                        step(connection)
            except BaseException as error:  # raised in the calling thread
                errors.append(error)

        threads = [threading.Thread(target=run, args=(group,)) for group in (first, second) if group]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    # -- the calling thread ------------------------------------------------------------

    def submit(self, batch: list[Item]) -> None:
        self._check_failure()
        fresh = self._without_stored(batch)
        if not fresh:
            return
        number = self.batches_submitted
        self.batches_submitted += 1
        if self.pool is None:
            self._put(_Batch(number, encode_batch(self.parsing, fresh)))
            return
        self.pending.append((number, self.pool.submit(encode_batch, self.parsing, fresh)))
        while len(self.pending) > self.workers:  # bounded: memory stays flat
            self._forward_oldest()

    def join_continuation_pages(self) -> None:
        """Scanned continuation pages stored as cables of their own join their first page's cable
        (``archive.load.continuations``): the joined texts go in as one more batch."""
        self._wait_merged()
        if not self.summary.loaded:
            return  # nothing new stored: every earlier load joined what it could
        joins = continuations.find_joins(self.control)
        if not joins:
            return
        self.submit([join.document for join in joins])
        self._wait_merged()
        self.summary.provisional_merged += continuations.merge_joined(self.control, joins)

    def _wait_merged(self) -> None:
        """Until every batch submitted so far is merged (or the load failed)."""
        self._drain()
        with self.turn:
            while self.next_to_merge < self.batches_submitted and self.failure is None:
                self.turn.wait(0.5)
        self._check_failure()

    def _forward_oldest(self) -> None:
        number, future = self.pending.popleft()
        self._put(_Batch(number, future.result()))

    def _drain(self) -> None:
        while self.pending:
            self._forward_oldest()

    def _put(self, item: _Batch | None) -> None:
        while True:
            self._check_failure()
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _check_failure(self) -> None:
        if self.failure is not None:
            raise LoadAborted(f"the load stopped: {self.failure}") from self.failure

    def _without_stored(self, batch: list[Item]) -> list[tuple[int, Item, bytes]]:
        """Hash each input; drop those already stored (and repeats within the batch), counting them unchanged."""
        hashed = [(item, sha256_of(item.raw)) for item in batch]
        documents = [sha for item, sha in hashed if isinstance(item, Document)]
        stored = {
            bytes(row[0])
            for row in self.control.execute("SELECT sha256 FROM sources WHERE sha256 = ANY(%s)", (documents,))
        }
        fresh: list[tuple[int, Item, bytes]] = []
        unchanged = unchanged_bytes = 0
        for seq, (item, sha) in enumerate(hashed):
            if isinstance(item, Document) and sha in stored:
                unchanged += 1
                unchanged_bytes += len(item.raw)
                continue
            if isinstance(item, Document):
                stored.add(sha)
            fresh.append((seq, item, sha))
        with self.lock:
            self.summary.documents += len(batch)
            self.summary.bytes_read += sum(len(item.raw) for item in batch)
            self.summary.unchanged += unchanged
        self._advance(unchanged, unchanged_bytes)
        return fresh

    def _advance(self, inputs: int, size: int) -> None:
        with self.lock:
            self.done_inputs += inputs
            self.done_bytes += size
            done = (self.done_inputs, self.done_bytes)
        if self.progress is not None and inputs:
            self.progress(*done)

    # -- writer threads ----------------------------------------------------------------

    def _write_loop(self) -> None:
        try:
            with psycopg.connect(self.conninfo) as connection:
                self._prepare(connection)
                while not self.stopping.is_set():
                    try:
                        batch = self.queue.get(timeout=0.2)
                    except queue.Empty:
                        continue
                    if batch is None:
                        break
                    self._write(connection, batch)
        except BaseException as error:  # handed to the calling thread
            with self.turn:
                self.failure = self.failure or error
                self.turn.notify_all()

    def _prepare(self, connection: Connection) -> None:
        for setting in WRITER_SETTINGS:
            connection.execute(setting)
        for table in TABLES:
            connection.execute(table.ddl())
        for table, column in EXTERNAL_COLUMNS:
            connection.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")
        connection.execute(merge.CREATE_VERSIONS)
        connection.commit()

    def _write(self, connection: Connection, batch: _Batch) -> None:
        documents = batch.documents
        self._copy(connection, documents)  # in parallel with the other writer's merge
        with self.turn:
            while self.next_to_merge != batch.number and self.failure is None and not self.stopping.is_set():
                self.turn.wait()
            self._check_failure()
            if self.stopping.is_set():
                connection.rollback()
                return
        try:
            self._merge_or_split(connection, documents, copied=True)
        finally:
            with self.turn:
                self.next_to_merge += 1
                self.turn.notify_all()
        problems = [document.problem for document in documents if document.problem is not None]
        with self.lock:
            self.summary.rejected.extend(problems)
        if self.on_problem is not None:
            for problem in problems:
                self.on_problem(problem)
        self._advance(len(documents), batch.size)

    def _copy(self, connection: Connection, documents: Sequence[EncodedDocument]) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                rows = [document.rows[table.name] for document in documents if table.name in document.rows]
                if not rows:
                    continue
                with cursor.copy(f"COPY {table.name} ({table.column_names}) FROM STDIN (FORMAT binary)") as copy:
                    copy.write(payload(rows))

    def _merge_or_split(self, connection: Connection, documents: Sequence[EncodedDocument], copied: bool) -> None:
        try:
            if not copied:
                self._copy(connection, documents)
            counts = merge.merge_staged(connection)
            connection.commit()
        except (psycopg.DataError, psycopg.IntegrityError, psycopg.errors.ProgramLimitExceeded) as error:
            connection.rollback()
            if len(documents) > 1:
                middle = len(documents) // 2
                self._merge_or_split(connection, documents[:middle], copied=False)
                self._merge_or_split(connection, documents[middle:], copied=False)
            else:
                self._quarantine(connection, documents[0], error)
            return
        with self.lock:
            self.summary.loaded += counts.loaded
            self.summary.unchanged += counts.duplicates
            self.summary.new_cables += counts.new_cables
            self.summary.new_versions += counts.new_versions

    def _quarantine(self, connection: Connection, document: EncodedDocument, error: psycopg.Error) -> None:
        """The database refused this one input: keep it in load_errors with the database's reason."""
        message = f"the database refused the parsed cable: {str(error).splitlines()[0]}"
        self._copy(connection, [document])
        staged = connection.execute("SELECT name, location FROM stage_cables").fetchone()
        if staged is None:  # the load-errors row itself was refused: nothing sensible is left to do
            raise LoadAborted(message) from error
        connection.execute(
            "INSERT INTO stage_errors (name, location, format, message, sha256, raw) "
            "SELECT name, location, format, %s, sha256, raw FROM stage_cables",
            (message,),
        )
        connection.execute("DELETE FROM stage_cables")
        merge.merge_staged(connection)
        connection.commit()
        document.problem = Problem(staged[0], staged[1], message)
