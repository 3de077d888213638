"""A pool of worker processes, each holding its own copy of the embedded store.

Why processes: pyoxigraph evaluates a query inside Rust with no timeout and no cancellation, so a
thread cannot stop a runaway query (a cartesian product over the whole graph runs for hours). A
process can be killed. Each worker loads the N-Quads build cache (milliseconds at 1x) and answers
jobs sent over a pipe; the pool hands a job to an idle worker and, if the answer does not come
within the time limit, kills that worker and starts a fresh one in the background while the other
workers keep answering. With N workers, N queries run at once (one per core is the sweet spot).

Results are serialised *in the worker* (SPARQL JSON/XML/CSV/TSV, Turtle, N-Triples, JSON-LD,
RDF/XML), counting rows as they stream, so an oversized answer is refused before it is built.

Updates (``allow_update``) are kept in a log and replayed into every new worker, so a restarted
worker does not forget them; with updates enabled the pool has one worker, so every query sees
every update. Nothing is written back to the sources: updates live as long as the server.

Hardening (issue 14):

* the pool owns what its workers load: at start it takes a private copy (a hard link where the
  file system allows, else a copy) of the N-Quads snapshot and of the ``--with`` files, in a
  temporary directory it removes on close, so a cache rebuild or a deleted cache directory
  cannot stop a replacement worker from starting;
* a worker that fails to start is retried in the background with backoff; while no worker is
  alive a query fails at once (503) instead of waiting for the queue timeout;
* each worker limits itself (:mod:`treatykg.util.sandbox`) before it loads anything: its address
  space (``Limits.memory_bytes``) and, unless the server allows SERVICE, its network (a new, empty
  network namespace), so no guard bug can make it fetch a URL;
* ``SERVICE`` and ``LOAD`` are refused on the token stream (:mod:`treatykg.util.sparqltext`) for every
  job, whoever sends it (the protocol endpoint, the editor, the pages);
* answers are bounded in bytes as well as rows, counted while they are collected, and a remote
  service's answer is never echoed in an error message.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path

from .store import QueryError, QueryResult

#: Result formats a worker can write, by form. Keys are the short names used in ``?format=``.
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class QuerySyntaxError(QueryError):
    """The engine's parser rejected the text (HTTP 400)."""


class QueryTimeoutError(QueryError):
    """The query ran past the time limit and its worker was stopped (HTTP 503)."""


class ResultTooLargeError(QueryError):
    """The answer has more rows or triples than the server's limit (HTTP 422)."""


class PoolBusyError(QueryError):
    """No worker became free in time (HTTP 503)."""


class NoWorkerError(PoolBusyError):
    """No worker is alive at the moment (one is being started); fails at once (HTTP 503)."""


class WorkerCrashedError(QueryError):
    """The worker died while answering (HTTP 503; it is replaced)."""


class MemoryLimitError(QueryError):
    """The query needed more memory than a worker may use; the worker was replaced (HTTP 422:
    the same query would fail again, so this is not an overload to retry)."""


class ServiceRefusedError(QueryError):
    """SERVICE or LOAD on a server that does not allow them (HTTP 403)."""


class RemoteServiceError(QueryError):
    """A SERVICE or LOAD request failed (HTTP 502); the message never carries its answer."""


class NotAcceptableError(QueryError):
    """The answer's form (solutions or graph) has no format the client accepts (HTTP 406)."""


@dataclass(frozen=True)
class Limits:
    """What one query may cost. ``timeout`` in seconds; ``max_rows`` solutions or triples;
    ``max_bytes`` the size of an answer (counted while it is built); ``memory_bytes`` the address
    space of each worker process (None: unlimited)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024
    memory_bytes: int | None = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Job:
    """One unit of work for a worker."""

    text: str
    update: bool = False
    solution_format: str | None = "json"  # None: the client accepts no solution format
    graph_format: str | None = "ttl"  # None: the client accepts no graph format
    raw: bool = False  # return a QueryResult instead of serialised bytes
    union_default_graph: bool = True
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    bindings: tuple[tuple[str, str], ...] = ()  # (variable, IRI) substituted before evaluation
    max_rows: int | None = None  # None: the pool's limit
    max_bytes: int | None = None  # None: the pool's limit


@dataclass
class Serialised:
    """A serialised answer: its form, media type and bytes, and how many rows/triples it has."""

    form: str
    media_type: str
    body: bytes
    count: int = 0


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection


@dataclass
class PoolStats:
    """Counters an operator (and the tests) can read."""

    started: int = 0
    killed: int = 0
    jobs: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    peak_rss_kib: int = 0  # the largest resident set a finished worker reached
    network_isolated: bool | None = None  # what the last worker reported


class QueryPool:
    """N worker processes answering SPARQL over the embedded store, with hard time limits.

    ``query()`` gives the :class:`~treatykg.engine.store.Store` interface (a ``QueryResult``), so the
    catalogue and the web pages run through the same limits as ad-hoc ``/sparql`` queries.
    """

    describe = "embedded store (worker pool)"

    def __init__(
        self,
        workers: int = 2,
        limits: Limits | None = None,
        extra: list[tuple[Path | str, str]] | None = None,
        allow_update: bool = False,
        queue_wait: float | None = None,
        allow_service: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.limits = limits or Limits()
        self.size = 1 if allow_update else workers
        self.allow_update = allow_update
        self.allow_service = allow_service
        self.queue_wait = queue_wait if queue_wait is not None else self.limits.timeout + 30.0
        self._extra = [(str(p), g) for p, g in (extra or [])]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._updates: list[str] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._nq_path = ""
        self._own_dir: Path | None = None
        self._live: dict[int, _Worker] = {}  # pid -> worker, idle or busy
        self._starting = 0  # replacements being started (or waiting to retry)
        self._warned_network = False
        self.stats = PoolStats()

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> QueryPool:
        """Build the cache if needed (once, here, not in N racing workers), take the pool's own
        copy of what the workers load, and start the workers. Raises QueryError in one line
        (naming the file) if they cannot start."""
        from .store import cached_dataset_path

        self._own_dir = Path(tempfile.mkdtemp(prefix="treatykg-pool-"))
        try:
            self._nq_path = _own_copy(cached_dataset_path(), self._own_dir / "dataset.nq")
            self._extra = [
                (_own_copy(Path(path), self._own_dir / f"with-{index}" / Path(path).name), graph)
                for index, (path, graph) in enumerate(self._extra)
            ]
        except OSError as exc:
            self.close()
            raise QueryError(f"cannot copy {exc.filename or 'the dataset'}: {exc.strerror or exc}") from None
        errors: list[str] = []
        starters = [
            threading.Thread(target=lambda: errors.append(self._spawn()), daemon=True) for _ in range(self.size)
        ]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        failures = [e for e in errors if e is not None]
        if failures or len(self._live) < self.size:
            self.close()
            raise QueryError(f"the query workers did not start: {failures[0] if failures else 'no answer'}")
        return self

    def close(self) -> None:
        self._closed.set()
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            _stop(worker)
        with self._lock:
            self._live.clear()
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def __enter__(self) -> QueryPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def health(self) -> dict[str, int]:
        """Live and starting workers, jobs, stopped workers and the peak memory of a worker (KiB)."""
        with self._lock:
            pids = list(self._live)
        peak = max([self.stats.peak_rss_kib, *(_vm_hwm_kib(pid) for pid in pids)])
        return {
            "live": len(pids),
            "starting": self._starting,
            "size": self.size,
            "jobs": self.stats.jobs,
            "stopped": self.stats.killed,
            "peak_rss_kib": peak,
        }

    def worker_pids(self) -> list[int]:
        with self._lock:
            return list(self._live)

    def _spawn(self) -> str | None:
        """Start one worker (``python -m treatykg.engine._worker``) and wait until its store is loaded;
        None on success, else why it failed (one line).

        A fresh interpreter, not ``multiprocessing``'s spawn: that one re-imports the caller's
        ``__main__``, which breaks under uvicorn's reloader, notebooks and ``python -``."""
        with self._lock:
            updates = list(self._updates)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        memory = self.limits.memory_bytes or 0
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "treatykg.engine._worker",
                str(to_child_r),
                str(from_child_w),
                str(memory),
                "1" if self.allow_service else "0",
            ],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        conn = Duplex(Connection(from_child_r, writable=False), Connection(to_child_w, readable=False))
        try:
            conn.send((self._nq_path, self._extra, updates))
            if not conn.poll(120):
                raise EOFError("no answer")
            status = conn.recv()
        except (EOFError, OSError):
            self._reap(process, kill=True)
            conn.close()
            return "the worker process stopped while loading the store"
        if status[0] != "ready":
            self._reap(process, kill=True)
            conn.close()
            return str(status[1])
        self._note_sandbox(status[1] if len(status) > 1 else {})
        worker = _Worker(process, conn)
        self.stats.started += 1
        if self._closed.is_set():
            _stop(worker)
            return None
        with self._lock:
            self._live[process.pid] = worker
        self._idle.put(worker)
        return None

    def _note_sandbox(self, report: dict) -> None:
        """Say once, on stderr, if a worker of a server without --allow-service could not be cut
        off from the network (the token guard then stands alone)."""
        isolated = bool(report.get("network_isolated"))
        self.stats.network_isolated = isolated
        if not self.allow_service and not isolated and not self._warned_network:
            self._warned_network = True
            print(
                "warning: query workers could not be isolated from the network on this system; "
                "SERVICE and LOAD are still refused by the query check",
                file=sys.stderr,
            )

    def _respawn(self) -> None:
        """Start a replacement in the background, retrying with backoff until it runs (or the
        pool closes): a worker that cannot start now (a full disk, a busy host) may later."""
        with self._lock:
            self._starting += 1

        def keep_trying() -> None:
            delay = 0.5
            try:
                while not self._closed.is_set():
                    error = self._spawn()
                    if error is None:
                        return
                    print(f"error: a query worker failed to start (retrying in {delay:g} s): {error}", file=sys.stderr)
                    if self._closed.wait(delay):
                        return
                    delay = min(delay * 2, 30.0)
            finally:
                with self._lock:
                    self._starting -= 1

        threading.Thread(target=keep_trying, daemon=True).start()

    def _retire(self, worker: _Worker, kill: bool) -> int | None:
        """Stop (or bury) a worker, count it, start its replacement; its exit code."""
        with self._lock:
            self._live.pop(worker.process.pid, None)
        code = self._reap(worker.process, kill=kill)
        worker.conn.close()
        self.stats.killed += 1
        if not self._closed.is_set():
            self._respawn()
        return code

    def _reap(self, process: subprocess.Popen, kill: bool) -> int | None:
        """Wait for a worker to end (killing it first if asked); records its peak memory."""
        if kill:
            with contextlib.suppress(OSError):
                process.kill()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        except ChildProcessError:
            return process.returncode
        process.returncode = os.waitstatus_to_exitcode(status)
        self.stats.peak_rss_kib = max(self.stats.peak_rss_kib, int(usage.ru_maxrss))
        return process.returncode

    # --- work ------------------------------------------------------------------------------------

    def check(self, job: Job) -> None:
        """Refuse a job the server does not run: SERVICE/LOAD (unless allowed), updates (unless
        allowed), text that is no SPARQL. Pure CPU, linear in the text; callers on an event loop
        run it (with :meth:`run`) in a thread."""
        from ..util.sparqltext import SparqlLexError, fetching_keyword

        if job.update and not self.allow_update:
            raise QueryError("SPARQL Update is disabled on this server (start it with --allow-update)")
        if self.allow_service:
            return
        try:
            keyword = fetching_keyword(job.text)
        except SparqlLexError as exc:
            raise QuerySyntaxError(str(exc)) from None
        if keyword:
            raise ServiceRefusedError(
                f"{keyword} is disabled on this server: it would fetch a URL chosen by the caller "
                "(start the server with --allow-service to enable federated queries)"
            )

    def _acquire(self) -> _Worker:
        """An idle worker; fails at once when none is alive, after ``queue_wait`` when all are busy."""
        deadline = time.monotonic() + self.queue_wait
        while True:
            if not self._live:
                self._count("no-worker")
                raise NoWorkerError(
                    "no query worker is running at the moment (one is being started); try again shortly"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._count("busy")
                raise PoolBusyError(f"all {self.size} query workers are busy; try again shortly")
            try:
                return self._idle.get(timeout=min(0.25, remaining))
            except queue.Empty:
                continue

    def run(self, job: Job, timeout: float | None = None) -> Serialised | QueryResult:
        """Run one job on an idle worker; raises a QueryError subclass with a one-line message."""
        limit = self.limits.timeout if timeout is None else timeout
        self.check(job)
        worker = self._acquire()
        self.stats.jobs += 1
        if job.max_rows is None:
            job = replace(job, max_rows=self.limits.max_rows)
        if job.max_bytes is None:
            job = replace(job, max_bytes=self.limits.max_bytes)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                self._retire(worker, kill=True)
                worker = None
                self._count("timeout")
                raise QueryTimeoutError(f"the query ran longer than the time limit of {limit:g} s and was stopped")
            answer = worker.conn.recv()
        except (EOFError, OSError):
            code = self._retire(worker, kill=True) if worker is not None else None
            worker = None
            if code == -signal.SIGABRT:
                self._count("memory")
                raise MemoryLimitError(_memory_message(self.limits.memory_bytes)) from None
            self._count("crash")
            raise WorkerCrashedError("the query worker stopped unexpectedly; the query was not answered") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if answer[0] == "ok":
            if job.update:
                with self._lock:
                    self._updates.append(job.text)
            return answer[1]
        self._count(answer[1])
        if answer[1] == "memory":
            raise MemoryLimitError(_memory_message(self.limits.memory_bytes))
        raise _ERRORS.get(answer[1], QueryError)(answer[2])

    def _count(self, kind: str) -> None:
        self.stats.errors[kind] = self.stats.errors.get(kind, 0) + 1

    def query(self, text: str, timeout: float | None = None, bindings: dict[str, str] | None = None) -> QueryResult:
        """The Store interface: run ``text`` over the union of graphs, rows as Terms.
        ``bindings`` maps variables (projected by the query) to IRIs, substituted by the engine."""
        result = self.run(Job(text=text, raw=True, bindings=tuple((bindings or {}).items())), timeout)
        assert isinstance(result, QueryResult)
        return result


_ERRORS: dict[str, type[QueryError]] = {
    "syntax": QuerySyntaxError,
    "too-large": ResultTooLargeError,
    "not-acceptable": NotAcceptableError,
    "refused": ServiceRefusedError,
    "remote": RemoteServiceError,
}


class Duplex:
    """Two one-way pipe ends used as one connection (what ``multiprocessing.Pipe`` would give)."""

    def __init__(self, reader: Connection, writer: Connection) -> None:
        self.reader = reader
        self.writer = writer

    def send(self, obj: object) -> None:
        self.writer.send(obj)

    def recv(self) -> object:
        return self.reader.recv()

    def poll(self, timeout: float) -> bool:
        return self.reader.poll(timeout)

    def close(self) -> None:
        for end in (self.reader, self.writer):
            with contextlib.suppress(OSError):
                end.close()


def _kill(process: subprocess.Popen) -> None:
    process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)


def _own_copy(source: Path, target: Path) -> str:
    """``source`` at ``target``: a hard link (instant, and the data outlives the cache entry),
    or a copy where linking is impossible (another file system)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return str(target)


def _vm_hwm_kib(pid: int) -> int:
    """The peak resident set (VmHWM) of a live process, in KiB (0 where /proc has none)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _memory_message(limit: int | None) -> str:
    size = f" ({limit // (1024 * 1024)} MiB)" if limit else ""
    return (
        f"the query needed more memory than a query worker may use{size} and was stopped; "
        "narrow it (fewer variables in ORDER BY or GROUP_CONCAT, a LIMIT, more specific patterns)"
    )


def _stop(worker: _Worker) -> None:
    """Ask a worker to finish (closing its pipe ends its loop), then make sure it has."""
    worker.conn.close()
    try:
        worker.process.wait(2)
    except subprocess.TimeoutExpired:
        _kill(worker.process)


# --- inside a worker process ---------------------------------------------------------------------
