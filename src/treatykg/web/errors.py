"""Error pages: an HTTP error or a failed query as a short HTML page for a browser and as one
plain-text line for a program, with the status the failure calls for (400, 406, 413, 503 ...).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..engine.store import QueryError
from ..model.iri import PREFIXES
from .negotiation import best
from .render import _retry_after, page_status, render

TKG = PREFIXES["tkg"]


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Errors as a page for browsers and as one line of text for everyone else."""
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Bad request")
    if _wants_html(request):
        return render(request, "error.html", status=exc.status_code, title=title, message=exc.detail)
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code)


def _wants_html(request: Request) -> bool:
    return best(request.headers.get("accept", ""), ["text/plain", "text/html"]) == "text/html"


def _query_error_text(request: Request, exc: QueryError) -> Response:
    """A failed query as one line of text, 503 with Retry-After when the server is overloaded."""
    status = page_status(exc)
    headers = {"Retry-After": _retry_after(request)} if status == 503 else None
    return PlainTextResponse(f"{' '.join(str(exc).split())}\n", status_code=status, headers=headers)


async def _query_error(request: Request, exc: QueryError) -> Response:
    """A query a page needed failed: all workers busy, the time limit, a worker that died.
    Never a 500 and never "nothing is known": 503 with Retry-After (a 4xx for the visitor's own
    mistakes), as a page for browsers and as one line of text for everyone else."""
    status = page_status(exc)
    if not _wants_html(request):
        return _query_error_text(request, exc)
    title = "Busy, try again shortly" if status == 503 else "Bad request"
    message = " ".join(str(exc).split())
    if status == 503:
        message += "; the page could not be built now, please try again in a few seconds"
    return render(request, "error.html", status=status, title=title, message=message)


EXCEPTION_HANDLERS = {HTTPException: _http_error, QueryError: _query_error}
