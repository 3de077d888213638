"""The debate graph answers its basic questions over the exported dataset, on the embedded store:
for each source document, its signatories and the provisions it criticises; derived positions."""

from __future__ import annotations

import pyoxigraph
import pytest

from treatykg.model.iri import PREFIXES, UNCC, sparql_prefixes
from treatykg.publish.export import serialise

from .conftest import SOURCE_DOCUMENTS

DOC = PREFIXES["doc"]


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(serialise("nq").encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _select(store, query: str, **bindings) -> list[dict[str, str]]:
    # Values are bound by the engine (substitutions), never pasted into the query text; pyoxigraph
    # requires substituted variables to be projected.
    substitutions = {pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in bindings.items()}
    results = store.query(sparql_prefixes() + query, use_default_graph_as_union=True, substitutions=substitutions)
    return [{v.value: row[v].value for v in results.variables if row[v] is not None} for row in results]


SIGNATORIES = "SELECT DISTINCT ?doc ?who WHERE { ?doc tkg:signedBy ?who }"
CRITICISED = """
SELECT DISTINCT ?doc ?provision WHERE {
  ?claim prov:wasDerivedFrom ?doc ; tkg:about ?provision ; tkg:claimKind ?kind .
  VALUES ?kind { claimkind:criticism claimkind:demand }
}"""


def test_signatories_per_document(store):
    counts = {name: len(_select(store, SIGNATORIES, doc=DOC + name)) for name in SOURCE_DOCUMENTS}
    assert counts == {
        "joint-letter-eu-vote-no": 29,
        "joint-statement-concluding-session": 110,
        "eff-briefing-negotiations": 0,
        "article19-analysis-2024-10": 0,
        "news-digest-reactions": 0,
    }
    letter = {row["who"] for row in _select(store, SIGNATORIES, doc=DOC + "joint-letter-eu-vote-no")}
    assert PREFIXES["stk"] + "electronic-frontier-foundation" in letter
    assert PREFIXES["person"] + "douwe-korff" in letter
    assert PREFIXES["stk"] + "wikimedia-europe" in letter and PREFIXES["stk"] + "wikimedia-foundation" in letter


@pytest.mark.parametrize(
    ("document", "criticised", "not_criticised"),
    [
        (
            "joint-letter-eu-vote-no",
            {"art_24", "art_28__para_4", "art_47", "art_41", "art_18", "art_40__para_21", "art_36__para_1__point_b"},
            {"art_6__para_2"},
        ),
        (
            "article19-analysis-2024-10",
            {
                "art_40__para_21__point_b",
                "art_42__para_3",
                "art_29__para_3",
                "art_6__para_2",
                "preamble__para_3",
                "art_24__para_1",
                "art_47__para_1__point_c",
                "art_28__para_4",
            },
            {"art_41", "art_18"},
        ),
        ("eff-briefing-negotiations", {"art_24"}, {"art_47"}),
    ],
)
def test_provisions_criticised_per_document(store, document, criticised, not_criticised):
    found = {row["provision"].removeprefix(UNCC) for row in _select(store, CRITICISED, doc=DOC + document)}
    assert criticised <= found, criticised - found
    assert not (not_criticised & found)


def test_derived_positions(store):
    rows = _select(
        store, "SELECT ?who ?p WHERE { ?who tkg:criticises ?p }", who=PREFIXES["stk"] + "electronic-frontier-foundation"
    )
    provisions = {row["p"].removeprefix(UNCC) for row in rows}
    assert {"art_24", "art_28__para_4", "art_47"} <= provisions  # from the joint letter EFF signed
    stances = _select(
        store, "SELECT ?who ?s WHERE { ?who tkg:stanceOnConvention ?s }", who=PREFIXES["stk"] + "article-19"
    )
    assert PREFIXES["stance"] + "do-not-sign-or-ratify" in {row["s"] for row in stances}
    # OHCHR signed nothing; the letter attributes its opposition to it.
    ohchr = _select(
        store,
        "SELECT ?who ?p WHERE { ?who tkg:criticises ?p }",
        who=PREFIXES["stk"] + "office-of-the-un-high-commissioner-for-human-rights",
    )
    assert "https://w3id.org/treatykg/uncc" in {row["p"] for row in ohchr}


def test_claims_have_derived_cito_relation(store):
    rows = _select(store, "SELECT ?p WHERE { claim:a19-art-42-3-preservation-without-user-notice cito:critiques ?p }")
    assert [row["p"] for row in rows] == [UNCC + "art_42__para_3"]
    count = _select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c cito:critiques ?p }")
    assert int(count[0]["n"]) > 100


def test_every_curated_link_states_its_basis(store):
    """Issue 15: each claim-to-provision link of the curated graph is either cited (the source names
    the provision) or inferred (we linked it), never both, never neither; the passages the issue
    lists as unnumbered are inferred, with a confidence and a reason."""
    unstated = _select(
        store,
        """SELECT ?claim ?p WHERE { ?claim tkg:about ?p .
             FILTER NOT EXISTS { ?claim tkg:aboutCited ?p } FILTER NOT EXISTS { ?claim tkg:aboutInferred ?p } }""",
    )
    assert unstated == []
    both = _select(store, "SELECT ?claim ?p WHERE { ?claim tkg:aboutCited ?p ; tkg:aboutInferred ?p }")
    assert both == []
    rows = _select(
        store,
        """SELECT ?claim ?p ?confidence ?reason WHERE { ?claim tkg:aboutInferred ?p ;
             tkg:inferredLink [ tkg:linkTarget ?p ; tkg:confidence ?confidence ; tkg:reason ?reason ] }""",
    )
    inferred = {(r["claim"].rsplit("/", 1)[-1], r["p"][len(UNCC) :]) for r in rows}
    assert all(r["reason"] and 0 < float(r["confidence"]) < 1 for r in rows)
    # The joint statement (seed 001) names no article: its links to 4(1), 24 and 47 are ours.
    assert ("js-open-ended-reference-to-other-conventions", "art_4__para_1") in inferred
    assert ("js-weak-procedural-chapter-safeguards", "art_24") in inferred
    assert ("js-info-sharing-beyond-specific-investigations", "art_47") in inferred
    # The news digest (seed 004) never mentions Article 24.
    assert ("nd-hr-orgs-safeguard-gaps", "art_24") in inferred
    # The EFF briefing (seed 002) discusses a draft without numbers for these passages.
    for claim, part in [
        ("effb-compelled-technical-assistance", "art_28__para_4"),
        ("effb-secret-surveillance-weak-safeguards", "art_29"),
        ("effb-secret-surveillance-weak-safeguards", "art_30"),
        ("effb-providers-compelled-to-cooperate-secretly", "art_29__para_3"),
        ("effb-no-mandatory-intent-and-harm-requirements", "art_7__para_2"),
        ("effb-no-mandatory-intent-and-harm-requirements", "art_9__para_2"),
    ]:
        assert (claim, part) in inferred, claim
    # Where a source names the article, the link is cited: the joint letter on Article 24, the
    # briefing naming Article 24 of a draft.
    cited = {
        (r["claim"].rsplit("/", 1)[-1], r["p"][len(UNCC) :])
        for r in _select(store, "SELECT ?claim ?p WHERE { ?claim tkg:aboutCited ?p }")
    }
    assert ("jl-art-24-missing-principles", "art_24") in cited
    assert ("effb-art-24-lacks-legality-necessity-non-discrimination", "art_24") in cited
