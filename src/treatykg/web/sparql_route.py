"""The ``/sparql`` route: the SPARQL 1.1 Protocol for programs, the query editor for readers.

It sits above both ``protocol`` (reading and answering operations) and ``pages`` (the editor), so
that neither of those imports the other.
"""

from __future__ import annotations

import contextlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..engine.pool import GRAPH_FORMATS, Job
from ..engine.store import QueryError
from .editor import editor
from .protocol import (
    SOLUTION_FORMATS,
    ProtocolError,
    error_response,
    guard,
    negotiate,
    read_operation,
    service_description,
    status_of,
    wants_html,
)


async def endpoint(request: Request) -> Response:
    settings = request.app.state.settings
    pool = request.app.state.pool
    try:
        operation = await read_operation(request, settings.max_query_bytes)
    except ProtocolError as exc:
        return error_response(exc.status, exc.message)
    html = wants_html(request, operation.format)
    if operation.kind is None:
        if html:
            return await editor(request, None)
        return service_description(request, settings)
    if html and operation.kind == "query":
        if not settings.allow_service:
            # Check in a thread first: the editor's own check then finds the outcome remembered
            # (sparqltext keeps the last few), so no lexing happens on the event loop.
            with contextlib.suppress(ProtocolError):
                await run_in_threadpool(guard, operation, False)
        return await editor(request, operation)
    if operation.kind == "update" and not settings.allow_update:
        return error_response(403, "SPARQL Update is disabled on this server (start it with --allow-update)")
    solution_format, graph_format = negotiate(request, operation.format)
    if operation.kind == "query" and solution_format is None and graph_format is None:
        offered = ", ".join([*SOLUTION_FORMATS.values(), *GRAPH_FORMATS.values()])
        return error_response(406, f"none of the accepted types can be produced; this endpoint offers {offered}")
    job = Job(
        text=operation.text,
        update=operation.kind == "update",
        solution_format=solution_format,
        graph_format=graph_format,
        union_default_graph=not operation.default_graphs,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
    )
    try:
        answer = await run_in_threadpool(pool.run, job)
    except QueryError as exc:
        return error_response(status_of(exc), str(exc))
    if operation.kind == "update":
        return Response(status_code=204)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})
