"""The States pages (issue 18): ``/states`` (a tile map and a table of every State's standing under the
Convention), ``/states/map.svg`` (the map alone) and ``/states/<slug>`` (everything about one State).

The map is drawn on the server, like the other pictures (:mod:`treatykg.web.svg`): one square per State,
coloured by what the sources read record (ratified, signed, neither), each square a link to the State's
page. The squares are in alphabetical order of the States' names, not a geographic layout: no public tile
grid of the 195 States was among the sources, and a hand-made one would be a guess. The State page runs the
canned query ``state`` (the same rows as ``treatykg query state``), with the slug bound as a value, never
pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..engine.catalogue import Catalogue
from ..model.iri import BASE
from .links import href
from .render import render
from .svg import _attr, _linked

#: Every State and the EU, its alpha-3 code, and its standing under the UN Convention in the sources read.
STANDING = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX instrument: <https://w3id.org/treatykg/vocab/instrument-type/>
SELECT DISTINCT ?state ?name ?code ?status ?signed
WHERE {
  {
    ?state a tkg:State ; skos:notation ?notation .
    FILTER (DATATYPE(?notation) = tkg:iso3166Alpha3)
    BIND (STR(?notation) AS ?code)
  } UNION {
    BIND (<https://w3id.org/treatykg/org/european-union> AS ?state)
    BIND ("EU" AS ?code)
  }
  ?state rdfs:label ?name .
  OPTIONAL {
    SELECT DISTINCT ?state ("ratified" AS ?ratified)
    WHERE {
      ?act prov:wasAssociatedWith ?state ; tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ; tkg:instrumentType ?i .
      VALUES ?i { instrument:ratification instrument:acceptance instrument:approval instrument:accession
                  instrument:consent-unspecified }
    }
  }
  OPTIONAL {
    SELECT ?state (MIN(COALESCE(?day, ?first)) AS ?signed)
    WHERE {
      ?act prov:wasAssociatedWith ?state ; tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ;
           tkg:instrumentType instrument:signature .
      OPTIONAL { ?act dct:date ?day }
      OPTIONAL { ?act tkg:earliestDate ?first }
    }
    GROUP BY ?state
  }
  BIND (COALESCE(?ratified, IF(BOUND(?signed), "signed", "neither")) AS ?status)
}
ORDER BY ?name ?state
"""

#: Fill and ink per standing (a colour-blind-safe pair and a light grey); the legend also says it in words.
COLOURS = {"ratified": ("#1b7837", "#ffffff"), "signed": ("#a6dba0", "#111111"), "neither": ("#eeeeee", "#111111")}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ORG = BASE + "org/"


@dataclass(frozen=True)
class Tile:
    """One State on the map."""

    iri: str
    name: str
    code: str
    status: str  # ratified | signed | neither
    signed: str  # the day of signature (or the first day it can have been), where recorded

    @property
    def slug(self) -> str:
        return self.iri.removeprefix(ORG)


async def tiles(request: Request) -> list[Tile]:
    pool = request.app.state.pool
    rows = (await run_in_threadpool(pool.query, STANDING)).rows
    out = []
    for row in rows:
        value = {k: (t.value if t is not None else "") for k, t in row.items()}
        out.append(Tile(value["state"], value["name"], value["code"], value["status"], value.get("signed", "")))
    return out


def tile_map(items: list[Tile], columns: int = 15, size: int = 46) -> str:
    """The map: one square per State in rows of ``columns``, with a legend in words and colours."""
    gap, top, left = 4, 58, 8
    rows = -(-len(items) // columns)
    width = left * 2 + columns * (size + gap)
    height = top + rows * (size + gap) + 8
    counts = {status: sum(t.status == status for t in items) for status in COLOURS}
    summary = ", ".join(f"{counts[s]} {s}" for s in COLOURS)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-labelledby="states-title states-desc" class="picture" font-size="12">',
        '<title id="states-title">The States and the UN Convention against Cybercrime</title>',
        f'<desc id="states-desc">One square per State (and the European Union), in alphabetical order of names, '
        f"coloured by what the sources read record: {escape(summary)}.</desc>",
    ]
    x = left
    for status, (fill, _ink) in COLOURS.items():
        out.append(f'<rect x="{x}" y="8" width="16" height="16" fill="{fill}" stroke="#999999"/>')
        out.append(f'<text x="{x + 22}" y="21">{escape(status)} ({counts[status]})</text>')
        x += 140
    out.append(
        f'<text x="{left}" y="44" font-style="italic">Alphabetical, not geographic; only acts a source records.</text>'
    )
    for index, tile in enumerate(items):
        col, row = index % columns, index // columns
        tx, ty = left + col * (size + gap), top + row * (size + gap)
        fill, ink = COLOURS.get(tile.status, COLOURS["neither"])
        when = f" on {tile.signed}" if tile.signed and tile.status == "signed" else ""
        label = f"{tile.name}: {tile.status}{when}"
        square = (
            f'<g class="tile" data-status={_attr(tile.status)}><rect x="{tx}" y="{ty}" width="{size}" height="{size}" '
            f'fill="{fill}" stroke="#999999"><title>{escape(label)}</title></rect>'
            f'<text x="{tx + size / 2}" y="{ty + size / 2 + 4}" text-anchor="middle" fill="{ink}">'
            f"{escape(tile.code)}</text></g>"
        )
        out.append(_linked(f"/states/{tile.slug}", square))
    out.append("</svg>")
    return "\n".join(out)


async def index(request: Request) -> Response:
    items = await tiles(request)
    return render(request, "states.html", tiles=items, picture=tile_map(items), title="States")


async def map_svg(request: Request) -> Response:
    return Response(tile_map(await tiles(request)), media_type="image/svg+xml")


async def page(request: Request) -> Response:
    slug = request.path_params["slug"]
    if not SLUG.fullmatch(slug) or len(slug) > 80:
        raise HTTPException(404, "no such State")
    pool = request.app.state.pool
    result = await run_in_threadpool(Catalogue().run, pool, "state", {"state": slug})
    rows = [{k: (t.value if t is not None else "") for k, t in row.items()} for row in result.rows]
    rows = [r for r in rows if r.get("node") == ORG + slug]
    if not rows:
        raise HTTPException(404, f"no State with the slug {slug!r}; see /states")
    return render(
        request,
        "state.html",
        rows=rows,
        name=rows[0]["name"],
        iri=ORG + slug,
        entity=href(ORG + slug),
        title=rows[0]["name"],
    )


routes = [
    Route("/states", index, name="states"),
    Route("/states/map.svg", map_svg, name="states-map"),
    Route("/states/{slug}", page, name="state"),
]
