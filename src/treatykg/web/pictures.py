"""The pictures (``/pictures``): the network of stakeholders and provisions and the criticism
heat map, drawn as SVG from canned query answers (:mod:`.svg` does the drawing).
"""

from __future__ import annotations

from collections import defaultdict

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..model.iri import PREFIXES, UNCC_WORK
from . import svg
from .links import href
from .render import _v, render, run, table_of_contents

TKG = PREFIXES["tkg"]


async def pictures(request: Request) -> Response:
    network = await _network_svg(request)
    heat = await _heatmap_svg(request)
    return render(request, "pictures.html", network=network, heat=heat, title="Pictures")


async def picture(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "cross-references":
        body = await _network_svg(request)
    elif name == "criticism":
        body = await _heatmap_svg(request)
    else:
        raise HTTPException(404, f"no picture named {name!r}; try cross-references or criticism")
    return Response(body, media_type="image/svg+xml")


async def _network_svg(request: Request) -> str:
    toc = await table_of_contents(request, UNCC_WORK)
    chapters = [(c["iri"], c["label"], c["title"], href(c["iri"])) for c in toc]
    nodes = [
        svg.Node(a["iri"], a["label"], a["label"].replace("Article ", ""), a["title"], index, href(a["iri"]))
        for index, chapter in enumerate(toc)
        for a in chapter["articles"]
    ]
    labels = {}
    edges = []
    for row in await run(request, "network"):
        prop = _v(row, "property")
        labels.setdefault(prop, prop.rsplit("#", 1)[-1])
        edges.append(svg.Edge(_v(row, "from"), _v(row, "to"), labels[prop], _v(row, "safeguard") == "true"))
    return svg.network(chapters, nodes, edges)


async def _heatmap_svg(request: Request) -> str:
    """Criticism per article and stakeholder kind. One column per kind, not per document: with the
    contributed documents there are some thirty, and a column each made the picture unreadably
    small (the provision pages and the `compare` query give the per-document detail)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for row in await run(request, "heatmap"):
        article, kind, claims = _v(row, "article"), _v(row, "kind"), int(_v(row, "claims", "0"))
        if kind:
            counts[(article, kind)] = claims
            kinds[kind] = _v(row, "kindLabel", kind)
        else:
            totals[article] = claims
    toc = await table_of_contents(request, UNCC_WORK)
    rows = [
        svg.Row(a["iri"], a["label"], a["title"], href(a["iri"]))
        for chapter in toc
        for a in chapter["articles"]
        if a["iri"] in totals
    ]
    columns = [svg.Column(kind, label, href(kind)) for kind, label in sorted(kinds.items(), key=lambda kv: kv[1])]
    return svg.heatmap(rows, columns, counts, totals)
