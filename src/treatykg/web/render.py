"""Page plumbing shared by every page module: the page queries, running them on the worker pool,
rendering a template, and the status of a failed query.

The page modules (``pages``, ``bykind``, ``official``, ``states``, ``search``, ``dumps``) import
from here, never from each other for these, so that the web package has no import circle. This
module imports only the engine layer and ``protocol`` (for the status of an engine error).
"""

from __future__ import annotations

import math
from functools import cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..engine.store import QueryError, QueryResult, Term
from ..model.iri import PREFIXES
from .paths import HERE
from .protocol import status_of


@cache
def _page_query(name: str) -> str:
    return (HERE / "queries" / f"{name}.rq").read_text(encoding="utf-8")


async def run(request: Request, name: str, this: str | None = None) -> list[dict[str, Term]]:
    """Rows of page query ``name`` with ``?this`` bound to the IRI ``this``."""
    pool = request.app.state.pool
    bindings = {"this": this} if this else None
    result: QueryResult = await run_in_threadpool(pool.query, _page_query(name), None, bindings)
    return result.rows


def _v(row: dict[str, Term], key: str, default: str = "") -> str:
    term = row.get(key)
    return term.value if term is not None else default


def render(
    request: Request, template: str, status: int = 200, retry_after: float | None = None, **context
) -> HTMLResponse:
    """A page; a 503 always says when to come back (``Retry-After``)."""
    headers = {"Retry-After": _retry_after(request, retry_after)} if status == 503 else None
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status, headers=headers)


def _retry_after(request: Request, seconds: float | None = None) -> str:
    """Seconds until a worker is likely free again: a query holds one at most ``timeout`` s."""
    if seconds is None:
        seconds = request.app.state.settings.timeout
    return str(max(1, min(60, math.ceil(seconds))))


def page_status(exc: QueryError) -> int:
    """The HTTP status of a failed query on a page: the visitor's fault (syntax, too large,
    not acceptable) keeps its 4xx; everything else (busy, time limit, a worker that died, an
    engine error) is the server being unable to answer now: 503, never 500."""
    status = status_of(exc)
    return status if 400 <= status < 500 else 503


def _document_date(row: dict[str, Term]) -> str:
    """The document's date as the graph knows it: a date, or the interval it was dated to."""
    if _v(row, "date"):
        return _v(row, "date")
    earliest, latest = _v(row, "earliest"), _v(row, "latest")
    if earliest and latest and earliest != latest:
        return f"between {earliest} and {latest}"
    if earliest and not latest:
        return f"on or after {earliest}"
    if latest and not earliest:
        return f"on or before {latest}"
    return earliest or "undated"


#: A title whose evidence is still unconfirmed (shown with a mark).
UNCONFIRMED = PREFIXES["evidence"] + "unconfirmed"


async def table_of_contents(request: Request, work: str) -> list[dict]:
    """The chapters of ``work`` with their articles, titles and claim counts: the home page's table
    of contents and the pictures' rows, from one page query."""
    chapters: dict[str, dict] = {}
    for row in await run(request, "toc", work):
        chapter = chapters.setdefault(
            _v(row, "chapter"),
            {
                "iri": _v(row, "chapter"),
                "label": _v(row, "chapterLabel"),
                "title": _v(row, "chapterTitle"),
                "articles": [],
            },
        )
        chapter["articles"].append(
            {
                "iri": _v(row, "article"),
                "label": _v(row, "label"),
                "title": _v(row, "title"),
                "claims": int(_v(row, "claims", "0")),
                "unconfirmed": _v(row, "titleEvidence") == UNCONFIRMED,
            }
        )
    return list(chapters.values())
