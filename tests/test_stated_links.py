"""Issue 15, data: the links the sources state between provisions and instruments, the sources'
own pin-cites, and notes that name documents. Every expectation cites the source document's words
(``shared/seeds/*.txt``, named here by the document's title)."""

from __future__ import annotations

import pytest

from treatykg.catalogue import CatalogueError

UNCC = "https://w3id.org/treatykg/uncc/"
CLAIM = "https://w3id.org/treatykg/claim/"
DOC = "https://w3id.org/treatykg/doc/"
GENDER = CLAIM + "jl-gender-only-preamble-art-34-art-53h"


# --- the joint letter's "53(h)" is Article 53(3)(h) (item 4) ------------------------------------


def test_53h_claims_hang_on_53_3_h(kg):
    # Joint letter: "a gender perspective is only included in Article 34 ... and addressed in
    # Article 53(h) on preventive measures". The paragraph is ours (a meeting record); the claim is
    # about 53(3)(h), cited, and about no other part of Article 53.
    rows = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?claim ?p ?part WHERE {
          ?claim ?p ?part . VALUES ?p { tkg:about tkg:aboutCited tkg:aboutInferred }
          ?part tkg:partOf* <https://w3id.org/treatykg/uncc/art_53> }"""
    ).values()
    assert {(r["claim"], r["p"].rsplit("#")[-1], r["part"]) for r in rows if r["claim"] == GENDER} == {
        (GENDER, "about", UNCC + "art_53__para_3__point_h"),
        (GENDER, "aboutCited", UNCC + "art_53__para_3__point_h"),
    }
    # Nothing hangs on the retired node any more, and it names its successor.
    retired = kg.sparql(
        """PREFIX schema: <https://schema.org/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?s ?p ?next ?deprecated WHERE {
          { ?s ?p <https://w3id.org/treatykg/uncc/art_53__point_h> }
          UNION { <https://w3id.org/treatykg/uncc/art_53__point_h> schema:supersededBy ?next ;
                  owl:deprecated ?deprecated } }"""
    ).values()
    assert retired == [{"next": UNCC + "art_53__para_3__point_h", "deprecated": "true"}]


@pytest.mark.parametrize("given", ["53(h)", "Article 53(h)", "art_53__point_h"])
def test_the_letters_53h_resolves_to_53_3_h(kg, given):
    # What the letter wrote finds the point: the alias resolves, and the claim is listed on it.
    rows = kg.query("criticisms", provision=given)
    assert {r["provision"] for r in rows} == {UNCC + "art_53__para_3__point_h"}
    assert {(r["claim"], r["part"], r["basis"]) for r in rows} == {(GENDER, UNCC + "art_53__para_3__point_h", "cited")}


def test_53_3_h_keeps_the_doubt(kg):
    rows = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?note ?claimNote WHERE {
          <https://w3id.org/treatykg/uncc/art_53__para_3__point_h> tkg:evidenceNote ?note .
          <https://w3id.org/treatykg/claim/jl-gender-only-preamble-art-34-art-53h> skos:note ?claimNote }"""
    ).values()
    assert len(rows) == 1
    assert "our inference" in rows[0]["note"] and "paragraph 3" in rows[0]["note"]
    assert "53(h)" in rows[0]["claimNote"] and "our inference" in rows[0]["claimNote"]


def test_an_unknown_point_still_fails(kg):
    # The alias lookup finds only labels the graph holds: 53(z) is no provision.
    with pytest.raises(CatalogueError, match="no such provision"):
        kg.query("criticisms", provision="53(z)")


def test_47_1_c_among_article_47s_parts(kg):
    # ARTICLE 19's "47(c)" is point (c) of paragraph 1: Article 47's parts at every depth hold it.
    rows = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?part WHERE { ?part tkg:partOf+ <https://w3id.org/treatykg/uncc/art_47> }"""
    ).values()
    assert {r["part"] for r in rows} >= {UNCC + "art_47__para_1", UNCC + "art_47__para_1__point_c"}
    rows = kg.query("criticisms", provision="47")
    assert UNCC + "art_47__para_1__point_c" in {r["part"] for r in rows}
