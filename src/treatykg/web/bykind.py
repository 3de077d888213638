"""The debate by kind of stakeholder (issue 19): the documents page (``/documents``) and the sections
of a provision page that group its claims by the kind of stakeholder behind them.

Why: an analyst comparing who said what about Article 24 needs civil society, industry, the UN and
the States side by side, not one table sorted by document name. Both pages use the kinds of the
stakeholder-kind scheme, folded up to its top concepts (the EU, a regional organisation and a
regional economic integration organisation, counts once, as a regional organisation), and show
them in one fixed order, :data:`KIND_ORDER`.

The documents page runs the canned query ``documents`` (``treatykg query documents``, also on any
endpoint), with the visitor's ``kind`` resolved against the scheme and bound as a term, never pasted
into the query text; an unknown kind is a 400 that names the field.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..engine.store import QueryResult, Term
from ..model.iri import PREFIXES
from .labels import label_map, result_iris
from .links import href
from .render import _document_date, render, run

KINDS = PREFIXES["stkind"]

#: The order of the sections, by the last part of the kind's IRI: civil society first (where the
#: public debate started and most of its documents come from), then research and experts, industry,
#: the UN, and the States and regional organisations that negotiate, sign and ratify. A kind the
#: scheme gains later comes after these, by name; claims or documents with no stakeholder of a known
#: kind come last.
KIND_ORDER = (
    "ngo",
    "media-freedom-organisation",
    "coalition",
    "academic",
    "individual-expert",
    "industry-body",
    "company",
    "un-body",
    "state",
    "regional-organisation",
)
#: The heading of the last section: a document (the news digest) or claim with no issuer, signatory
#: or attributed stakeholder recorded.
NO_KIND = "No issuer, signatory or attributed stakeholder recorded"
_ROLE_ORDER = {"attributed": 0, "issuer": 1, "signatory": 2}


def kind_rank(iri: str, label: str = "") -> tuple:
    """The sort key of a kind's section: :data:`KIND_ORDER`, then other kinds by name, then none.

    >>> [slug_of(k) for k in sorted([KINDS + "state", "", KINDS + "new-kind", KINDS + "ngo"], key=kind_rank)]
    ['ngo', 'state', 'new-kind', 'none']
    """
    if not iri:
        return (2, "")
    slug = iri.removeprefix(KINDS)
    if iri.startswith(KINDS) and slug in KIND_ORDER:
        return (0, KIND_ORDER.index(slug))
    return (1, (label or slug).casefold())


def slug_of(iri: str) -> str:
    """The kind's anchor and filter value (``ngo``); ``none`` for the section without a kind."""
    return iri.rsplit("/", 1)[-1] if iri else "none"


def _v(row: dict[str, Term], key: str) -> str:
    term = row.get(key)
    return term.value if term is not None else ""


def _public(url: str) -> str | None:
    """An http(s) address the page may link to (``href`` refuses anything else), else None."""
    return url if url.startswith(("http://", "https://")) and href(url) else None


# --- the documents page ----------------------------------------------------------------------------


async def documents(request: Request) -> Response:
    """Every document of the debate, by kind of stakeholder and date; ``?kind=ngo`` keeps one kind."""
    from ..engine.catalogue import CatalogueError, resolve

    catalogue, pool = request.app.state.catalogue, request.app.state.pool
    wanted = request.query_params.get("kind", "").strip() or "any"
    everything = await run_in_threadpool(catalogue.run, pool, "documents", {"kind": "any"})
    shown, error, chosen = everything, None, ""
    if wanted.casefold() != "any":
        try:
            chosen = (await run_in_threadpool(resolve, pool, catalogue.get("documents").param("kind"), wanted)).value
            shown = await run_in_threadpool(catalogue.run, pool, "documents", {"kind": wanted})
        except CatalogueError as exc:  # an unknown or hostile kind: 400, the field named
            shown, error = QueryResult("select"), str(exc).removeprefix("--param ")
    people: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in await run(request, "document-stakeholders"):
        person = {"iri": _v(row, "stakeholder"), "label": _v(row, "label")}
        people[(_v(row, "document"), _v(row, "kind"))].append(person)
    names = await label_map(request, result_iris(everything) | ({chosen} if chosen else set()))
    groups: dict[str, dict] = {}
    for row in shown.rows:
        kind = _v(row, "kind")
        group = groups.setdefault(
            kind, {"iri": kind, "slug": slug_of(kind), "label": names.get(kind, "") if kind else NO_KIND, "rows": []}
        )
        document = _v(row, "document")
        title = _v(row, "title")
        source = _public(_v(row, "source"))
        group["rows"].append(
            {
                "document": document,
                "label": _v(row, "label"),
                "title": title if title and title.strip("[]") != _v(row, "label") else "",
                "via": _v(row, "via"),
                "people": people.get((document, kind), []),
                "date": _document_date(row),
                "dated": bool(_v(row, "sortDate")),
                "type": names.get(_v(row, "type"), ""),
                "stance": names.get(_v(row, "stance"), ""),
                "claims": int(_v(row, "claims") or 0),
                "source": source,
                "host": urlsplit(source).hostname if source else "",
            }
        )
    counts: dict[str, set[str]] = defaultdict(set)
    for row in everything.rows:
        counts[_v(row, "kind")].add(_v(row, "document"))
    kinds = [
        {"iri": k, "slug": slug_of(k), "label": names.get(k, "") if k else NO_KIND, "count": len(docs)}
        for k, docs in sorted(counts.items(), key=lambda item: kind_rank(item[0], names.get(item[0], "")))
        if k
    ]
    ordered = sorted(groups.values(), key=lambda g: kind_rank(g["iri"], g["label"]))
    return render(
        request,
        "documents.html",
        groups=ordered,
        kinds=kinds,
        kind={"slug": slug_of(chosen), "label": names.get(chosen) or slug_of(chosen)} if chosen else None,
        total=len({_v(r, "document") for r in everything.rows}),
        listed=len(everything.rows),
        shown=len({_v(r, "document") for r in shown.rows}),
        error=error,
        status=400 if error else 200,
        title="Documents of the debate",
    )


# --- a provision's claims, by kind ---------------------------------------------------------------------


def claims_by_kind(claims: list[dict[str, Term]], behind: list[dict[str, Term]]) -> list[dict]:
    """The rows of a provision's claims table (one per claim and provision part, in the order given),
    in one section per kind of stakeholder behind the claim, in :data:`KIND_ORDER`.

    ``behind`` holds the stakeholders of each claim with their kind (web query
    ``claim-stakeholders``): the party a document attributes the claim to, else the document's
    issuers and signatories. A claim whose stakeholders are of several kinds (a joint letter signed
    by NGOs, press-freedom groups and academics) is listed under each, with the stakeholders of that
    kind; a claim with none is listed in a last section, :data:`NO_KIND`."""
    kinds: dict[str, str] = {}
    who: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in behind:
        kind = _v(row, "kind")
        kinds[kind] = _v(row, "kindLabel")
        people = who[_v(row, "claim")][kind]
        if all(p["iri"] != _v(row, "stakeholder") for p in people):
            people.append({"iri": _v(row, "stakeholder"), "label": _v(row, "label"), "role": _v(row, "role")})
    groups: dict[str, dict] = {}
    for row in claims:
        claim = _v(row, "claim")
        date = _document_date({"date": row.get("issued"), "earliest": row.get("earliest"), "latest": row.get("latest")})
        for kind, people in (who.get(claim) or {"": []}).items():
            label = kinds.get(kind, "") or NO_KIND
            group = groups.setdefault(
                kind, {"iri": kind, "slug": slug_of(kind), "label": label, "rows": [], "claims": set()}
            )
            ordered = sorted(people, key=lambda p: (_ROLE_ORDER.get(p["role"], 3), p["label"].casefold()))
            group["rows"].append({"row": row, "people": ordered, "date": date})
            group["claims"].add(claim)
    for group in groups.values():
        group["claim_count"] = len(group.pop("claims"))
    return sorted(groups.values(), key=lambda g: kind_rank(g["iri"], g["label"]))
