"""Names for IRIs: the one helper every page table goes through.

Why: a legal researcher reads "Electronic Frontier Foundation", not
``https://w3id.org/treatykg/org/electronic-frontier-foundation``. Any table a page builds from a
query result asks here for the labels of the IRIs it shows (rdfs:label, else skos:prefLabel, looked
up over the whole served graph); an IRI is shown as itself only when the graph has no label for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..engine.store import QueryResult, Term


def result_iris(result: QueryResult | Iterable[dict]) -> set[str]:
    """Every IRI in a result's rows (or in plain rows of terms), with those of joined lists (a
    claim's concerns in one cell, :func:`treatykg.engine.formats.iri_list`)."""
    from ..engine.formats import iri_list

    rows = result.rows if isinstance(result, QueryResult) else result
    found: set[str] = set()
    for row in rows:
        for t in row.values():
            if getattr(t, "kind", None) == "uri":
                found.add(t.value)
            elif isinstance(t, Term):
                found.update(iri_list(t))
    return found


async def label_map(request: Request, iris: Iterable[str]) -> dict[str, str]:
    """IRI -> label for those IRIs that have one (the others are left out: show the IRI)."""
    from ..engine.catalogue import labels_for

    wanted = set(iris)
    if not wanted:
        return {}
    return await run_in_threadpool(labels_for, request.app.state.pool, wanted)
