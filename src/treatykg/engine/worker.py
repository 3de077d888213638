"""The worker side of the query pool: load the store, then answer jobs until the pipe closes.

Runs in the child process that :mod:`treatykg.engine.pool` starts (through
:mod:`treatykg.engine._worker`, after the sandbox is applied). Kept apart from the parent side
because the two never share a call: the parent sends :class:`~treatykg.engine.pool.Job` objects
and receives :class:`~treatykg.engine.pool.Serialised` answers (both defined in ``pool``, so they
unpickle on either side); everything here runs only in the child, where a query may be killed
at any moment.
"""

from __future__ import annotations

import re
from multiprocessing.connection import Connection

from ..model.iri import PREFIXES
from .pool import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    Duplex,
    Job,
    Serialised,
)
from .store import QueryResult, Term


def worker_main(read_fd: int, write_fd: int, sandbox: dict | None = None) -> None:
    """Load the store, replay the update log, then answer jobs until the pipe closes.
    ``sandbox`` is what :func:`treatykg.util.sandbox.apply` did (reported to the parent once)."""
    conn = Duplex(Connection(read_fd, writable=False), Connection(write_fd, readable=False))
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
    conn.send(("ready", sandbox or {}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", _execute(store, job)))
        except _JobError as exc:
            conn.send(("error", exc.kind, exc.message))
        except MemoryError:
            conn.send(("error", "memory", ""))
        except Exception as exc:  # an engine error we did not foresee: answer, don't die
            error = _engine_error(exc, job)
            conn.send(("error", error.kind, error.message))


class _JobError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


#: How a failed SERVICE call shows in an engine error: the status is kept, the body never.
_REMOTE_STATUS = re.compile(r"\b([1-5][0-9][0-9])\b[^\n]{0,80}?returned by")


def _engine_error(exc: BaseException, job: Job) -> _JobError:
    """One line for an engine error. An error that may carry what a remote service answered
    (any I/O error, any error of a query that uses SERVICE) is replaced by a generic line with at
    most the HTTP status: the server must not relay the body of a URL it was made to fetch."""
    text = " ".join(str(exc).split())
    remote = isinstance(exc, OSError) or "returned by" in text or "payload" in text
    if not remote and "SERVICE" in job.text.upper():
        from ..util.sparqltext import SparqlLexError, fetching_keyword

        try:
            remote = fetching_keyword(job.text) is not None
        except SparqlLexError:
            remote = True
    if remote:
        status = _REMOTE_STATUS.search(text)
        answered = f": the remote endpoint answered HTTP {status.group(1)}" if status else ""
        message = f"query failed: a SERVICE or LOAD request failed{answered} (its answer is not shown)"
        return _JobError("remote", message)
    return _JobError("failed", f"query failed: {text[:300]}")


def _execute(store, job: Job):
    import pyoxigraph as ox

    max_bytes = job.max_bytes or 0
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
        raise _engine_error(exc, job) from exc
    try:
        return _collect(result, job, max_bytes)
    except (OSError, RuntimeError) as exc:  # evaluation is lazy: errors come while iterating
        raise _engine_error(exc, job) from exc


def _collect(result, job: Job, max_bytes: int):
    """Rows or triples of ``result``, counted in number and in bytes as they arrive, so an
    oversized answer is refused before it is built (and serialised) in full."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        answer = QueryResult("ask", boolean=bool(result))
        return answer if job.raw else _serialise_solutions(answer, job)
    size = 0
    if isinstance(result, ox.QuerySolutions):
        answer = QueryResult("select", [v.value for v in result.variables])
        for solution in result:
            if len(answer.rows) >= job.max_rows:
                raise _JobError("too-large", _too_large(job.max_rows, "rows"))
            row = {name: _term(solution[name]) for name in answer.variables if solution[name] is not None}
            size += sum(len(term.value) + len(name) + 16 for name, term in row.items())
            if max_bytes and size > max_bytes:
                raise _JobError("too-large", _too_large_bytes(max_bytes))
            answer.rows.append(row)
        return answer if job.raw else _serialise_solutions(answer, job)
    triples = []
    for triple in result:
        if len(triples) >= job.max_rows:
            raise _JobError("too-large", _too_large(job.max_rows, "triples"))
        size += sum(len(str(term)) for term in triple) + 4
        if max_bytes and size > max_bytes:
            raise _JobError("too-large", _too_large_bytes(max_bytes))
        triples.append(triple)
    if job.raw:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return QueryResult("graph", ntriples=body.decode("utf-8"))
    if job.graph_format is None:
        raise _JobError(
            "not-acceptable",
            "the query gives RDF triples, but the request accepts none of: " + ", ".join(GRAPH_FORMATS.values()),
        )

    fmt = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }[job.graph_format]
    prefixes = _used_prefixes(triples, PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)
    return _bounded(Serialised("graph", GRAPH_FORMATS[job.graph_format], body or b"", len(triples)), max_bytes)


def _bounded(answer: Serialised, max_bytes: int) -> Serialised:
    """The serialised answer, unless markup made it larger than the limit after all."""
    if max_bytes and len(answer.body) > max_bytes:
        raise _JobError("too-large", _too_large_bytes(max_bytes))
    return answer


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


def _too_large_bytes(limit: int) -> str:
    return (
        f"the answer is larger than {limit} bytes, the limit of this server; "
        "add LIMIT (and OFFSET to read it page by page) or select fewer or shorter values"
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
    serialised = Serialised(answer.form, SOLUTION_FORMATS[job.solution_format], body, len(answer.rows))
    return _bounded(serialised, job.max_bytes or 0)
