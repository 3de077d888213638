"""Issue 15, data: the links the sources state between provisions and instruments, the sources'
own pin-cites, and notes that name documents. Every expectation cites the source document's words
(``shared/seeds/*.txt``, named here by the document's title)."""

from __future__ import annotations

import re

import pytest

from treatykg.engine.catalogue import CatalogueError

from .conftest import REPO, SOURCE_DOCUMENTS
from .helpers import write

UNCC = "https://w3id.org/treatykg/uncc/"
CLAIM = "https://w3id.org/treatykg/claim/"
DOC = "https://w3id.org/treatykg/doc/"
GENDER = CLAIM + "jl-gender-only-preamble-art-34-art-53h"
SOURCE_DOCUMENT_IRIS = {DOC + name for name in SOURCE_DOCUMENTS}


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


HEADER = (
    "record,id,label,kind,about,target,concern,missing_principle,description,quote,document,"
    "attributed_to,demand_kind,proposed_change,compares_with,confidence\n"
)


@pytest.mark.parametrize("about, verdict", [("53(h)", 1), ("53(3)(h)", 0)])
def test_a_contribution_on_the_retired_53h_is_told_its_successor(tmp_path, contrib, capsys, about, verdict):
    # A contributor who writes the letter's "53(h)" is refused with the successor named; with
    # "53(3)(h)" the same claim conforms.
    from treatykg.cli import main

    path = write(
        tmp_path,
        "claim.csv",
        HEADER + f"claim,test-gender-53h,Gender in the preventive measures,observation,{about},,gender,,"
        "The letter notes a gender perspective in the preventive measures.,"
        "addressed in Article 53(h) on preventive measures,joint-letter-eu-vote-no,,,,,\n",
    )
    assert main(["check", str(path)]) == verdict
    out = capsys.readouterr().out
    retired = "a retired provision IRI: link it to https://w3id.org/treatykg/uncc/art_53__para_3__point_h"
    assert (retired in out) == (verdict == 1)


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


# --- notes name documents, not internal files (item 8) ------------------------------------------

# Internal wording a reader cannot follow: the source texts' working names ("seed 003", "the
# seeds"), their file names, our abbreviations of the documents (JL, JS, EFF-B, A19, ND) and our
# research notes ("facts file", shared/...). Case matters for the abbreviations only ("js-" slugs
# and "nd-" IRIs are not literals, and "Jl" is no word).
INTERNAL = re.compile(
    r"(?i:\bseeds?\b|\bfacts? (?:file|note)s?\b|\bshared/|\b00[0-4]_[0-9a-f]{16}\b|\bresearch notes\b)"
    r"|\b(?:JL|JS|ND|A19|EFF-?B)\b"
)
# Literals that are the sources' own words (quotes) or the internal file name, kept on purpose.
NOT_PROSE = {"http://www.w3.org/ns/oa#exact", "https://w3id.org/treatykg/ontology#sourceFile"}


@pytest.mark.parametrize(
    "text",
    [
        "the hyperlink target is not in the seed",
        "as seed 003 says",
        "(facts file §6)",
        "JL and JS both name it",
        "as EFF-B puts it",
        "A19 quotes the chapeau",
        "file 004_ac2d8ae19c8ead89 says",
    ],
)
def test_internal_wording_is_caught(text):
    assert INTERNAL.search(text)


def test_no_note_speaks_of_seeds_or_abbreviations():
    # Every prose literal of graph/ (rdfs:comment, skos:note, dct:description, date and evidence
    # notes, reasons, labels, titles): a page shows them as they are.
    from rdflib import Graph, Literal

    found = []
    for path in sorted((REPO / "graph").rglob("*.ttl")):
        graph = Graph().parse(path)
        for s, p, o in graph:
            if isinstance(o, Literal) and str(p) not in NOT_PROSE and (match := INTERNAL.search(str(o))):
                found.append(f"{path.relative_to(REPO)}: {s} {p}: {match.group(0)!r}")
    assert found == []
    # The notes the issue named now name the document.
    notes = _notes()
    assert "joint letter's text does not name the pages" in notes[CLAIM + "jl-broad-opposition-to-draft"]
    assert "joint letter's text does not name the page" in notes[CLAIM + "jl-ohchr-opposes-draft"]
    assert "joint letter's text" in notes[CLAIM + "jl-arts-28-29-30-commercial-spyware"]
    assert "joint statement's text" in notes[CLAIM + "js-prior-judicial-authorisation-for-data-access-and-sharing"]


def _notes() -> dict[str, str]:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    graph = Graph()
    for path in (REPO / "graph" / "debate" / "claims").glob("*.ttl"):
        graph.parse(path)
    return {str(s): " ".join(str(o) for o in graph.objects(s, SKOS.note)) for s in set(graph.subjects(SKOS.note, None))}


def test_news_digest_title_is_marked_as_ours(kg):
    # The news digest has no title of its own: ours is in square brackets and a note says so.
    rows = kg.sparql(
        """PREFIX dct: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?title ?note WHERE { <https://w3id.org/treatykg/doc/news-digest-reactions> dct:title ?title ;
          skos:note ?note FILTER (CONTAINS(?note, "no title of its own")) }"""
    ).values()
    assert rows == [
        {
            "title": "[News digest: reactions to the draft UN Cybercrime Convention and its approval]",
            "note": rows[0]["note"],
        }
    ]
    assert "written for this graph" in rows[0]["note"] and "square brackets" in rows[0]["note"]
    # The joint documents' date notes name the document, not "the seed".
    dates = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?doc ?note WHERE { ?doc tkg:dateNote ?note }"""
    ).values()
    notes = {r["doc"]: r["note"] for r in dates}
    assert "not in the joint statement's text" in notes[DOC + "joint-statement-concluding-session"]
    assert "A/RES/79/243" in notes[DOC + "joint-letter-eu-vote-no"]


# --- the documents' public links (item 8) --------------------------------------------------------


def test_public_links_only_where_matched(kg):
    # Two documents were found on the web under their own title with their own opening; the other
    # three were not (the EFF briefing, ARTICLE 19's analysis - its landing page has another
    # title - and the news digest, a compilation), so they record no link.
    # Only the five source documents: the contributed ones (graph/contrib/) were read on the web and
    # carry their URL by design (decision 76).
    rows = [
        row
        for row in kg.sparql(
            """PREFIX tkg: <https://w3id.org/treatykg/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?doc ?url ?note WHERE { ?doc a tkg:StatementDocument ; dct:source ?url .
          OPTIONAL { ?doc skos:note ?note FILTER (CONTAINS(?note, "dct:source")) } }"""
        ).values()
        if row["doc"] in SOURCE_DOCUMENT_IRIS
    ]
    links = {r["doc"]: r["url"] for r in rows}
    assert links == {
        DOC
        + "joint-letter-eu-vote-no": "https://hrw.org/news/2024/10/21/eu-member-states-should-vote-no-un-cybercrime-treaty",
        DOC + "joint-statement-concluding-session": "https://policycommons.net/artifacts/11312064/"
        "joint-statement-on-the-proposed-cybercrime-treaty-ahead-of-the-concluding-session-january-23-2024/12197560/",
    }
    for row in rows:  # each says when it was read and how it was matched
        assert "read on 2026-12-04" in row["note"] and "matched it by title and opening" in row["note"]


# --- typed links the sources state (item 3) -----------------------------------------------------

STATED_LINKS = """PREFIX tkg: <https://w3id.org/treatykg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?claim ?about ?other ?document WHERE {
  ?claim tkg:comparesWith ?other ; tkg:aboutCited ?about ; prov:wasDerivedFrom ?document }"""

JOINT_LETTER = DOC + "joint-letter-eu-vote-no"
ARTICLE19 = DOC + "article19-analysis-2024-10"
JOINT_STATEMENT = DOC + "joint-statement-concluding-session"
DIGEST = DOC + "news-digest-reactions"
PROTOCOL = "https://w3id.org/treatykg/uncc-supplementary-protocol"


@pytest.mark.parametrize(
    "claim, about, other, document",
    [
        # Joint letter: "Whereas Article 18 ... lacks the requirement of intentional participation
        # ..., Article 19 requires intent".
        ("jl-art-18-no-intent-requirement", "art_18", UNCC + "art_19", JOINT_LETTER),
        # ARTICLE 19: the "recognition" in Article 53 is meaningless given the barriers the provisions
        # just listed (Articles 7, 8, 9) pose.
        ("a19-art-53-recognition-meaningless", "art_53", UNCC + "art_7", ARTICLE19),
        ("a19-art-53-recognition-meaningless", "art_53", UNCC + "art_9", ARTICLE19),
        # Joint letter: the "without right" criminal provisions "are subject to broad jurisdictional
        # parameters" (Article 22(1)(a)).
        ("jl-art-22-1-a-jurisdiction-over-nationals", "art_22__para_1__point_a", UNCC + "chp_II", JOINT_LETTER),
        # ARTICLE 19: Article 22 asks for jurisdiction "over an offence in the Draft Convention".
        ("a19-art-22-encourages-jurisdiction-sovereign-controls", "art_22", UNCC + "chp_II", ARTICLE19),
        # ARTICLE 19: the CII offence "was removed as a crime in its own right" and came back via Article 21.
        (
            "a19-art-21-cii-reintroduced-as-aggravation",
            "art_21",
            "https://w3id.org/treatykg/uncc-draft-cii-offence",
            ARTICLE19,
        ),
        # ARTICLE 19: the preamble's list legitimises criminalising "through subsequent Protocols".
        ("a19-preamble-3-back-door-for-criminalisation", "preamble__para_3", PROTOCOL, ARTICLE19),
        # The news digest: better options exist, "such as ... the UN Convention Against Organized
        # Transnational Crime".
        ("nd-ashton-hart-better-cooperation-options-exist", None, "https://w3id.org/treatykg/untoc", DIGEST),
        # Found on re-reading the five documents: Article 24 applies "only to powers covered by
        # Chapter IV" ... when "responding to a request under Chapter V" (joint letter) and is the
        # safeguard article "for the Chapter on Procedural Measures" (ARTICLE 19).
        ("jl-art-24-limited-to-chapter-iv", "art_24", UNCC + "chp_IV", JOINT_LETTER),
        ("jl-art-24-limited-to-chapter-iv", "art_24", UNCC + "chp_V", JOINT_LETTER),
        ("a19-art-24-defers-to-domestic-law", "art_24", UNCC + "chp_IV", ARTICLE19),
        # ARTICLE 19: "Article 6.2 rectifies this somewhat" (the limit of Article 6(1)).
        ("a19-art-6-2-names-some-core-rights", "art_6__para_2", UNCC + "art_6__para_1", ARTICLE19),
        # ARTICLE 19: after Article 29, "Article 30 ... enables even more intrusive surveillance".
        ("a19-art-30-content-interception-compels-providers", "art_30__point_b", UNCC + "art_29", ARTICLE19),
        # Joint statement: limit procedural measures and cooperation "to the cyber-dependent crimes
        # established in the criminalization chapter".
        ("js-limit-procedural-and-cooperation-scope", "chp_IV", UNCC + "chp_II", JOINT_STATEMENT),
    ],
)
def test_stated_link_with_its_source(kg, claim, about, other, document):
    rows = kg.sparql(STATED_LINKS).values()
    found = {(r["claim"], r["about"], r["other"], r["document"]) for r in rows}
    about_iri = UNCC + about if about else "https://w3id.org/treatykg/uncc"
    assert (CLAIM + claim, about_iri, other, document) in found


def test_stated_links_are_only_those_stated(kg):
    # Article 18's claim compares it with Article 19 only (not with Article 24, say), and the
    # Article 22 claims link it to the offences, not to the procedural chapter.
    rows = kg.sparql(STATED_LINKS).values()
    by_claim: dict[str, set[str]] = {}
    for r in rows:
        by_claim.setdefault(r["claim"], set()).add(r["other"])
    assert by_claim[CLAIM + "jl-art-18-no-intent-requirement"] == {UNCC + "art_19"}
    assert by_claim[CLAIM + "a19-art-22-encourages-jurisdiction-sovereign-controls"] == {UNCC + "chp_II"}
    assert by_claim[CLAIM + "a19-art-53-recognition-meaningless"] == {UNCC + a for a in ("art_7", "art_8", "art_9")}
    # Every compared target of a Convention claim is a node a query reaches (a legal resource).
    untyped = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?other WHERE { ?claim tkg:comparesWith ?other FILTER NOT EXISTS { ?other a ?type } }"""
    ).values()
    assert untyped == []


def test_article_24_scope_is_a_typed_cross_reference(kg):
    # The same links, as the Convention graph's typed references (sub-properties of tkg:refersTo).
    rows = kg.query("cross-references", provision="24")
    found = {(r["direction"], r["source"], r["relation"].rsplit("#")[-1], r["target"]) for r in rows}
    assert ("out", UNCC + "art_24", "appliesTo", UNCC + "chp_IV") in found
    assert ("out", UNCC + "art_24", "appliesIndirectlyTo", UNCC + "art_40__para_1") in found
