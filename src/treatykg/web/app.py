"""The ASGI application behind ``treatykg serve``: a SPARQL 1.1 Protocol endpoint and HTML pages
over the embedded store.

Every query, ours and the visitor's, runs in a :class:`~treatykg.engine.pool.QueryPool` worker process
with a hard time limit and a result-size limit, so one runaway query cannot take the site down.
Pages are plain HTML with server-side SVG: no JavaScript framework, no CDN, usable offline and
readable by screen readers. Each entity page answers ``Accept: text/turtle`` (and N-Triples,
JSON-LD, RDF/XML) on the same path, as Linked Data publishers do.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from ..engine.catalogue import Catalogue
from ..engine.formats import iri_list
from ..engine.pool import Limits, QueryPool
from ..model.iri import BASE
from ..statements.reader import MAX_STATEMENT_BYTES
from .checkrun import CheckRunner
from .links import href, local_path  # noqa: F401  (re-exported: pages and embedding code use them)
from .paths import HERE
from .security import SecurityHeaders


@dataclass
class ServeSettings:
    """What an operator can set from the command line (``treatykg serve --help``)."""

    workers: int = 2
    timeout: float = 10.0  # seconds per query
    max_rows: int = 10_000  # solutions or triples per answer
    max_query_bytes: int = 1_000_000  # size of a query or update text
    max_upload_bytes: int = MAX_STATEMENT_BYTES  # a statements file for /check (as `treatykg check`)
    allow_update: bool = False
    allow_service: bool = False
    extra: list[tuple[str, str]] = field(default_factory=list)  # --with files: (path, graph IRI)
    queue_wait: float | None = None  # seconds a page or query waits for a free worker (None: timeout + 30)
    # "check your statements": each check runs in a child process under these limits
    check_timeout: float = 20.0  # seconds (wall clock)
    check_memory: int = 1024 * 1024 * 1024  # bytes of address space
    check_concurrency: int = 2  # checks at once; more are refused with 503 + Retry-After
    #: The public address of the site (no trailing slash), named in VoID and the service
    #: description. ``treatykg serve`` sets it from --base-url or the bound socket; it is never
    #: taken from a request's Host header.
    base_url: str = "http://127.0.0.1:8000"
    max_memory_mib: int = 1024  # address space of each query worker (0: unlimited)
    max_answer_bytes: int = 16 * 1024 * 1024  # size of one answer, counted while it is built
    body_idle_timeout: float = 10.0  # seconds a request body may pause before 408
    body_timeout: float = 60.0  # seconds a whole request body may take before 408

    def limits(self) -> Limits:
        return Limits(
            self.timeout,
            self.max_rows,
            max_bytes=self.max_answer_bytes,
            memory_bytes=self.max_memory_mib * 1024 * 1024 if self.max_memory_mib else None,
        )

    def new_pool(self) -> QueryPool:
        """The worker pool these settings describe (not started)."""
        return QueryPool(
            workers=self.workers,
            limits=self.limits(),
            extra=self.extra,
            allow_update=self.allow_update,
            allow_service=self.allow_service,
            queue_wait=self.queue_wait,
        )


def create_app(settings: ServeSettings | None = None, pool: QueryPool | None = None) -> Starlette:
    """Build the app. ``pool`` may be given (already started) by embedding code; otherwise the
    app starts its own on start-up and stops it on shut-down."""
    from .. import __version__
    from . import (
        bykind,
        check_page,
        dumps,
        errors,
        pages,
        pictures,
        queries_page,
        reference,
        search,
        sparql_route,
        starters,
        states,
    )

    settings = settings or ServeSettings()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(href=href, iri_list=iri_list, base=BASE, version=__version__)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        from starlette.concurrency import run_in_threadpool

        own = pool is None
        app.state.pool = pool or await run_in_threadpool(settings.new_pool().start)
        app.state.data_date = await run_in_threadpool(dumps.data_date, app.state.pool)  # for the footer
        try:
            yield
        finally:
            if own:
                app.state.pool.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/sparql", sparql_route.endpoint, methods=["GET", "POST"], name="sparql"),
        Route("/queries", queries_page.catalogue, name="queries"),
        Route("/queries/{name}", queries_page.canned, name="query"),
        Route("/check", check_page.check, methods=["GET", "POST"], name="check"),
        Route("/stakeholders", pages.stakeholders, name="stakeholders"),
        Route("/search", search.search_page, name="search"),
        *reference.routes("/ontology/" + __version__),
        *dumps.routes(),
        *starters.routes(),
        Route("/documents", bykind.documents, name="documents"),  # by kind of stakeholder (issue 19)
        Route("/pictures", pictures.pictures, name="pictures"),
        Route("/pictures/{name}.svg", pictures.picture, name="picture"),
        Route("/health", pages.health, name="health"),
        Route("/context.jsonld", pages.context, name="context"),
        Route("/.well-known/void", pages.void, name="void"),
        *states.routes,  # /states, /states/map.svg, /states/{slug} (issue 18)
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        Route("/{path:path}", pages.entity, name="entity"),
        Route("/{path:path}", _not_here, methods=["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    ]
    handlers = {**errors.EXCEPTION_HANDLERS, 405: _method_not_allowed}
    # SecurityHeaders is outermost, so every response (errors and HEAD answers included) carries them.
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers=handlers,
        middleware=[Middleware(SecurityHeaders), Middleware(HeadAsGet)],
    )
    app.state.settings = settings
    app.state.templates = templates
    app.state.catalogue = Catalogue()  # the .rq files are read once, not on every request
    app.state.checks = CheckRunner(settings.check_timeout, settings.check_memory, settings.check_concurrency)
    return app


class HeadAsGet:
    """HEAD is answered as GET wherever GET is (RFC 9110 section 9.3.2), by every handler alike.

    The application sees a GET; the server (uvicorn) still knows the request was HEAD, from the
    scope it keeps, and sends the headers without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = dict(scope, method="GET")
        await self.app(scope, receive, send)


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    """405 in the site's error format, always with the ``Allow`` header the status requires."""
    from .errors import EXCEPTION_HANDLERS

    response = await EXCEPTION_HANDLERS[HTTPException](request, exc)
    allow = (getattr(exc, "headers", None) or {}).get("Allow", "GET, HEAD")
    response.headers["Allow"] = allow
    return response


async def _not_here(request: Request) -> Response:
    """A write method on a page path: 405 (``Allow: GET, HEAD``) where something is known about
    the path, 404 elsewhere; never the 405-for-everything that hid which paths exist."""
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Match

    from ..engine.store import QueryError

    for route in request.app.router.routes:
        if isinstance(route, Route) and route.endpoint not in (_not_here,) and route.name != "entity":
            match, _ = route.matches(request.scope)
            if match == Match.PARTIAL:  # the path exists, with other methods
                allow = ", ".join(sorted(route.methods or ()))
                raise HTTPException(405, f"{request.method} is not allowed here", headers={"Allow": allow})
    iri = BASE + request.path_params["path"]
    try:
        known = await run_in_threadpool(request.app.state.pool.query, "ASK { ?this ?p ?o }", None, {"this": iri})
        exists = bool(known.boolean)
    except QueryError:
        exists = False
    if exists:
        raise HTTPException(405, f"{request.method} is not allowed here", headers={"Allow": "GET, HEAD"})
    raise HTTPException(404, f"nothing is known about {iri}")
