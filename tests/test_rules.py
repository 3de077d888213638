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
    # OHCHR signed nothing, so it has no stance from a document.
    assert (ohchr, TKG.stanceOnConvention, None) not in derived
