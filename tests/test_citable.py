"""Issue 15: answers a researcher can cite. What one document says (document-claims), and the
stated targets and vocabularies the sources support. Every expectation cites its seed passage
(``shared/seeds/*.txt``)."""

from __future__ import annotations

import pytest

from treatykg.engine.catalogue import CatalogueError

UNCC = "https://w3id.org/treatykg/uncc/"
TREATY = "https://w3id.org/treatykg/uncc"
DOC = "https://w3id.org/treatykg/doc/"
CLAIM = "https://w3id.org/treatykg/claim/"
ORG = "https://w3id.org/treatykg/org/"
CONCERN = "https://w3id.org/treatykg/vocab/concern/"
PRINCIPLE = "https://w3id.org/treatykg/vocab/principle/"
DIGEST = DOC + "news-digest-reactions"
JOINT_STATEMENT = DOC + "joint-statement-concluding-session"


# --- document-claims (item 7) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "news-digest-reactions",  # the slug
        DIGEST,  # the IRI
        "004_ac2d8ae19c8ead89.txt",  # the source file name
        "News digest: reactions to the draft UN Cybercrime Convention and its approval",  # the label
    ],
)
def test_document_claims_accepts_slug_iri_file_and_label(kg, given):
    rows = kg.query("document-claims", document=given)
    assert {r["document"] for r in rows} == {DIGEST}
    # The digest (seed 004) holds 26 claims; every one is listed, even those with no cited link.
    assert len({r["claim"] for r in rows}) == 26


def test_document_claims_by_title(kg):
    # dct:title as printed in seed 001.
    rows = kg.query(
        "document-claims", document="Joint Statement on the Proposed Cybercrime Treaty Ahead of the Concluding Session"
    )
    assert {r["document"] for r in rows} == {JOINT_STATEMENT}


def test_document_claims_shows_cited_and_inferred_links(kg):
    # Seed 004 never names Article 24: its list of safeguard gaps ("lack of data protection
    # principles, inadequate judicial or independent review, no right to an effective remedy, no
    # limits on surveillance") is linked to Article 24 by us. By default the claim is listed with its
    # target in words; asked for any basis, the link shows as inferred with confidence and reason.
    gaps = CLAIM + "nd-hr-orgs-safeguard-gaps"
    rows = [r for r in kg.query("document-claims", document="news-digest-reactions") if r["claim"] == gaps]
    assert len(rows) == 1 and not rows[0]["provision"].startswith("http") and not rows[0].get("basis")
    assert set(rows[0]["missing"].split()) == {
        PRINCIPLE + p for p in ("data-protection", "independent-oversight", "effective-remedy", "limits-scope-duration")
    }
    rows = [r for r in kg.query("document-claims", document="news-digest-reactions", basis="any") if r["claim"] == gaps]
    assert [(r["provision"], r["basis"], r["confidence"]) for r in rows] == [(UNCC + "art_24", "inferred", "0.6")]
    assert "names no provision" in rows[0]["reason"]
    # A cited link carries no confidence or reason. Seed 000: "Article 47 authorises direct police
    # cooperation between states parties without any MLA request".
    rows = kg.query("document-claims", document="joint-letter-eu-vote-no")
    police = [r for r in rows if r["claim"] == CLAIM + "jl-art-47-police-cooperation-without-request"]
    assert [(r["provision"], r["basis"]) for r in police] == [(UNCC + "art_47", "cited")]
    assert not police[0].get("confidence") and not police[0].get("reason")
    assert police[0]["quote"]


def test_document_claims_demands_and_attribution(kg):
    # Seed 004: OHCHR "is calling for more safeguards and a narrow scope" - a demand attributed to it.
    rows = kg.query("document-claims", document="news-digest-reactions")
    ohchr = [r for r in rows if r["claim"] == CLAIM + "nd-ohchr-more-safeguards-narrow-scope"]
    assert len(ohchr) == 1
    demands = set(ohchr[0]["demands"].split())
    assert demands == {
        "https://w3id.org/treatykg/vocab/demand-kind/add-safeguard",
        "https://w3id.org/treatykg/vocab/demand-kind/narrow-scope",
    }
    assert ohchr[0]["attributedTo"] == ORG + "office-of-the-un-high-commissioner-for-human-rights"
    assert CONCERN + "weak-safeguards" in ohchr[0]["concerns"].split()


def test_document_claims_unknown_document(kg):
    with pytest.raises(CatalogueError, match="unknown document"):
        kg.query("document-claims", document="005_nothing.txt")


# --- vocabularies that keep what the sources say (item 5) ---------------------------------------


def test_news_digest_claims_under_its_own_stance(kg):
    # Seed 004 reports what others said and makes no call of its own: its stance is "reports
    # others' positions without taking one", and all its claims appear under it.
    rows = kg.query("stances")
    digest = [r for r in rows if r.get("document") == DIGEST]
    assert digest and {r["stance"] for r in digest} == {
        "https://w3id.org/treatykg/vocab/stance/reports-without-position"
    }
    claims = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT (COUNT(DISTINCT ?claim) AS ?n) WHERE {
          ?claim a tkg:Claim ; prov:wasDerivedFrom ?doc . ?doc tkg:overallStance
            <https://w3id.org/treatykg/vocab/stance/reports-without-position> .
          FILTER (?doc = <https://w3id.org/treatykg/doc/news-digest-reactions>) }"""
    ).values()
    assert claims == [{"n": "26"}]


def test_principles_the_sources_name(kg):
    # Seed 002: "It also lacks safeguards for legally privileged information, fails to prevent
    # compelled self-incrimination, and omits protections for criminal defense attorneys".
    rows = kg.query("document-claims", document="eff-briefing-negotiations", basis="any")
    missing = {p for r in rows for p in (r.get("missing") or "").split()}
    for principle in (
        "legal-professional-privilege",
        "privilege-against-self-incrimination",
        "access-to-defence-counsel",
        "serious-harm-threshold",  # "lack mandatory requirements for criminal intent and harm"
    ):
        assert PRINCIPLE + principle in missing, principle
    # Seed 003: Article 9(2) "'may' require serious harm"; Article 28(4) has no "safeguard
    # protecting the right to privacy" - privacy, not data protection.
    rows = kg.query("document-claims", document="article19-analysis-2024-10")
    by_claim = {r["claim"]: set((r.get("missing") or "").split()) for r in rows}
    assert PRINCIPLE + "serious-harm-threshold" in by_claim[CLAIM + "a19-art-9-2-serious-harm-optional"]
    assert by_claim[CLAIM + "a19-art-28-4-no-privacy-safeguard"] == {PRINCIPLE + "privacy"}
    # Seed 003 on 40(3): "the right to privacy or data protection" - both.
    assert by_claim[CLAIM + "a19-art-40-3-broad-purposes-no-safeguards"] == {
        PRINCIPLE + "privacy",
        PRINCIPLE + "data-protection",
    }
    # Seed 003 §3: "Article 9 criminalises interference with electronic data. Again, ..." opens a
    # criticism, not an observation.
    kinds = {r["claim"]: r["kind"] for r in rows}
    assert kinds[CLAIM + "a19-art-9-criminalises-data-interference"].endswith("/criticism")


def test_tech_companies_claims_keep_the_group(kg):
    # Seed 004: "Tech companies, including Microsoft, ..."; "tech companies may call on member
    # states not to sign or ratify" - the group, not narrowed to Microsoft.
    rows = kg.query("document-claims", document="news-digest-reactions")
    by_claim = {r["claim"]: r.get("attributedTo") for r in rows}
    assert by_claim[CLAIM + "nd-tech-companies-may-urge-not-sign-or-ratify"] == ORG + "tech-companies"
    assert by_claim[CLAIM + "nd-tech-companies-draft-fails-human-rights-standards"] == ORG + "tech-companies"
    assert by_claim[CLAIM + "nd-microsoft-no-outcome-better-than-bad-outcome"] == ORG + "microsoft"


# --- every stated target has a node (item 2) ----------------------------------------------------

PROTOCOL = "https://w3id.org/treatykg/uncc-supplementary-protocol"
RESOLUTION = "https://w3id.org/treatykg/ga-draft-resolution-uncc"


def test_protocol_and_resolution_are_nodes_a_query_reaches(kg):
    # Seed 003: "a draft General Assembly Resolution linked with the Draft Convention ... mandates
    # the Ad Hoc Committee to commence negotiations on a Supplementary Protocol".
    rows = kg.query("document-claims", document="article19-analysis-2024-10")
    mandate = {
        r["provision"]: r["basis"]
        for r in rows
        if r["claim"] == CLAIM + "a19-ga-resolution-mandates-supplementary-protocol"
    }
    assert mandate == {RESOLUTION: "cited", PROTOCOL: "cited"}
    # Seeds 000 and 002 name the protocol too; the EFF briefing's claim is about it as well as the
    # Convention ("talks about including more crimes through a Protocol").
    letter = kg.query("document-claims", document="joint-letter-eu-vote-no")
    assert PROTOCOL in {
        r["provision"] for r in letter if r["claim"] == CLAIM + "jl-supplementary-protocol-expands-offences"
    }
    eff = kg.query("stakeholder-claims", stakeholder="electronic-frontier-foundation")
    assert (PROTOCOL, "issued", DOC + "eff-briefing-negotiations") in {
        (r["provision"], r["via"], r["document"]) for r in eff
    }


def test_untoc_uncac_and_charter_article_102(kg):
    rows = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?treaty ?ref WHERE { ?treaty a tkg:Treaty ; tkg:treatyCollectionReference ?ref }"""
    ).values()
    refs = {r["treaty"]: r["ref"] for r in rows}
    assert refs["https://w3id.org/treatykg/untoc"] == "XVIII-12"
    assert refs["https://w3id.org/treatykg/uncac"] == "XVIII-14"
    # Seed 004: better options exist, "such as the Council of Europe's Budapest Convention on
    # Cybercrime or the UN Convention Against Organized Transnational Crime".
    # Seed 000: a treaty "registered in the UN through Article 102 of the UN charter".
    compared = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?claim ?other WHERE { ?claim tkg:comparesWith ?other }"""
    ).values()
    pairs = {(r["claim"], r["other"]) for r in compared}
    assert (CLAIM + "nd-ashton-hart-better-cooperation-options-exist", "https://w3id.org/treatykg/untoc") in pairs
    assert (CLAIM + "jl-art-4-qualifying-treaty-unclear", "https://w3id.org/treatykg/un-charter/art_102") in pairs


# --- finer parts where the sources are finer (item 4) -------------------------------------------


def test_finer_parts(kg):
    # Seed 003: "Article 30(b) enables domestic provisions that can compel any service provider";
    # the claim hangs on 30(b), and criticisms of Article 30 still find it (a part of Article 30).
    rows = kg.query("criticisms", provision="30")
    parts = {r["part"] for r in rows if r["claim"] == CLAIM + "a19-art-30-content-interception-compels-providers"}
    assert parts == {UNCC + "art_30__point_b"}
    labels = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?part ?parent WHERE { VALUES ?part { <https://w3id.org/treatykg/uncc/art_35__para_1__point_c>
          <https://w3id.org/treatykg/uncc/art_53__para_3__point_h> } ?part tkg:partOf ?parent }"""
    ).values()
    parents = {r["part"]: r["parent"] for r in labels}
    # An EFF commentary on the July 2024 draft pins the serious-crime limb at 35(1)(c).
    assert parents[UNCC + "art_35__para_1__point_c"] == UNCC + "art_35__para_1"
    # A meeting record speaks of paragraph 3 of Article 53 with lettered points: 53(3)(h), with
    # the joint letter's own "53(h)" kept as its alias.
    assert parents[UNCC + "art_53__para_3__point_h"] == UNCC + "art_53__para_3"
    alias = kg.sparql(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?alt WHERE { <https://w3id.org/treatykg/uncc/art_53__para_3__point_h> skos:altLabel ?alt }"""
    ).values()
    assert alias == [{"alt": "Article 53(h)"}]


# --- typed links the sources state (item 3, in part) --------------------------------------------


def test_typed_links_the_sources_state(kg):
    compared = kg.sparql(
        """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?claim ?other WHERE { ?claim tkg:comparesWith ?other }"""
    ).values()
    pairs = {(r["claim"], r["other"]) for r in compared}
    # Seed 000: "Whereas Article 18 ... lacks the requirement of intentional participation ...,
    # Article 19 requires intent".
    assert (CLAIM + "jl-art-18-no-intent-requirement", UNCC + "art_19") in pairs
    # Seed 003: Article 53's "recognition" is meaningless given the barriers Articles 7-9 pose.
    for article in ("art_7", "art_8", "art_9"):
        assert (CLAIM + "a19-art-53-recognition-meaningless", UNCC + article) in pairs
    # Seed 003: the preamble's list legitimises criminalisation "through subsequent Protocols".
    assert (CLAIM + "a19-preamble-3-back-door-for-criminalisation", PROTOCOL) in pairs
    # Seed 003: the CII offence "was removed as a crime in its own right" and came back through Article 21.
    assert (
        CLAIM + "a19-art-21-cii-reintroduced-as-aggravation",
        "https://w3id.org/treatykg/uncc-draft-cii-offence",
    ) in pairs
    # Seed 003: Article 22 asks States to "establish jurisdiction" over the Convention's offences.
    rows = kg.query("cross-references", provision="22")
    assert ("out", UNCC + "art_22", "https://w3id.org/treatykg/ontology#appliesTo", UNCC + "chp_II") in {
        (r["direction"], r["source"], r["relation"], r["target"]) for r in rows
    }
