"""``/sparql``: the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/).

* query via GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) or POST
  ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` set the dataset
  (without them the default graph is the union of all graphs, like ``oxigraph serve
  --union-default-graph``);
* update via POST ``update=`` or ``application/sparql-update``, refused (403) unless the server
  runs with ``--allow-update``; ``SERVICE`` and ``LOAD`` are refused (403) unless it runs with
  ``--allow-service``, because they make the server fetch URLs the caller chooses;
* results by content negotiation (``Accept``) or ``format=``/``output=``/``results=`` (the
  parameters SPARQLWrapper, Fuseki and Virtuoso clients send, with their common values such as
  ``json``, ``xml``, ``turtle``, ``n3`` or a media type): SPARQL JSON, XML, CSV, TSV for
  SELECT/ASK; Turtle, N-Triples, JSON-LD, RDF/XML for CONSTRUCT/DESCRIBE; an HTML editor when a
  browser asks;
* errors are one line of text: 400 malformed (with the parser's message), 403 refused,
  406 not acceptable, 408 body sent too slowly, 413 request too large, 415 wrong content type,
  422 answer too large (rows or bytes) or query needing more memory than a worker may use,
  503 with ``Retry-After`` for every overload: time limit hit, all workers busy, no worker alive,
  a worker that died; 502 when a SERVICE call (allowed by the operator) failed.

SERVICE and LOAD are decided on the query's tokens (:mod:`treatykg.util.sparqltext`), in the worker
pool's check, which runs in a thread: no CPU-bound work on the event loop.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..engine.pool import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    MemoryLimitError,
    NotAcceptableError,
    PoolBusyError,
    QuerySyntaxError,
    QueryTimeoutError,
    RemoteServiceError,
    ResultTooLargeError,
    ServiceRefusedError,
    WorkerCrashedError,
)
from ..engine.store import QueryError
from ..util.sparqltext import SparqlLexError, fetching_keyword
from .negotiation import best

# Accept types: the registered ones, then the generic ones clients send (``application/xml``
# from SPARQLWrapper's XML and rdflib, ``application/json``, JSON-P era and pre-registration
# names). Each is answered in the registered format of the same family.
SOLUTION_TYPES = {media: name for name, media in SOLUTION_FORMATS.items()} | {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_TYPES = {media: name for name, media in GRAPH_FORMATS.items()} | {
    "application/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/n3": "ttl",
    "text/rdf+n3": "ttl",
    "application/n3": "ttl",
    "text/plain": "nt",
    "application/x-json+ld": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}

#: The parameters clients use to name a result format instead of (or beside) ``Accept``:
#: ``format`` (ours, Virtuoso's, SPARQLWrapper's), ``output`` (Jena Fuseki, SPARQLWrapper) and
#: ``results`` (SPARQLWrapper, Sesame). SPARQLWrapper sends all three, with the same value.
FORMAT_PARAMETERS = ("format", "output", "results")

#: Each value a client may send in those parameters, read as (format for SELECT/ASK, format for
#: CONSTRUCT/DESCRIBE). One value serves both query forms because clients send the same one for
#: any query (SPARQLWrapper's ``xml`` means SPARQL XML results for SELECT and RDF/XML for
#: CONSTRUCT); ``None`` on one side falls back to the ``Accept`` header. Media types are accepted
#: as values too (Virtuoso's ``format=application/sparql-results+json``). Any other value is
#: refused (400): it names a format this endpoint cannot produce.
FORMAT_VALUES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "srj": ("json", None),
    "srx": ("xml", None),
    "ttl": (None, "ttl"),
    "turtle": (None, "ttl"),
    "n3": (None, "ttl"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdf": ("xml", "rdfxml"),
    "rdf+xml": ("xml", "rdfxml"),
    "rdfxml": ("xml", "rdfxml"),
    "html": (None, None),
    **{media: (name, None) for media, name in SOLUTION_TYPES.items()},
    **{media: (None, name) for media, name in GRAPH_TYPES.items() if media not in SOLUTION_TYPES},
    "application/xml": ("xml", "rdfxml"),
    "text/xml": ("xml", "rdfxml"),
    "application/json": ("json", "jsonld"),
    "text/html": (None, None),
}
FORMAT_NAMES = sorted(name for name in FORMAT_VALUES if "/" not in name)
#: SPARQLWrapper repeats a format parameter at most twice (a name and a media type); more is refused.
MAX_FORMAT_VALUES = 2


class ProtocolError(Exception):
    """A request the protocol rejects; ``status`` is the HTTP status, ``str()`` one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    """What a request asks for, read from its URL, headers and body."""

    kind: str | None  # "query" | "update" | None (no operation: editor or service description)
    text: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | tuple[str | None, str | None] | None = None  # "html", (solutions, graphs) or None


#: After refusing a body as too large, read and discard up to this much more of it before
#: answering, so that a client that sends its whole request before reading the response (urllib,
#: curl) receives the 413 instead of a connection reset mid-upload. Beyond it the connection is
#: dropped: a bounded version of a web server's "lingering close".
DRAIN_BYTES = 8 * 1024 * 1024

#: A body must keep coming: at most this many seconds without a byte, and at most BODY_TOTAL
#: seconds in all, or the request is cut with 408 (a trickling client holds a connection and a
#: task for nothing). Overridden by ``ServeSettings.body_idle_timeout`` / ``body_timeout``.
BODY_IDLE = 10.0
BODY_TOTAL = 60.0


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (a lying or
    missing Content-Length cannot make the server buffer more), and with 408 when it trickles
    in slower than the server's read timeouts allow."""
    settings = getattr(request.app.state, "settings", None)
    idle = getattr(settings, "body_idle_timeout", BODY_IDLE)
    total = getattr(settings, "body_timeout", BODY_TOTAL)
    declared = request.headers.get("content-length")
    stream = _timed(request.stream(), idle, total)
    if declared and declared.isdigit() and int(declared) > limit:
        if int(declared) <= limit + DRAIN_BYTES:
            await _discard(stream, limit + DRAIN_BYTES)
        raise ProtocolError(413, f"request body too large: {int(declared)} bytes (limit {limit})")
    chunks, size = [], 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            await _discard(stream, DRAIN_BYTES)
            raise ProtocolError(413, f"request body too large: more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _timed(stream, idle: float, total: float):
    """``stream``'s chunks, or ProtocolError(408) when one takes longer than ``idle`` seconds or
    the whole body longer than ``total``."""
    deadline = time.monotonic() + total
    iterator = stream.__aiter__()
    while True:
        wait = min(idle, deadline - time.monotonic())
        try:
            if wait <= 0:
                raise TimeoutError
            chunk = await asyncio.wait_for(iterator.__anext__(), wait)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise ProtocolError(
                408, f"request body sent too slowly (more than {idle:g} s without data or {total:g} s in all)"
            ) from None
        yield chunk


async def _discard(stream, budget: int) -> None:
    """Read and drop what is left of a refused body, at most ``budget`` bytes (none is kept)."""
    seen = 0
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > budget:
                return
    except ProtocolError:  # too slow as well: the 413 stands
        return


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"the {name!r} parameter is given {len(values)} times; give it once")
    return values[0] if values else None


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 (byte {exc.start})") from None


def _format(params: dict[str, list[str]]) -> str | tuple[str | None, str | None] | None:
    """The result format named by ``format``/``output``/``results``: ``"html"``, a pair (format
    for solutions, format for graphs; either may be None), or None when no parameter names one.

    Values may repeat and combine as long as they agree: SPARQLWrapper sends ``format=tsv`` *and*
    ``format=text/tab-separated-values``, in all three parameters. Values that name different
    formats for the same query form are refused (400), as is any value not in FORMAT_VALUES."""
    pair: list[str | None] = [None, None]
    html = False
    given: list[str] = []
    for parameter in FORMAT_PARAMETERS:
        values = params.get(parameter, [])
        if len(values) > MAX_FORMAT_VALUES:
            raise ProtocolError(400, f"the {parameter!r} parameter is given {len(values)} times; give it once")
        # a value may be a list of media types (SPARQLWrapper sends its Accept list for JSON-LD)
        keys = [part.split(";")[0].strip().lower() for value in values for part in value.split(",")[:4]]
        for key in keys:
            if key not in FORMAT_VALUES:
                raise ProtocolError(
                    400, f"unknown format {key[:100]!r} in {parameter}=; use one of: {', '.join(FORMAT_NAMES)}"
                )
            given.append(f"{parameter}={key}")
            html = html or key in ("html", "text/html")
            for side, name in enumerate(FORMAT_VALUES[key]):
                if name is None:
                    continue
                if pair[side] not in (None, name):
                    raise ProtocolError(400, f"the format parameters disagree ({', '.join(given)}); give one format")
                pair[side] = name
    if html:
        if pair != [None, None]:
            raise ProtocolError(400, f"the format parameters disagree ({', '.join(given)}); give one format")
        return "html"
    return (pair[0], pair[1]) if given else None


async def read_operation(request: Request, limit: int) -> Operation:
    """Parse a protocol request into an :class:`Operation`, or raise ProtocolError."""
    url_params = parse_qs(request.url.query, keep_blank_values=True)
    if len(request.url.query.encode()) > limit:
        raise ProtocolError(413, f"query string too large (limit {limit} bytes)")
    params = dict(url_params)
    body_text: str | None = None
    body_kind: str | None = None
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        raw = await read_body(request, limit)
        if media == "application/x-www-form-urlencoded":
            form = parse_qs(_decode(raw, "the form body"), keep_blank_values=True)
            for key, values in form.items():
                params[key] = params.get(key, []) + values
        elif media == "application/sparql-query":
            body_text, body_kind = _decode(raw, "the query"), "query"
        elif media == "application/sparql-update":
            body_text, body_kind = _decode(raw, "the update"), "update"
        else:
            raise ProtocolError(
                415,
                f"unsupported content type {media or '(none)'!r}: use application/x-www-form-urlencoded, "
                "application/sparql-query or application/sparql-update",
            )
    query, update = _one(params, "query"), _one(params, "update")
    if body_kind == "query":
        if query is not None or update is not None:
            raise ProtocolError(400, "give the query either in the body or as a parameter, not both")
        query = body_text
    elif body_kind == "update":
        if query is not None or update is not None:
            raise ProtocolError(400, "give the update either in the body or as a parameter, not both")
        update = body_text
    if query is not None and update is not None:
        raise ProtocolError(400, "a request carries either a query or an update, not both")
    if update is not None and request.method != "POST":
        raise ProtocolError(400, "an update must be sent with POST (SPARQL 1.1 Protocol, section 2.2)")
    fmt = _format(params)
    default_graphs = tuple(params.get("default-graph-uri", []))
    named_graphs = tuple(params.get("named-graph-uri", []))
    for iri in default_graphs + named_graphs:
        if not iri.startswith(("http://", "https://", "urn:")) or any(c in iri for c in ' <>"{}|^`\\'):
            raise ProtocolError(400, f"not an absolute IRI in default-graph-uri/named-graph-uri: {iri[:200]!r}")
    if query is not None:
        return Operation("query", query, default_graphs, named_graphs, fmt)
    if update is not None:
        return Operation("update", update, format=fmt)
    return Operation(None, format=fmt)


def wants_html(request: Request, fmt: str | tuple[str | None, str | None] | None) -> bool:
    """A browser (or ``format=html``) gets the editor page rather than raw results."""
    if fmt is not None:
        return fmt == "html"
    offers = ["application/sparql-results+json", "text/turtle", "text/html"]
    return best(request.headers.get("accept"), offers) == "text/html"


def negotiate(request: Request, fmt: str | tuple[str | None, str | None] | None) -> tuple[str | None, str | None]:
    """The result format for solutions and the one for graphs (either None if not acceptable)."""
    accept = request.headers.get("accept")
    solution = best(accept, list(SOLUTION_TYPES))
    graph = best(accept, list(GRAPH_TYPES))
    negotiated = (SOLUTION_TYPES[solution] if solution else None, GRAPH_TYPES[graph] if graph else None)
    if not isinstance(fmt, tuple):
        return negotiated
    # A format parameter wins over Accept; for the query form it does not name, Accept decides.
    return (fmt[0] or negotiated[0], fmt[1] or negotiated[1])


def guard(operation: Operation, allow_service: bool) -> None:
    """Refuse operations that would make the server fetch URLs, unless the operator allowed it:
    403 for SERVICE/LOAD tokens, 400 for text that is no SPARQL. Linear CPU work: callers on the
    event loop should prefer :meth:`QueryPool.run`, which makes the same check in a thread."""
    if allow_service:
        return
    try:
        keyword = fetching_keyword(operation.text)
    except SparqlLexError as exc:
        raise ProtocolError(400, str(exc)) from None
    if keyword:
        raise ProtocolError(
            403,
            f"{keyword} is disabled on this server: it would fetch a URL chosen by the caller "
            "(start the server with --allow-service to enable federated queries)",
        )


STATUS = {
    QuerySyntaxError: 400,
    ServiceRefusedError: 403,
    NotAcceptableError: 406,
    ResultTooLargeError: 422,
    MemoryLimitError: 422,
    RemoteServiceError: 502,
    QueryTimeoutError: 503,
    PoolBusyError: 503,  # and NoWorkerError, its subclass
    WorkerCrashedError: 503,
}


def status_of(exc: QueryError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


#: Seconds a client should wait after a 503 (a replacement worker starts in about a second).
RETRY_AFTER = "2"


def error_response(status: int, message: str) -> PlainTextResponse:
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def service_description(request: Request, settings) -> Response:
    """A SPARQL 1.1 Service Description, returned for a request with no operation. The endpoint's
    address comes from the server's configuration (``--base-url``), never from the request: a
    forged ``Host`` header must not be able to name another host as this endpoint."""
    url = public_url(settings, "/sparql")
    formats = [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ]
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        f"<{url}> a sd:Service ;",
        f"    sd:endpoint <{url}> ;",
        '    rdfs:label "treatykg SPARQL endpoint (read-only unless started with --allow-update)"@en ;',
        "    sd:supportedLanguage sd:SPARQL11Query" + (" , sd:SPARQL11Update" if settings.allow_update else "") + " ;",
        "    sd:feature sd:UnionDefaultGraph" + (" , sd:BasicFederatedQuery" if settings.allow_service else "") + " ;",
        "    sd:resultFormat " + " , ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in formats) + " .",
    ]
    return Response("\n".join(lines) + "\n", media_type="text/turtle")


def public_url(settings, path: str) -> str:
    """The public address of ``path`` on this server, from configuration only."""
    base = (getattr(settings, "base_url", None) or "http://127.0.0.1:8000").rstrip("/")
    return base + path
