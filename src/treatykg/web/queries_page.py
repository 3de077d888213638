"""The query catalogue pages: ``/queries`` lists the canned queries, ``/queries/NAME`` runs one
with a form for its parameters (choices read from the graph) and shows, downloads or links its
answer. Parameters are bound as substitutions by the catalogue, never spliced into text.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..engine.store import QueryError
from ..model.iri import PREFIXES
from .downloads import spreadsheet_safe, wants_labels
from .labels import label_map, result_iris
from .protocol import error_response
from .render import page_status, render

TKG = PREFIXES["tkg"]


async def catalogue(request: Request) -> Response:
    queries = list(request.app.state.catalogue.queries.values())
    return render(request, "catalogue.html", queries=queries, title="Questions")


async def canned(request: Request) -> Response:
    from ..engine import formats
    from ..engine.catalogue import CatalogueError, labelled

    cat = request.app.state.catalogue
    name = request.path_params["name"]
    try:
        query = cat.get(name)
    except CatalogueError as exc:
        raise HTTPException(404, str(exc)) from None
    fmt = request.query_params.get("format")
    if fmt not in (None, "html", "csv", "json", "tsv"):
        return error_response(400, f"unknown format {fmt!r}; use html, csv, tsv or json")
    given = {p.name: request.query_params[p.name] for p in query.params if p.name in request.query_params}
    unknown = sorted(set(request.query_params) - {p.name for p in query.params} - {"format", "run", "labels"})
    error = f"unknown parameter(s): {', '.join(unknown)}" if unknown else None
    try:
        with_labels = wants_labels(request.query_params.get("labels"))
    except ValueError as exc:
        error = error or str(exc)
    result = None
    labels: dict[str, str] = {}
    ran = bool(given) or "run" in request.query_params or fmt in ("csv", "json", "tsv") or not query.params
    if ran and not error:
        try:
            result = await run_in_threadpool(cat.run, request.app.state.pool, name, given)
        except (CatalogueError, QueryError) as exc:
            if isinstance(exc, QueryError) and page_status(exc) == 503:
                raise  # overload: 503 with Retry-After (the QueryError handler), as a page or a line
            error = str(exc)
            if fmt in ("csv", "json", "tsv"):
                status = page_status(exc) if isinstance(exc, QueryError) else 400
                return error_response(status, error)
    if error and fmt in ("csv", "json", "tsv"):
        return error_response(400, error)
    if result is not None and fmt in ("csv", "json", "tsv"):
        writer = {"csv": formats.to_csv, "json": formats.to_json, "tsv": formats.to_tsv}[fmt]
        if with_labels:  # <column>_label after each IRI column (issue 17), made safe below like all cells
            result = await run_in_threadpool(labelled, request.app.state.pool, result)
        if fmt in ("csv", "tsv"):
            result = spreadsheet_safe(result)  # these downloads are opened in spreadsheets
        media = {"csv": "text/csv", "json": "application/sparql-results+json", "tsv": "text/tab-separated-values"}
        return Response(
            writer(result),
            media_type=media[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
        )
    if result is not None:
        labels = await label_map(request, result_iris(result))
    from urllib.parse import urlencode

    download = urlencode({**given})
    return render(
        request,
        "query.html",
        choices=await _choices(request, query.params),
        query=query,
        given=given,
        result=result,
        labels=labels,
        error=error,
        download=download,
        title=query.title,
        status=400 if error else 200,
    )


async def _choices(request: Request, params) -> dict[str, list[tuple[str, str]]]:
    """Parameter kind -> (value, name) of every document and stakeholder, offered in the query
    forms as a ``<datalist>``: the visitor picks a name instead of guessing a slug."""
    from ..engine.catalogue import known_entities

    out: dict[str, list[tuple[str, str]]] = {}
    for kind in sorted({p.kind for p in params} & {"document", "stakeholder", "stakeholder-kind"}):
        entities = await run_in_threadpool(known_entities, request.app.state.pool, kind)
        names = await label_map(request, entities)
        out[kind] = sorted(
            ((iri.rsplit("/", 1)[-1], names.get(iri) or labels[0]) for iri, labels in entities.items()),
            key=lambda choice: choice[1].casefold(),
        )
    return out
