"""The ASGI application behind ``treatykg serve``: a SPARQL 1.1 Protocol endpoint and HTML pages
over the embedded store.

Every query, ours and the visitor's, runs in a :class:`~treatykg.pool.QueryPool` worker process
with a hard time limit and a result-size limit, so one runaway query cannot take the site down.
Pages are plain HTML with server-side SVG: no JavaScript framework, no CDN, usable offline and
readable by screen readers. Each entity page answers ``Accept: text/turtle`` (and N-Triples,
JSON-LD, RDF/XML) on the same path, as Linked Data publishers do.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..catalogue import Catalogue
from ..iri import BASE
from ..pool import Limits, QueryPool
from ..statements import MAX_STATEMENT_BYTES
from .checkrun import CheckRunner
from .links import href, local_path  # noqa: F401  (re-exported: pages and embedding code use them)
from .security import SecurityHeaders

HERE = Path(__file__).resolve().parent


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


def create_app(settings: ServeSettings | None = None, pool: QueryPool | None = None) -> Starlette:
    """Build the app. ``pool`` may be given (already started) by embedding code; otherwise the
    app starts its own on start-up and stops it on shut-down."""
    from . import pages, protocol

    settings = settings or ServeSettings()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(href=href, base=BASE)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        from starlette.concurrency import run_in_threadpool

        own = pool is None
        app.state.pool = pool or await run_in_threadpool(
            QueryPool(
                workers=settings.workers,
                limits=Limits(settings.timeout, settings.max_rows),
                extra=settings.extra,
                allow_update=settings.allow_update,
                queue_wait=settings.queue_wait,
            ).start
        )
        try:
            yield
        finally:
            if own:
                app.state.pool.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/sparql", protocol.endpoint, methods=["GET", "POST"], name="sparql"),
        Route("/queries", pages.catalogue, name="queries"),
        Route("/queries/{name}", pages.canned, name="query"),
        Route("/check", pages.check, methods=["GET", "POST"], name="check"),
        Route("/stakeholders", pages.stakeholders, name="stakeholders"),
        Route("/documents", pages.documents, name="documents"),
        Route("/pictures", pages.pictures, name="pictures"),
        Route("/pictures/{name}.svg", pages.picture, name="picture"),
        Route("/health", pages.health, name="health"),
        Route("/context.jsonld", pages.context, name="context"),
        Route("/.well-known/void", pages.void, name="void"),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        Route("/{path:path}", pages.entity, name="entity"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers=pages.EXCEPTION_HANDLERS,
        middleware=[Middleware(SecurityHeaders)],
    )
    app.state.settings = settings
    app.state.templates = templates
    app.state.catalogue = Catalogue()  # the .rq files are read once, not on every request
    app.state.checks = CheckRunner(settings.check_timeout, settings.check_memory, settings.check_concurrency)
    return app
