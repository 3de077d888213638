"""The canned queries on a real OpenLink Virtuoso 7 (Debian's ``virtuoso-opensource``), started
once per session on free 127.0.0.1 ports with its own database (``tests/engines.py``) and loaded
with ``treatykg export --format nq`` by Virtuoso's bulk loader: every query, with its defaults and
with each parameter value the query tests use, gives the embedded store's rows, in the same order.

Where Virtuoso is wrong and the query may not be rewritten here, the case is a *named known
difference* (``KNOWN``): an ``xfail(strict=True)`` whose reason names the engine's bug, so the
suite says so on every run and fails the day Virtuoso (or the query) stops differing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from treatykg.engine.catalogue import Catalogue
from treatykg.engine.remote import RemoteStore

from .engines import row_key

pytestmark = pytest.mark.engines

UNCC = "https://w3id.org/treatykg/uncc"
DOC = "https://w3id.org/treatykg/doc/"
ORG = "https://w3id.org/treatykg/org/"

# The parameter values tests/queries/ use (beside every query's defaults).
PARAMETER_CASES: list[tuple[str, dict[str, str]]] = [
    ("co-signatories", {"doc1": DOC + "eff-briefing-negotiations", "doc2": DOC + "joint-letter-eu-vote-no"}),
    ("co-signatories", {"doc1": DOC + "joint-letter-eu-vote-no", "doc2": DOC + "joint-statement-concluding-session"}),
    ("co-signatories", {"doc1": DOC + "joint-statement-concluding-session", "doc2": DOC + "joint-letter-eu-vote-no"}),
    ("criticisms", {"provision": "art_24"}),
    ("criticisms", {"provision": "28(4)"}),
    ("critics", {"provision": "24"}),
    ("critics", {"provision": UNCC}),
    ("cross-references", {"provision": "2(h)"}),
    ("cross-references", {"provision": "40(1)"}),
    ("documents", {"kind": "ngo"}),
    ("documents", {"kind": "regional-organisation"}),
    ("missing-principles", {"provision": "Article 24"}),
    ("safeguard-scope", {"provision": "24"}),
    ("safeguard-scope", {"provision": "24(2)"}),
    ("safeguard-scope", {"provision": "40(21)"}),
    ("stakeholder-claims", {"stakeholder": ORG + "electronic-frontier-foundation"}),
    ("stakeholder-claims", {"stakeholder": ORG + "microsoft"}),
    # every basis of the claim queries (a VALUES-bound basis once hung Virtuoso's query thread)
    ("criticisms", {"provision": "art_24", "basis": "any"}),
    ("criticisms", {"provision": "28(4)", "basis": "inferred"}),
    ("critics", {"provision": UNCC, "basis": "any"}),
    ("critics", {"provision": "24", "basis": "inferred"}),
    ("missing-principles", {"basis": "any"}),
    ("missing-principles", {"basis": "inferred"}),
    ("most-criticised", {"basis": "any"}),
    ("most-criticised", {"basis": "inferred"}),
    ("secrecy", {"basis": "any"}),
    ("secrecy", {"basis": "inferred"}),
    ("stakeholder-claims", {"stakeholder": ORG + "electronic-frontier-foundation", "basis": "any"}),
    ("stakeholder-claims", {"stakeholder": ORG + "electronic-frontier-foundation", "basis": "inferred"}),
    ("stakeholder-claims", {"stakeholder": ORG + "microsoft", "basis": "any"}),
    # the "does not reach" rows for every safeguard under the Convention
    ("safeguard-scope", {"provision": UNCC}),
    ("gender", {"basis": "any"}),
    ("gender", {"basis": "inferred"}),
    # the two queries rewritten last for Virtuoso (issue 16): every basis, and a document whose
    # claims are attributed to others (the longest GROUP_CONCAT lists)
    ("document-claims", {"basis": "any"}),
    ("document-claims", {"basis": "inferred"}),
    ("document-claims", {"document": DOC + "news-digest-reactions", "basis": "any"}),
    ("refusal-gaps", {"basis": "any"}),
    ("refusal-gaps", {"basis": "inferred"}),
]

# Named Virtuoso 7.2.5 bugs that no allowed rewrite removes yet: case id -> the bug. Empty since
# document-claims and refusal-gaps were rewritten (issue 16, see their comments); kept so that the
# next engine difference found is named here rather than hidden.
KNOWN: dict[str, str] = {}

#: Named Virtuoso 7.2.5 differences that come and go from one run to the next (same data, same
#: query): an xfail that is not strict, so a run where Virtuoso happens to be right passes too.
#: safeguard-scope: one CI run on 2026-12-04 lost the rows of the powers a safeguard reaches (its
#: grouped GROUP_CONCAT sub-select); not reproduced since (issue 16, 2026-12-05): 0 of 600 runs of
#: its five cases differed on 6 fresh servers (20 runs each, right after the bulk load and
#: checkpoint), 0 of 15 with the push tests run first on the same server as in CI, and the 4 CI
#: logs kept since all pass. With no cause found it stays marked. (gender with basis=inferred was
#: not unstable: its old form differed in 60 of 60 runs, Virtuoso taking a variable an OPTIONAL
#: left unbound for bound; rewritten, 0 of 60, see queries/gender.rq.)
UNSTABLE: dict[str, str] = {
    "safeguard-scope": "Virtuoso 7.2 (one CI run of 2026-12-04, not reproduced in 600 runs on 6 fresh servers) "
    "dropped the rows of the powers a safeguard reaches: the grouped GROUP_CONCAT sub-select of reached IRIs came "
    "back empty for them",
}


def _cases():
    for name in sorted(Catalogue().queries):
        yield pytest.param(name, {}, id=f"{name}[defaults]")
    for name, params in PARAMETER_CASES:
        shown = ",".join(f"{key}={value.rsplit('/', 1)[-1]}" for key, value in params.items())
        case = f"{name}[{shown}]"
        yield pytest.param(name, params, id=case)


def _marked():
    for case in _cases():
        reason = KNOWN.get(case.id)
        unstable = UNSTABLE.get(case.id) or UNSTABLE.get(case.id.split("[", 1)[0])
        if reason:
            yield pytest.param(*case.values, id=case.id, marks=pytest.mark.xfail(strict=True, reason=reason))
        elif unstable:
            yield pytest.param(*case.values, id=case.id, marks=pytest.mark.xfail(strict=False, reason=unstable))
        else:
            yield case


def _rows(result) -> Counter:
    return Counter(row_key(row) for row in result.values())


@pytest.mark.parametrize(("name", "params"), list(_marked()))
def test_virtuoso_answers_like_the_embedded_store(kg, virtuoso_loaded, name, params):
    remote = RemoteStore(virtuoso_loaded.sparql, timeout=60)
    embedded = kg.catalogue.run(kg.store, name, params)
    answer = kg.catalogue.run(remote, name, params)
    if not params:
        assert embedded.values(), f"{name} returned no rows with its defaults on the embedded store"
    assert answer.variables == embedded.variables
    assert _rows(answer) == _rows(embedded)
    ordered = [row_key(row) for row in answer.values()]
    assert ordered == [row_key(row) for row in embedded.values()], "same rows but a different order"


@pytest.mark.parametrize(("name", "params"), [c for c in _cases() if c.values[1]])
def test_oxigraph_server_answers_like_the_embedded_store_with_parameters(kg, oxigraph_loaded, name, params):
    remote = RemoteStore(oxigraph_loaded + "/query")
    embedded = kg.catalogue.run(kg.store, name, params)
    answer = kg.catalogue.run(remote, name, params)
    assert answer.variables == embedded.variables
    assert [row_key(row) for row in answer.values()] == [row_key(row) for row in embedded.values()]


def test_virtuoso_holds_every_exported_graph(virtuoso_loaded, exported_nquads):
    """The bulk loader kept each quad's graph: the per-graph counts are the export's."""
    import pyoxigraph as ox

    local = Counter(q.graph_name.value for q in ox.parse(path=str(exported_nquads), format=ox.RdfFormat.N_QUADS))
    rows = virtuoso_loaded.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/treatykg/')) } GROUP BY ?g"
    )
    assert Counter({row["g"]["value"]: int(row["n"]["value"]) for row in rows}) == local
