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
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path

from .store import QueryError, QueryResult, Term

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


class NotAcceptableError(QueryError):
    """The answer's form (solutions or graph) has no format the client accepts (HTTP 406)."""


@dataclass(frozen=True)
class Limits:
    """What one query may cost. ``timeout`` in seconds; ``max_rows`` solutions or triples."""

    timeout: float = 10.0
    max_rows: int = 10_000


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


class QueryPool:
    """N worker processes answering SPARQL over the embedded store, with hard time limits.

    ``query()`` gives the :class:`~treatykg.store.Store` interface (a ``QueryResult``), so the
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
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.limits = limits or Limits()
        self.size = 1 if allow_update else workers
        self.allow_update = allow_update
        self.queue_wait = queue_wait if queue_wait is not None else self.limits.timeout + 30.0
        self._extra = [(str(p), g) for p, g in (extra or [])]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._updates: list[str] = []
        self._lock = threading.Lock()
        self._closed = False
        self._nq_path = ""
        self.stats = PoolStats()

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> QueryPool:
        """Build the cache if needed (once, here, not in N racing workers) and start the workers."""
        from .store import cached_dataset_path

        self._nq_path = str(cached_dataset_path())
        starters = [threading.Thread(target=self._spawn, daemon=True) for _ in range(self.size)]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        if self._idle.qsize() < self.size:
            raise QueryError("the query workers did not start (see the messages above)")
        return self

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            _stop(worker)

    def __enter__(self) -> QueryPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> None:
        """Start one worker (``python -m treatykg._worker``) and wait until its store is loaded.

        A fresh interpreter, not ``multiprocessing``'s spawn: that one re-imports the caller's
        ``__main__``, which breaks under uvicorn's reloader, notebooks and ``python -``."""
        with self._lock:
            updates = list(self._updates)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", "treatykg._worker", str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        conn = _Duplex(Connection(from_child_r, writable=False), Connection(to_child_w, readable=False))
        try:
            conn.send((self._nq_path, self._extra, updates))
            if not conn.poll(120):
                raise EOFError("no answer")
            status = conn.recv()
        except (EOFError, OSError):
            _kill(process)
            conn.close()
            return
        if status[0] != "ready":
            _kill(process)
            conn.close()
            print(f"error: a query worker failed to start: {status[1]}", file=sys.stderr)
            return
        worker = _Worker(process, conn)
        self.stats.started += 1
        if self._closed:
            _stop(worker)
            return
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its replacement in the background."""
        _kill(worker.process)
        worker.conn.close()
        self.stats.killed += 1
        if not self._closed:
            threading.Thread(target=self._spawn, daemon=True).start()

    # --- work ------------------------------------------------------------------------------------

    def run(self, job: Job, timeout: float | None = None) -> Serialised | QueryResult:
        """Run one job on an idle worker; raises a QueryError subclass with a one-line message."""
        limit = self.limits.timeout if timeout is None else timeout
        if job.update and not self.allow_update:
            raise QueryError("SPARQL Update is disabled on this server (start it with --allow-update)")
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            self._count("busy")
            raise PoolBusyError(f"all {self.size} query workers are busy; try again shortly") from None
        self.stats.jobs += 1
        if job.max_rows is None:
            job = replace(job, max_rows=self.limits.max_rows)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                self._replace(worker)
                worker = None
                self._count("timeout")
                raise QueryTimeoutError(f"the query ran longer than the time limit of {limit:g} s and was stopped")
            answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._replace(worker)
                worker = None
            self._count("crash")
            raise QueryError("the query worker stopped unexpectedly; the query was not answered") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if answer[0] == "ok":
            if job.update:
                with self._lock:
                    self._updates.append(job.text)
            return answer[1]
        self._count(answer[1])
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
}


class _Duplex:
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


def _stop(worker: _Worker) -> None:
    """Ask a worker to finish (closing its pipe ends its loop), then make sure it has."""
    worker.conn.close()
    try:
        worker.process.wait(2)
    except subprocess.TimeoutExpired:
        _kill(worker.process)


# --- inside a worker process ---------------------------------------------------------------------


def worker_main(read_fd: int, write_fd: int) -> None:
    """Load the store, replay the update log, then answer jobs until the pipe closes."""
    conn = _Duplex(Connection(read_fd, writable=False), Connection(write_fd, readable=False))
    try:
        nq_path, extra, updates = conn.recv()
        import pyoxigraph as ox

        from .store import EmbeddedStore

        store = ox.Store()
        store.load(path=nq_path, format=ox.RdfFormat.N_QUADS)
        if extra:
            EmbeddedStore.load_extra(store, extra)
        for update in updates:
            store.update(update)
    except Exception as exc:  # report any start-up failure to the parent, in one line
        conn.send(("failed", " ".join(str(exc).split())))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", _execute(store, job)))
        except _JobError as exc:
            conn.send(("error", exc.kind, exc.message))
        except Exception as exc:  # an engine error we did not foresee: answer, don't die
            conn.send(("error", "failed", f"query failed: {' '.join(str(exc).split())}"))


class _JobError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _execute(store, job: Job):
    import pyoxigraph as ox

    try:
        if job.update:
            store.update(job.text)
            return Serialised("update", "text/plain", b"")
        options: dict = {}
        if job.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        elif job.union_default_graph:
            options["use_default_graph_as_union"] = True
        if job.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        if job.bindings:
            # SEP-0007 substitution: the value replaces the variable inside the query, so no text
            # is built from it and the engine can use it as a constant.
            options["substitutions"] = {ox.Variable(name): ox.NamedNode(iri) for name, iri in job.bindings}
        result = store.query(job.text, **options)
    except SyntaxError as exc:
        raise _JobError("syntax", f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
    except ValueError as exc:
        raise _JobError("syntax", f"invalid request: {' '.join(str(exc).split())}") from exc
    except (OSError, RuntimeError) as exc:
        raise _JobError("failed", f"query failed: {' '.join(str(exc).split())}") from exc
    if isinstance(result, ox.QueryBoolean):
        answer = QueryResult("ask", boolean=bool(result))
        return answer if job.raw else _serialise_solutions(answer, job)
    if isinstance(result, ox.QuerySolutions):
        answer = QueryResult("select", [v.value for v in result.variables])
        for solution in result:
            if len(answer.rows) >= job.max_rows:
                raise _JobError("too-large", _too_large(job.max_rows, "rows"))
            answer.rows.append({name: _term(solution[name]) for name in answer.variables if solution[name] is not None})
        return answer if job.raw else _serialise_solutions(answer, job)
    triples = []
    for triple in result:
        if len(triples) >= job.max_rows:
            raise _JobError("too-large", _too_large(job.max_rows, "triples"))
        triples.append(triple)
    if job.raw:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return QueryResult("graph", ntriples=body.decode("utf-8"))
    if job.graph_format is None:
        raise _JobError(
            "not-acceptable",
            "the query gives RDF triples, but the request accepts none of: " + ", ".join(GRAPH_FORMATS.values()),
        )
    from .iri import PREFIXES

    fmt = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }[job.graph_format]
    prefixes = _used_prefixes(triples, PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)
    return Serialised("graph", GRAPH_FORMATS[job.graph_format], body or b"", len(triples))


def _used_prefixes(triples: list, known: dict[str, str]) -> dict[str, str]:
    """Only the prefixes the triples use, so a three-triple answer has no fifty-line preamble."""
    import pyoxigraph as ox

    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    return {name: ns for name, ns in known.items() if any(iri.startswith(ns) for iri in iris)}


def _too_large(limit: int, unit: str) -> str:
    return (
        f"the answer has more than {limit} {unit}, the limit of this server; "
        "add LIMIT (and OFFSET to read it page by page)"
    )


def _term(term) -> Term:
    from .store import _from_ox

    return _from_ox(term)


def _serialise_solutions(answer: QueryResult, job: Job) -> Serialised:
    from . import formats

    if job.solution_format is None:
        raise _JobError(
            "not-acceptable",
            "the query gives solutions, but the request accepts none of: " + ", ".join(SOLUTION_FORMATS.values()),
        )
    writer = {
        "json": formats.to_json,
        "xml": formats.to_xml,
        "csv": formats.to_csv,
        "tsv": formats.to_tsv,
    }[job.solution_format]
    if answer.form == "ask" and job.solution_format in ("csv", "tsv"):
        body = ("true\n" if answer.boolean else "false\n").encode()
    else:
        body = writer(answer).encode("utf-8")
    return Serialised(answer.form, SOLUTION_FORMATS[job.solution_format], body, len(answer.rows))
