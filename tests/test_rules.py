"""Derived facts: the rules give the same triples on pyoxigraph and on rdflib's engine, and derive
what a careful reading says (positions from signatures, attributions kept apart)."""

from __future__ import annotations

from rdflib import URIRef

from treatykg.iri import PREFIXES, UNCC_WORK
from treatykg.rules import derive, derive_with_rdflib
from treatykg.terms import TKG


def test_engines_agree(union_graph):
    fast = derive(union_graph)
    slow = derive_with_rdflib(union_graph)
    assert len(fast) > 1000
    assert set(fast) == set(slow)


def test_attributed_claims_are_not_the_signatories_position(union_graph):
    derived = derive(union_graph)
    ohchr = URIRef(PREFIXES["stk"] + "office-of-the-un-high-commissioner-for-human-rights")
    assert (ohchr, TKG.criticises, URIRef(UNCC_WORK)) in derived
    # OHCHR's stance comes only from the document it issued itself (its information note, added in
    # graph/contrib/), never from the claims other documents attribute to it.
    stances = {str(s).rsplit("/", 1)[-1] for s in derived.objects(ohchr, TKG.stanceOnConvention)}
    assert stances == {"critical-without-call"}


def test_a_link_without_basis_is_derived_as_cited_and_an_inferred_one_is_not():
    """queries/rules/about-cited.rq: canned queries pick cited links by tkg:aboutCited, so a claim
    that states no basis (tkg:about only) must get it, and an inferred link must not."""
    from rdflib import RDF, Graph, URIRef

    from treatykg.rules import derive
    from treatykg.terms import TKG

    claim, stated, plain, inferred = (URIRef(f"https://example.org/{n}") for n in ("c", "s", "p", "i"))
    graph = Graph()
    graph.add((claim, RDF.type, TKG.Claim))
    for provision in (stated, plain, inferred):
        graph.add((claim, TKG.about, provision))
    graph.add((claim, TKG.aboutCited, stated))
    graph.add((claim, TKG.aboutInferred, inferred))
    derived = set(derive(graph).triples((claim, TKG.aboutCited, None)))
    assert derived == {(claim, TKG.aboutCited, plain)}


def test_every_curated_link_states_its_basis(union_graph):
    """The rule adds nothing to the shipped graph (curated claims state every basis), so the
    pinned rows of the canned queries do not depend on it."""
    from treatykg.rules import rule_files

    text = next(p for p in rule_files() if p.name == "about-cited.rq").read_text(encoding="utf-8")
    assert len(union_graph.query(text)) == 0
