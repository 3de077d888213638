"""The SPARQL editor page (``GET /sparql`` from a browser): the form, an example query, and the
answer of a query a reader typed, run in the worker pool like every other query. Imported by
:mod:`.sparql_route`, which decides between this page and the protocol answer for programs.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..engine.pool import Job
from ..engine.store import QueryError
from ..model.iri import PREFIXES, sparql_prefixes
from .labels import label_map, result_iris
from .protocol import ProtocolError
from .render import page_status, render

TKG = PREFIXES["tkg"]


# The editor starts with every prefix of the project (model/iri.py, the one place), as `treatykg sparql`
# predeclares them; a query edited here states them, so it runs as written on any endpoint.
EXAMPLE_QUERY = (
    sparql_prefixes()
    + """# Cooperation mechanisms and whether they need a request for mutual legal assistance
SELECT ?mechanism ?label ?premisedOnRequest WHERE {
  ?mechanism a tkg:CooperationMechanism ; rdfs:label ?label .
  OPTIONAL { ?mechanism tkg:premisedOnRequest ?premisedOnRequest }
}
ORDER BY ?label"""
)


async def editor(request: Request, operation) -> Response:
    """The query editor, with the answer as a table when a query was sent."""
    from .protocol import guard

    settings = request.app.state.settings
    text = operation.text if operation else EXAMPLE_QUERY
    result, error, status, labels = None, None, 200, {}
    if operation is not None:
        try:
            guard(operation, settings.allow_service)
            result = await run_in_threadpool(
                request.app.state.pool.run,
                Job(
                    text,
                    raw=True,
                    union_default_graph=not operation.default_graphs,
                    default_graphs=operation.default_graphs,
                    named_graphs=operation.named_graphs,
                ),
            )
            labels = await label_map(request, result_iris(result))
        except ProtocolError as exc:
            error, status = exc.message, exc.status
        except QueryError as exc:
            error, status = str(exc), page_status(exc)
    from urllib.parse import urlencode

    return render(
        request,
        "editor.html",
        text=text,
        result=result,
        labels=labels,
        error=error,
        status=status,
        encoded=urlencode({"query": text}),
        settings=settings,
        title="SPARQL query editor",
    )
