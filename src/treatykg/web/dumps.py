"""``/downloads``: the dataset as files (the ``dist/`` of ``treatykg build``: Turtle, N-Triples,
N-Quads, TriG, JSON-LD), the JSON-LD context and the VoID description, linked from every page's
footer.

Why serialised here: the server serves the shipped dataset, so it can offer the same files
without a build step. Each file is made once, on first request (a few seconds), and kept in memory;
a lock makes concurrent first requests wait for one build rather than start several. The files
are the shipped dataset, as ``treatykg build`` writes it: data added with ``--with`` is queryable
but not in them.
"""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..publish.export import DIST_FILES

DESCRIPTIONS = {
    "treatykg.ttl": "Turtle: the whole dataset as one graph",
    "treatykg.nt": "N-Triples: the same, one triple per line",
    "treatykg.jsonld": "JSON-LD: the same, with the treatykg @context",
    "treatykg.nq": "N-Quads: one named graph per source file, plus the derived graph",
    "treatykg.trig": "TriG: the same named graphs, readable",
}


async def page(request: Request) -> Response:
    from .render import render

    files = [(name, DESCRIPTIONS.get(name, ""), media) for name, (_, media) in DIST_FILES.items()]
    return render(request, "downloads.html", title="Downloads", files=files)


async def file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in DIST_FILES:
        raise HTTPException(404, f"no download named {name!r}; see /downloads")
    fmt, media = DIST_FILES[name]
    state = request.app.state
    cache: dict[str, str] = state.__dict__.setdefault("dumps", {})
    if name not in cache:
        lock = state.__dict__.setdefault("_dumps_lock", asyncio.Lock())
        async with lock:
            if name not in cache:
                cache[name] = await run_in_threadpool(_serialise, state, fmt)
    return Response(cache[name], media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _serialise(state, fmt: str) -> str:
    from ..publish.export import assemble, serialise

    assembled = state.__dict__.get("assembled")
    if assembled is None:
        assembled = state.__dict__["assembled"] = assemble()
    return serialise(fmt, assembled)


def routes() -> list[Route]:
    return [Route("/downloads", page, name="downloads"), Route("/downloads/{name}", file, name="download")]


def data_date(pool) -> str:
    """The newest source document's date (for the footer), or "" if none is known."""
    from ..engine.store import QueryError
    from .render import _page_query

    try:
        rows = pool.query(_page_query("data-date")).rows
    except QueryError:  # a busy or failing engine at start-up must not stop the server
        return ""
    return rows[0]["newest"].value if rows and rows[0].get("newest") is not None else ""
