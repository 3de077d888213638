"""Honest data: every quote is found verbatim in its source text, and signatory counts match the
source lists. Runs when ../shared/seeds/ is present (skips otherwise)."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from treatykg.model.iri import PREFIXES
from treatykg.model.terms import TKG

from .conftest import SEEDS

OA_EXACT = URIRef(PREFIXES["oa"] + "exact")
PROV_DERIVED = URIRef(PREFIXES["prov"] + "wasDerivedFrom")

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


def _normalise(text: str) -> str:
    return " ".join(text.split())


@needs_seeds
def test_every_quote_is_verbatim_in_its_source(union_graph):
    texts: dict[str, str] = {}
    problems = []
    checked = 0
    for claim in union_graph.subjects(RDF.type, TKG.Claim):
        for document in union_graph.objects(claim, PROV_DERIVED):
            source_file = union_graph.value(document, TKG.sourceFile)
            if source_file is None:
                continue
            if str(source_file) not in texts:
                texts[str(source_file)] = _normalise((SEEDS / str(source_file)).read_text(encoding="utf-8"))
            for selector in union_graph.objects(claim, TKG.quote):
                exact = str(union_graph.value(selector, OA_EXACT))
                checked += 1
                if len(exact.split()) > 25:
                    problems.append(f"{claim}: quote longer than 25 words")
                if _normalise(exact) not in texts[str(source_file)]:
                    problems.append(f"{claim}: quote not in {source_file}: {exact[:60]!r}")
    assert checked > 200
    assert not problems, "\n".join(problems)


@needs_seeds
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("joint-letter-eu-vote-no", 29),
        ("joint-statement-concluding-session", 110),
    ],
)
def test_signatory_counts_match_the_source_lists(union_graph, document, expected):
    doc = URIRef(PREFIXES["doc"] + document)
    signatories = set(union_graph.objects(doc, TKG.signedBy))
    assert len(signatories) == expected
    text = _normalise((SEEDS / str(union_graph.value(doc, TKG.sourceFile))).read_text(encoding="utf-8"))
    for stakeholder in signatories:
        names = [str(union_graph.value(stakeholder, RDFS.label))]
        names += [str(n) for n in union_graph.objects(stakeholder, URIRef(PREFIXES["skos"] + "altLabel"))]
        assert any(_normalise(n) in text for n in names), f"{stakeholder}: no spelling found in the source"


def test_no_two_stakeholders_share_a_normalised_name(union_graph):
    seen: dict[str, URIRef] = {}
    for kind in (TKG.Organisation, TKG.Person):
        for stakeholder in union_graph.subjects(RDF.type, kind):
            key = re.sub(r"[^a-z0-9]+", "", str(union_graph.value(stakeholder, RDFS.label)).lower())
            assert key not in seen or seen[key] == stakeholder, f"{stakeholder} and {seen[key]}"
            seen[key] = stakeholder


def test_claims_have_target_category_and_source(union_graph):
    claims = set(union_graph.subjects(RDF.type, TKG.Claim))
    assert len(claims) > 100
    for claim in claims:
        assert union_graph.value(claim, TKG.about) or union_graph.value(claim, TKG.targetDescription), claim
        assert union_graph.value(claim, TKG.concernCategory) is not None, claim
        assert union_graph.value(claim, PROV_DERIVED) is not None, claim
