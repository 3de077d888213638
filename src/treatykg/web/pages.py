"""The HTML pages: table of contents, a page per provision, stakeholder, document and claim, the
query catalogue with forms, the SPARQL editor, "check your statements", and the pictures.

Page data comes from the SPARQL files in ``web/queries/``; the entity a page is about is passed to
the engine as a substitution (``?this``), never spliced into query text. Every query runs in the
worker pool under the server's limits.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..engine.pool import GRAPH_FORMATS, Job, QuerySyntaxError
from ..engine.store import QueryError, QueryResult, Term
from ..model.iri import BASE, PREFIXES, UNCC, UNCC_WORK, sparql_prefixes
from . import svg
from .checkrun import CheckBusyError
from .downloads import spreadsheet_safe, wants_labels
from .labels import label_map, result_iris
from .links import href, local_path
from .negotiation import best
from .official import official_links
from .order import treaty_order
from .protocol import ProtocolError, error_response, read_body
from .render import _document_date, _page_query, _retry_after, _v, page_status, render, run  # noqa: F401  (re-exported)

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
    toc = await _toc(request, UNCC_WORK)
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


async def _toc(request: Request, work: str) -> list[dict]:
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


# --- the canned query catalogue ----------------------------------------------------------------------


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


# --- the SPARQL editor ----------------------------------------------------------------------------------

# The editor starts with every prefix of the project (iri.py, the one place), as `treatykg sparql`
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


# --- check your statements ---------------------------------------------------------------------------------

UPLOAD_SUFFIXES = {".ttl", ".trig", ".jsonld", ".json", ".csv", ".yaml", ".yml"}


async def check(request: Request) -> Response:
    """Paste Turtle or upload a statements file: the report of ``treatykg check``; nothing is stored.

    The check runs in a child process (:mod:`treatykg.web.checkrun`) under a time and a memory
    limit, without network, and is killed if the visitor leaves; at most ``check_concurrency`` run
    at once. Bad input is 400 with one line; a check the limits stopped, or no free slot, is 503
    with ``Retry-After``."""
    from .starters import offered

    title = "Check your statements"
    request.state.templates = offered()  # the template downloads, on every state of the page
    if request.method == "GET":
        return render(request, "check.html", title=title)
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    try:
        name, content = await _read_statements(request, limit)
    except ProtocolError as exc:
        return render(request, "check.html", title=title, error=exc.message, status=exc.status)
    pasted = content.decode("utf-8", "replace") if name == "pasted.ttl" else ""
    runner = request.app.state.checks
    try:
        outcome = await runner.run(name, content, request.is_disconnected)
    except CheckBusyError as exc:
        retry = settings.check_timeout / 2
        return render(request, "check.html", title=title, error=str(exc), pasted=pasted, status=503, retry_after=retry)
    if outcome is None:  # the client left; the child is already stopped and nobody reads this
        return PlainTextResponse("the client disconnected; the check was stopped\n", status_code=499)
    return render(
        request,
        "check.html",
        title=title,
        report=outcome.report,
        lines=report_lines(outcome.report),
        conforms=outcome.conforms,
        error=outcome.error,
        pasted=pasted,
        status=outcome.status,
        retry_after=settings.check_timeout / 2,
    )


_REPORT_LINE = re.compile(
    r"^(?P<where>[^\n]*?): (?P<severity>Violation|Warning|Info) \[(?P<field>[^\]\n]{1,200})\] (?P<message>.*)$"
)


def report_lines(report: str) -> list[dict[str, str]]:
    """The check's report, one entry per line, with where (file, row or line), severity, the field
    (a CSV column or YAML key where the report names one, else the property) and the message, so
    the page can lay them out to wrap instead of one wide preformatted block."""
    from ..statements import reader as statements

    column_name = getattr(statements, "column_name", None)  # where the statements module maps them
    out = []
    for line in report.splitlines():
        match = _REPORT_LINE.match(line)
        if not match:
            out.append({"where": "", "severity": "", "field": "", "message": line})
            continue
        entry = match.groupdict()
        focus = entry["message"].split(":", 1)[0]
        record = _RECORD_OF_PREFIX.get(focus.split(":")[0] if ":" in entry["message"] else "")
        template = re.search(r"\.(csv|ya?ml)\b", entry["where"]) is not None  # columns mean nothing in Turtle
        column = column_name(record, entry["field"]) if callable(column_name) and record and template else None
        if column and column != entry["field"]:
            entry["field"] = f"{column} ({entry['field']})"  # the column or key the contributor filled in
        out.append(entry)
    return out


_RECORD_OF_PREFIX = {"claim": "claim", "doc": "document", "stk": "stakeholder", "person": "stakeholder"}


async def _read_statements(request: Request, limit: int) -> tuple[str, bytes]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data" and media != "application/x-www-form-urlencoded":
        raise ProtocolError(415, "send the form (multipart/form-data or application/x-www-form-urlencoded)")
    # Read the whole body under a hard cap first (a missing or lying Content-Length cannot make
    # the server spool more), then let Starlette parse the form from it: Request.stream() replays
    # a body that was already read.
    try:
        request._body = await read_body(request, limit + 64 * 1024)
    except ProtocolError as exc:
        message = f"upload too large ({exc.message}); the limit is {limit} bytes, as treatykg check"
        raise ProtocolError(413, message) from None
    async with request.form(max_files=1, max_fields=10, max_part_size=limit + 1) as form:
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            suffix = Path(upload.filename).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                raise ProtocolError(
                    400, f"file: unsupported type {suffix or '(none)'!r}; use {', '.join(sorted(UPLOAD_SUFFIXES))}"
                )
            content = await upload.read(limit + 1)
            if len(content) > limit:
                raise ProtocolError(413, f"file: too large (limit {limit} bytes, as treatykg check)")
            return _safe_name(upload.filename), content
        text = form.get("turtle")
        if isinstance(text, str) and text.strip():
            content = text.encode("utf-8")
            if len(content) > limit:
                raise ProtocolError(413, f"turtle: too large (limit {limit} bytes, as treatykg check)")
            return "pasted.ttl", content
    raise ProtocolError(400, "nothing to check: paste Turtle into the box or choose a file")


def _safe_name(filename: str) -> str:
    """The upload's base name reduced to safe characters (it is shown in the report)."""
    base = Path(filename.replace("\\", "/")).name
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".")
    return cleaned[:100] or "upload"


# --- pictures ---------------------------------------------------------------------------------------------


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
    toc = await _toc(request, UNCC_WORK)
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
    toc = await _toc(request, UNCC_WORK)
    rows = [
        svg.Row(a["iri"], a["label"], a["title"], href(a["iri"]))
        for chapter in toc
        for a in chapter["articles"]
        if a["iri"] in totals
    ]
    columns = [svg.Column(kind, label, href(kind)) for kind, label in sorted(kinds.items(), key=lambda kv: kv[1])]
    return svg.heatmap(rows, columns, counts, totals)


# --- errors ---------------------------------------------------------------------------------------------------


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
