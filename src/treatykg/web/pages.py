"""The entity pages: the table of contents, a page per provision, stakeholder, document, claim and
concept (HTML, or RDF by content negotiation), the stakeholders list, the JSON-LD context, VoID and
the health check. The other pages have modules of their own: :mod:`.queries_page`,
:mod:`.editor`, :mod:`.check_page`, :mod:`.pictures`, :mod:`.errors`, :mod:`.bykind`,
:mod:`.states`.

Page data comes from the SPARQL files in ``web/queries/``; the entity a page is about is passed to
the engine as a substitution (``?this``), never spliced into query text. Every query runs in the
worker pool under the server's limits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..engine.pool import GRAPH_FORMATS, Job, QuerySyntaxError
from ..engine.store import QueryError, QueryResult, Term
from ..model.iri import BASE, PREFIXES, UNCC, UNCC_WORK
from .errors import _query_error_text
from .labels import label_map, result_iris
from .links import href, local_path
from .negotiation import best
from .official import official_links
from .order import treaty_order
from .protocol import error_response
from .render import _document_date, _page_query, _retry_after, _v, page_status, render, run, table_of_contents  # noqa: F401  (re-exported)

TKG = PREFIXES["tkg"]
RDF_TYPE = PREFIXES["rdf"] + "type"
DCT = PREFIXES["dct"]
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS = PREFIXES["skos"]
UNCONFIRMED = PREFIXES["evidence"] + "unconfirmed"

ENTITY_TYPES = {  # media type -> pool graph format
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
PROVISION_CLASSES = {TKG + c for c in ("Treaty", "Preamble", "Chapter", "Article", "Paragraph", "Point")}
STAKEHOLDER_CLASSES = {TKG + "Organisation", TKG + "Person"}


# --- statements about one entity -----------------------------------------------------------------


@dataclass
class Fact:
    """One (property, value) of an entity with labels, ready for a template."""

    prop: str
    prop_label: str
    value: Term
    value_label: str

    @property
    def link(self) -> str | None:
        return href(self.value.value) if self.value.kind == "uri" else None


@dataclass
class Facts:
    iri: str
    items: list[Fact] = field(default_factory=list)

    def values(self, prop: str) -> list[Fact]:
        return [f for f in self.items if f.prop == prop]

    def first(self, prop: str, default: str = "") -> str:
        found = self.values(prop)
        return found[0].value.value if found else default

    @property
    def types(self) -> set[str]:
        return {f.value.value for f in self.values(RDF_TYPE)}

    @property
    def label(self) -> str:
        return self.first(RDFS_LABEL) or self.first(SKOS + "prefLabel") or self.iri


def _short_name(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


async def facts(request: Request, iri: str) -> Facts:
    rows = await run(request, "properties", iri)
    out = Facts(iri)
    for row in rows:
        prop = _v(row, "p")
        value = row["o"]
        out.items.append(Fact(prop, _v(row, "pLabel") or _short_name(prop), value, _v(row, "oLabel")))
    return out


# --- pages -------------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    toc = await table_of_contents(request, UNCC_WORK)
    treaty = await facts(request, UNCC_WORK)
    # "Expand all" is a link (?expand=all), so it works without script under the strict CSP.
    expand = request.query_params.get("expand") == "all"
    return render(
        request,
        "home.html",
        toc=toc,
        treaty=treaty,
        expand=expand,
        preamble=UNCC + "preamble",
        topics=[r for r in await run(request, "topics") if int(_v(r, "claims", "0"))],
        claim_total=sum(int(_v(r, "claims", "0")) for r in await run(request, "claim-count")),
        title="The UN Convention against Cybercrime",
    )


async def entity(request: Request) -> Response:
    """Any IRI under our base: HTML for people, RDF for machines, by content negotiation."""
    path = request.path_params["path"]
    iri = BASE + path
    fmt = request.query_params.get("format")
    if fmt is not None and fmt not in (*GRAPH_FORMATS, "html"):
        return error_response(400, f"unknown format {fmt!r}; use one of: html, {', '.join(GRAPH_FORMATS)}")
    try:
        data = await facts(request, iri)
    except QuerySyntaxError:
        data = Facts(iri)  # not a valid IRI: nothing is known about it
    # Any other QueryError (busy, time limit, a worker that died) is not "nothing known": it goes
    # to the QueryError handler below, which answers 503 with Retry-After.
    if not data.items:
        raise HTTPException(404, f"nothing is known about {iri}")
    graph_format = _entity_format(request, fmt)
    if graph_format:
        job = Job("DESCRIBE ?this", graph_format=graph_format, bindings=(("this", iri),))
        try:
            answer = await run_in_threadpool(request.app.state.pool.run, job)
        except QueryError as exc:
            return _query_error_text(request, exc)
        return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})
    types = data.types
    if types & PROVISION_CLASSES:
        return await _provision(request, data)
    if types & STAKEHOLDER_CLASSES:
        return await _stakeholder(request, data)
    if TKG + "StatementDocument" in types:
        return await _document(request, data)
    if TKG + "Claim" in types:
        return await _claim(request, data)
    if SKOS + "Concept" in types:
        return await _concept(request, data)
    return render(request, "entity.html", entity=data, title=data.label, alternates=_alternates(path))


def _entity_format(request: Request, fmt: str | None) -> str | None:
    if fmt is not None:
        return None if fmt == "html" else fmt
    choice = best(request.headers.get("accept"), ["text/html", *ENTITY_TYPES])
    return ENTITY_TYPES.get(choice) if choice else None


def _alternates(path: str) -> list[tuple[str, str, str]]:
    local = local_path(BASE + path)
    if local is None:  # a path that would not be a safe link (e.g. "//host"): no alternates
        return []
    return [
        ("Turtle", "text/turtle", f"{local}?format=ttl"),
        ("N-Triples", "application/n-triples", f"{local}?format=nt"),
        ("JSON-LD", "application/ld+json", f"{local}?format=jsonld"),
    ]


async def _provision(request: Request, data: Facts) -> Response:
    iri = data.iri
    if iri == UNCC_WORK:
        return await home(request)
    parts = _nested_parts(await run(request, "parts", iri), iri)
    treaty = await facts(request, UNCC_WORK)
    references = await run(request, "references", iri)
    safeguards = await run(request, "safeguards", iri)
    claims = sorted(await run(request, "claims-about", iri), key=lambda r: treaty_order(_v(r, "about")))
    from .bykind import claims_by_kind

    by_kind = claims_by_kind(claims, await run(request, "claim-stakeholders", iri)) if claims else []
    # The path up to the treaty, for the breadcrumb.
    trail = []
    parent = data.first(TKG + "partOf")
    while parent and len(trail) < 6:
        parent_facts = await facts(request, parent)
        trail.insert(0, parent_facts)
        parent = parent_facts.first(TKG + "partOf")
    reached = [r for r in safeguards if _v(r, "relation") != "does not reach"]
    not_reached = [r for r in safeguards if _v(r, "relation") == "does not reach"]
    # A safeguard that reaches through some scope is not also listed as "does not reach".
    reached_iris = {_v(r, "safeguard") for r in reached}
    not_reached = [r for r in not_reached if _v(r, "safeguard") not in reached_iris]
    official = await official_links(request) if iri.startswith(UNCC) else []
    return render(
        request,
        "provision.html",
        official=official,
        entity=data,
        title=data.label,
        trail=trail,
        parts=parts,
        outgoing=[r for r in references if _v(r, "direction") == "out"],
        incoming=[r for r in references if _v(r, "direction") == "in"],
        reached=reached,
        not_reached=not_reached,
        claims=claims,
        claim_count=len({_v(r, "claim") for r in claims}),
        by_kind=by_kind,
        treaty=treaty,
        adopted=long_date(treaty.first(DCT + "issued")),
        alternates=_alternates(request.path_params["path"]),
    )


def _nested_parts(rows: list[dict[str, Term]], root: str) -> list[dict]:
    """Parts of ``root`` at every depth, each under its parent in treaty order.

    Why: a reader of Article 47 must see 47(1)(c), a point under a paragraph, among the article's
    parts; the direct parts alone hide it.
    """
    children: dict[str, list[dict[str, Term]]] = defaultdict(list)
    for row in rows:
        children[_v(row, "parent")].append(row)

    def key(row: dict[str, Term]) -> tuple[float, str]:
        seq = _v(row, "seq")
        try:
            return (float(seq), _v(row, "label"))
        except ValueError:
            return (math.inf, _v(row, "label"))

    out: list[dict] = []

    def walk(parent: str, depth: int) -> None:
        if depth > 6:  # the treaty is at most article > paragraph > point > subpoint deep
            return
        for row in sorted(children.get(parent, []), key=key):
            out.append({**row, "depth": depth})
            walk(_v(row, "part"), depth + 1)

    walk(root, 0)
    return out


def _group_links(rows: list[dict[str, Term]]) -> list[dict]:
    """One entry per claim with its provision links (cited or inferred), from one row per link."""
    claims: dict[str, dict] = {}
    for row in rows:
        claim = claims.setdefault(
            _v(row, "claim"),
            {
                "claim": _v(row, "claim"),
                "label": _v(row, "claimLabel"),
                "kind": _v(row, "kindLabel"),
                "quote": _v(row, "quote"),
                "links": [],
            },
        )
        if _v(row, "about"):
            claim["links"].append(_link_of(row))
    return list(claims.values())


def _link_of(row: dict[str, Term]) -> dict[str, str]:
    return {
        "about": _v(row, "about"),
        "label": _v(row, "aboutLabel") or _v(row, "about"),
        "basis": _v(row, "basis") or "cited",
        "confidence": _v(row, "confidence"),
        "reason": _v(row, "reason"),
    }


async def _claim(request: Request, data: Facts) -> Response:
    """A claim a reader can check: its exact quote, its document (title, date, public link if the
    graph records one) and each provision it is about, cited by the document or inferred by us."""
    rows = await run(request, "claim", data.iri)
    first = rows[0] if rows else {}
    quotes = sorted({_v(r, "exact") for r in rows if _v(r, "exact")})
    links: dict[str, dict[str, str]] = {}
    for row in rows:
        if _v(row, "about"):
            links.setdefault(_v(row, "about"), _link_of(row))
    pages = sorted(
        {_v(r, "page") for r in rows if href(_v(r, "page")) and _v(r, "page").startswith(("http://", "https://"))}
    )
    document = {
        "iri": _v(first, "document"),
        "label": _v(first, "documentLabel"),
        "title": _v(first, "documentTitle") or _v(first, "documentLabel"),
        "date": _document_date(first),
        "pages": pages,
    }
    return render(
        request,
        "claim.html",
        entity=Facts(data.iri, [f for f in data.items if f.prop != TKG + "sourceFile"]),
        title=data.label,
        kind=_v(first, "kindLabel"),
        target=_v(first, "target"),
        quotes=quotes,
        links=sorted(links.values(), key=lambda link: link["label"]),
        document=document,
        alternates=_alternates(request.path_params["path"]),
    )


def long_date(value: str) -> str:
    """``2024-12-24`` as ``24 December 2024`` for a citation; anything else unchanged."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B} {day.year}"


def _public_links(data: Facts) -> list[str]:
    """The document's original http(s) links (dct:source, foaf:page, rdfs:seeAlso); never its
    internal source file name."""
    props = (DCT + "source", "http://xmlns.com/foaf/0.1/page", PREFIXES["rdfs"] + "seeAlso")
    found = [f.value.value for p in props for f in data.values(p) if f.value.kind == "uri"]
    return [u for u in dict.fromkeys(found) if u.startswith(("http://", "https://")) and href(u)]


async def _stakeholder(request: Request, data: Facts) -> Response:
    from ..engine.catalogue import CatalogueError

    items = await run(request, "stakeholder-documents", data.iri)
    error = None
    try:
        criticised = await run_in_threadpool(
            request.app.state.catalogue.run,
            request.app.state.pool,
            "stakeholder-claims",
            {"stakeholder": data.iri, "basis": "any"},  # cited and inferred, each row says which
        )
    except (CatalogueError, QueryError) as exc:
        if isinstance(exc, QueryError) and page_status(exc) == 503:
            raise  # overload: the whole page answers 503, not a page with a hole
        # Say the list could not be computed rather than show it as empty.
        criticised, error = QueryResult("select"), str(exc)
    names = await label_map(request, result_iris(criticised))
    return render(
        request,
        "stakeholder.html",
        entity=data,
        title=data.label,
        items=items,
        criticised=_by_provision(criticised.rows, names),
        claim_count=sum(int(_v(r, "claims", "0")) for r in criticised.rows),
        error=error,
        alternates=_alternates(request.path_params["path"]),
    )


def _by_provision(rows: list[dict[str, Term]], names: dict[str, str]) -> list[dict]:
    """Rows of ``stakeholder-claims`` grouped by provision, in treaty order (Article 4 before
    Article 36), each provision named once, every IRI with its label."""
    groups: dict[str, dict] = {}
    for row in rows:
        provision = _v(row, "provision")
        group = groups.setdefault(provision, {"iri": provision, "label": names.get(provision, provision), "rows": []})
        document = _v(row, "document")
        group["rows"].append(
            {
                "document": document,
                "document_label": names.get(document, document),
                "via": _v(row, "via"),
                "basis": _v(row, "basis") or "cited",
                "confidence": _v(row, "confidence"),
                "reason": _v(row, "reason"),
                "claims": int(_v(row, "claims", "0")),
            }
        )
    for group in groups.values():
        group["rows"].sort(key=lambda r: (r["document_label"].casefold(), r["via"], r["basis"]))
    return sorted(groups.values(), key=lambda g: treaty_order(g["iri"]))


async def _concept(request: Request, data: Facts) -> Response:
    """A concept (a concern, a claim kind, a principle...) and the claims that use it, by provision
    in treaty order: topic browsing, as the Constitute Project offers for constitutions."""
    claims: dict[str, dict] = {}
    for row in await run(request, "concept-claims", data.iri):
        claim = claims.setdefault(
            _v(row, "claim"),
            {
                "claim": _v(row, "claim"),
                "label": _v(row, "claimLabel"),
                "kind": _v(row, "kindLabel"),
                "document": _v(row, "document"),
                "document_label": _v(row, "documentLabel"),
                "about": [],
            },
        )
        about = _v(row, "about")
        if about and all(a["iri"] != about for a in claim["about"]):
            claim["about"].append({"iri": about, "label": _v(row, "aboutLabel") or about})
    for claim in claims.values():
        claim["about"].sort(key=lambda a: treaty_order(a["iri"]))
    ordered = sorted(
        claims.values(),
        key=lambda c: (treaty_order(c["about"][0]["iri"]) if c["about"] else (3,), c["label"]),
    )
    siblings = [
        {"iri": _v(r, "other"), "label": _v(r, "otherLabel"), "claims": int(_v(r, "claims", "0"))}
        for r in await run(request, "concept-siblings", data.iri)
    ]
    scheme = data.first(SKOS + "inScheme")
    names = await label_map(request, [scheme]) if scheme else {}
    return render(
        request,
        "concept.html",
        entity=data,
        title=data.label,
        claims=ordered,
        siblings=siblings,
        scheme=scheme,
        scheme_label=names.get(scheme, ""),
        alternates=_alternates(request.path_params["path"]),
    )


async def _document(request: Request, data: Facts) -> Response:
    people = await run(request, "document-people", data.iri)
    claims = _group_links(await run(request, "document-claims", data.iri))
    # The internal file name of the source text is not the document's name: keep it off the page.
    shown = Facts(data.iri, [f for f in data.items if f.prop != TKG + "sourceFile"])
    return render(
        request,
        "document.html",
        entity=shown,
        title=data.first(DCT + "title") or data.label,
        people=people,
        claims=claims,
        pages=_public_links(data),
        date=_document_date(
            {
                k: f.value
                for k, p in (("date", DCT + "date"), ("earliest", TKG + "earliestDate"), ("latest", TKG + "latestDate"))
                for f in data.values(p)[:1]
            }
        ),
        alternates=_alternates(request.path_params["path"]),
    )


def _one_row_per_stakeholder(rows: list[dict[str, Term]]) -> list[dict[str, Term]]:
    """One row per stakeholder, its kinds joined: the query gives a row per kind, and a
    stakeholder of two kinds (the EU: a regional organisation and a regional economic
    integration organisation) must not be listed twice."""
    merged: dict[str, dict[str, Term]] = {}
    for row in rows:
        key = _v(row, "stakeholder")
        if key not in merged:
            merged[key] = dict(row)
            continue
        kind = _v(row, "kindLabel")
        seen = _v(merged[key], "kindLabel")
        if kind and kind not in seen.split(", "):
            merged[key]["kindLabel"] = Term("literal", f"{seen}, {kind}" if seen else kind)
    return list(merged.values())


async def stakeholders(request: Request) -> Response:
    """Every stakeholder; ``?kind=ngo`` (the last segment of a stakeholder-kind IRI) keeps one kind."""
    rows = await run(request, "stakeholders")
    kinds: dict[str, dict] = {}
    for row in rows:
        slug = _v(row, "kind").rsplit("/", 1)[-1]
        if slug:
            entry = kinds.setdefault(slug, {"slug": slug, "label": _v(row, "kindLabel"), "count": 0})
            entry["count"] += 1
    wanted = request.query_params.get("kind", "")
    status, error = 200, None
    if wanted and wanted not in kinds:
        status, error = 400, f"kind: unknown stakeholder kind {wanted[:40]!r}; use one of {', '.join(sorted(kinds))}"
    elif wanted:
        rows = [r for r in rows if _v(r, "kind").rsplit("/", 1)[-1] == wanted]
    rows = _one_row_per_stakeholder(rows)
    return render(
        request,
        "stakeholders.html",
        rows=rows if not error else [],
        kinds=sorted(kinds.values(), key=lambda k: k["label"].casefold()),
        kind=kinds.get(wanted),
        error=error,
        status=status,
        title="Stakeholders",
    )


async def context(request: Request) -> Response:
    """The published JSON-LD context (``https://w3id.org/treatykg/context.jsonld``)."""
    from ..model.context import context_text

    text = await run_in_threadpool(context_text)
    return Response(text, media_type="application/ld+json")


async def void(request: Request) -> Response:
    """VoID + DCAT of the served dataset, naming this server's SPARQL endpoint (RFC 5785 path
    that VoID recommends for discovery). Built once, on first request, with the endpoint address
    from the configuration (``--base-url``): never from the request, whose Host header anyone
    can forge and whose answer is then served to everyone."""
    state = request.app.state
    if getattr(state, "void", None) is None:
        from ..publish.export import assemble, describe_dataset
        from .protocol import public_url

        endpoint = public_url(state.settings, "/sparql")
        state.void = await run_in_threadpool(lambda: describe_dataset(assemble(), None, endpoint))
    return Response(state.void, media_type="text/turtle")


async def health(request: Request) -> Response:
    """200 while at least one query worker is alive, else 503 (with Retry-After): a monitor
    must see an outage. The counts say how many workers run, how many are being (re)started,
    the largest memory a worker has used, and how many were stopped (last, for old parsers)."""
    pool = request.app.state.pool
    state = await run_in_threadpool(pool.health)
    text = (
        f"{state['live']} live, {state['starting']} starting of {state['size']} workers, "
        f"peak {state['peak_rss_kib'] // 1024} MiB, {state['jobs']} jobs, {state['stopped']} stopped"
    )
    if state["live"] == 0:
        return PlainTextResponse(f"unavailable: {text}\n", status_code=503, headers={"Retry-After": "2"})
    return PlainTextResponse(f"ok: {text}\n")
