"""Canned queries, batch B: risks to good-faith actors, weak safeguards, co-signatories, stances,
cross-references, Budapest and EU-law comparisons, refusal grounds, gender and the timeline.

Each expectation cites the seed passage (/work/shared/seeds/) or the graph file that makes it right.
Rows are dicts {column: str}; an unbound (optional) column may be missing, hence ``row.get``.
"""

from __future__ import annotations

from treatykg.model.iri import PREFIXES

UNCC = PREFIXES["uncc"]
WORK = UNCC.rstrip("/")  # the Convention as a whole
BUDAPEST = PREFIXES["budapest"]
BPER = PREFIXES["bper"]
CLAIM = PREFIXES["claim"]
DOC = PREFIXES["doc"]
STK = PREFIXES["stk"]
PERSON = PREFIXES["person"]
EVENT = PREFIXES["event"]
TKG = PREFIXES["tkg"]
CONCERN = PREFIXES["concern"]
PRINCIPLE = PREFIXES["principle"]
FORCE = PREFIXES["force"]
MODALITY = PREFIXES["modality"]
STANCE = PREFIXES["stance"]

JOINT_LETTER = DOC + "joint-letter-eu-vote-no"
JOINT_STATEMENT = DOC + "joint-statement-concluding-session"
EFF_BRIEFING = DOC + "eff-briefing-negotiations"
A19_ANALYSIS = DOC + "article19-analysis-2024-10"
DIGEST = DOC + "news-digest-reactions"
LED = "http://data.europa.eu/eli/dir/2016/680/oj"
LED_ART_38 = "http://data.europa.eu/eli/dir/2016/680/art_38/oj"
DSA = "http://data.europa.eu/eli/reg/2022/2065/oj"


def pairs(rows, *columns):
    """The set of tuples of the given columns (None where unbound)."""
    return {tuple(row.get(column) for column in columns) for row in rows}


# --- 1. security-research-risk ------------------------------------------------------------------


def test_security_research_risk(kg):
    rows = kg.query("security-research-risk")
    found = pairs(rows, "provision", "claim")
    # Seed 000: "Article 28(4) ... risks being interpreted by governments to compel technology
    # companies' employees ... forcing such employees to reveal ... unpatched vulnerabilities".
    assert (UNCC + "art_28__para_4", CLAIM + "jl-art-28-4-detention-and-forced-disclosure") in found
    # Seed 003 §3: "Article 9(2) stipulates that a State 'may' require serious harm ... Security
    # researchers often simulate cyber-attacks".
    assert (UNCC + "art_9__para_2", CLAIM + "a19-art-9-2-serious-harm-optional") in found
    # Seed 003: the "recognition" of security researchers in Article 53 "is meaningless".
    assert (UNCC + "art_53", CLAIM + "a19-art-53-recognition-meaningless") in found
    # Seed 000: no protection for "good-faith actors – such as security researchers,
    # whistleblowers, activists, and journalists"; the letter names no provision, and the graph's
    # link to Chapter II is our inference (issue 15): by default the claim is listed with its
    # target in words, with basis=any under Chapter II, marked inferred.
    good_faith = CLAIM + "jl-no-protection-for-good-faith-actors"
    assert (UNCC + "chp_II", good_faith) not in found
    assert any(r["claim"] == good_faith and not r.get("basis") for r in rows)
    rows_any = kg.query("security-research-risk", basis="any")
    assert (UNCC + "chp_II", good_faith, "inferred") in pairs(rows_any, "provision", "claim", "basis")
    # Seed 000: "puts critical activities of security researchers, whistleblowers and others at dire risk".
    assert (WORK, CLAIM + "jl-security-researchers-at-dire-risk") in found
    # Seed 001 demand: "ensure that security researchers, whistleblowers, journalists, and human
    # rights defenders are not prosecuted" (missing public-interest exception).
    assert (WORK, CLAIM + "js-protect-researchers-journalists-public-interest") in found
    # Seed 002: the treaty will affect "journalists, and those speaking truth to power" (concern:
    # criminalisation of expression, kept because the claim speaks of journalists).
    assert (WORK, CLAIM + "effb-rewrites-surveillance-laws-worldwide") in found
    # A claim with no tkg:about shows its target description instead (seed 001 on national laws
    # "misused to unjustly target journalists and security researchers").
    misused = [r for r in rows if r["claim"] == CLAIM + "js-national-cybercrime-laws-misused"]
    assert misused and all(not r["provision"].startswith("http") for r in misused)
    # Criminalisation of expression that does not concern journalists or whistleblowers is out:
    # platform over-moderation (Article 18, seed 000) and "terrorism" in the preamble (seed 003).
    claims = {r["claim"] for r in rows}
    assert CLAIM + "jl-art-18-intermediary-liability-over-moderation" not in claims
    assert CLAIM + "a19-preamble-3-terrorism-undefined" not in claims
    # Every row carries its document; a row from the five source documents an exact quote (the
    # documents added through the contributor path are not quoted: their claims have locators).
    assert all(r.get("document", "").startswith(DOC) for r in rows)
    seeds = {JOINT_LETTER, JOINT_STATEMENT, EFF_BRIEFING, A19_ANALYSIS, DIGEST}
    assert all(r.get("quote") for r in rows if r["document"] in seeds)
    assert any(r["document"] not in seeds for r in rows)


# --- 2. discretionary-safeguards ----------------------------------------------------------------


def test_discretionary_safeguards(kg):
    rows = kg.query("discretionary-safeguards")
    found = pairs(rows, "provision", "force", "modality")
    # graph/convention/powers-safeguards.ttl + provisions.ttl: Article 24(2) is discretionary
    # ("where appropriate") and deferred to domestic law (seed 003 describes the list as qualified
    # by "as appropriate" and left to domestic law).
    assert (UNCC + "art_24__para_2", FORCE + "discretionary", MODALITY + "as-appropriate") in found
    assert (UNCC + "art_24__para_2", FORCE + "deferred-to-domestic-law", MODALITY + "subject-to-domestic-law") in found
    assert (UNCC + "art_24__para_2", PRINCIPLE + "independent-oversight") in pairs(rows, "provision", "principle")
    # Article 40(22): "nothing obliges" a State to assist (discretionary), modality interpretive.
    assert (UNCC + "art_40__para_22", FORCE + "discretionary", None) in found
    # 40(21) refusal grounds and 40(8) dual criminality: "may".
    assert (UNCC + "art_40__para_21", FORCE + "discretionary", MODALITY + "may") in found
    assert (UNCC + "art_40__para_8", FORCE + "discretionary", MODALITY + "may") in found
    # Article 24 as a whole states no force; its "subject to domestic law" modality makes it deferred.
    assert (UNCC + "art_24", FORCE + "deferred-to-domestic-law", MODALITY + "subject-to-domestic-law") in found
    provisions = {r["provision"] for r in rows}
    # Article 6 is mandatory ("shall", and an interpretation rule): not optional.
    assert UNCC + "art_6__para_1" not in provisions
    assert UNCC + "art_6__para_2" not in provisions
    # Only the non-mandatory force is shown: 24(1) is mandatory AND deferred, so only deferred.
    assert {r["force"] for r in rows} == {FORCE + "discretionary", FORCE + "deferred-to-domestic-law"}
    assert (UNCC + "art_24__para_1", FORCE + "deferred-to-domestic-law", MODALITY + "subject-to-domestic-law") in found


# --- 3. co-signatories --------------------------------------------------------------------------


def test_co_signatories_default_documents(kg):
    rows = kg.query("co-signatories")
    signers = {r["stakeholder"] for r in rows}
    # Seeds 000 (29 signatories) and 001 (20 submitters + 90 supporters) share 18 names
    # (graph/debate/documents.ttl).
    assert len(rows) == 18 == len(signers)
    assert {r["doc1"] for r in rows} == {JOINT_LETTER}
    assert {r["doc2"] for r in rows} == {JOINT_STATEMENT}
    # Both lists name Access Now, the Electronic Frontier Foundation, Privacy International and
    # Douwe Korff (seed 000 lines 39-75; seed 001 submitters and supporters).
    for name in ("access-now", "electronic-frontier-foundation", "privacy-international"):
        assert STK + name in signers
    assert PERSON + "douwe-korff" in signers
    # Amnesty International signed only the letter (seed 000); ARTICLE 19 only the statement (seed 001).
    assert STK + "amnesty-international" not in signers
    assert STK + "article-19" not in signers


def test_co_signatories_is_symmetric(kg):
    forward = kg.query("co-signatories", doc1=JOINT_LETTER, doc2=JOINT_STATEMENT)
    backward = kg.query("co-signatories", doc1=JOINT_STATEMENT, doc2=JOINT_LETTER)
    assert {r["stakeholder"] for r in forward} == {r["stakeholder"] for r in backward}
    # The EFF briefing is issued, not signed: it has no co-signatories with anything.
    assert kg.query("co-signatories", doc1=EFF_BRIEFING, doc2=JOINT_LETTER) == []


# --- 4. stances ---------------------------------------------------------------------------------


def test_stances(kg):
    rows = {r["document"]: r for r in kg.query("stances")}
    # The five source documents and the 33 added through the contributor path (graph/contrib/:
    # 26 of the public debate, 7 States' records).
    assert {JOINT_LETTER, JOINT_STATEMENT, EFF_BRIEFING, A19_ANALYSIS, DIGEST} <= set(rows)
    assert len(rows) == 38
    letter = rows[JOINT_LETTER]
    # Seed 000: "urge all EU member states to vote no"; addressed to the EU; 29 signatories; no issuer.
    assert letter["stance"] == STANCE + "reject"
    assert letter["addressee"] == STK + "european-union"
    assert letter["signatories"] == "29"
    assert letter["issuers"] == "0" and letter.get("issuer") is None
    assert (letter["earliest"], letter["latest"]) == ("2024-08-09", "2024-12-24")
    statement = rows[JOINT_STATEMENT]
    # Seed 001: "revised, amended, or rejected"; 20 submitters + 90 supporters; addressed to delegations.
    assert statement["stance"] == STANCE + "amend-or-reject"
    assert statement["signatories"] == "110" and statement["issuers"] == "20"
    assert statement.get("issuer") is None  # several issuers: none is singled out
    assert statement.get("addressee") is None and "delegations" in statement["addresseeDescription"]
    # Seed 003: ARTICLE 19 "urges UN member states to not sign and ratify"; dated October 2024.
    analysis = rows[A19_ANALYSIS]
    assert analysis["stance"] == STANCE + "do-not-sign-or-ratify"
    assert analysis["issuer"] == STK + "article-19" and analysis["issuers"] == "1"
    assert (analysis["earliest"], analysis["latest"]) == ("2024-10-01", "2024-10-31")
    assert analysis["signatories"] == "0"
    # Seed 002 (EFF, issuer inferred): critical without a call. Seed 004 (the digest) reports
    # others' positions and takes none of its own (issue 15).
    assert rows[EFF_BRIEFING]["issuer"] == STK + "electronic-frontier-foundation"
    assert rows[EFF_BRIEFING]["stance"] == STANCE + "critical-without-call"
    assert rows[DIGEST]["stance"] == STANCE + "reports-without-position"
    assert rows[DIGEST]["signatories"] == "0" and rows[DIGEST].get("latest") is None


# --- 5. cross-references ------------------------------------------------------------------------


def test_cross_references_article_24(kg):
    rows = kg.query("cross-references")  # default: Article 24
    found = pairs(rows, "direction", "depth", "source", "relation", "target")
    art_24 = UNCC + "art_24"
    # graph/convention/cross-references.ttl and graph/links/budapest-correspondences.ttl.
    assert ("out", "1", art_24, TKG + "appliesTo", UNCC + "chp_IV") in found
    assert ("out", "1", art_24, TKG + "appliesIndirectlyTo", UNCC + "art_40__para_1") in found
    assert ("out", "1", art_24, TKG + "correspondsTo", BUDAPEST + "art_15") in found
    # Through 40(1): scoped by 35(1), which uses the definition of serious crime in 2(h).
    assert ("out", "2", UNCC + "art_40__para_1", TKG + "scopedBy", UNCC + "art_35__para_1") in found
    assert ("out", "3", UNCC + "art_35__para_1", TKG + "usesDefinitionFrom", UNCC + "art_2__point_h") in found
    # Claims about Article 24 are not references, and nothing in the text refers to it.
    assert not [r for r in rows if r["direction"] == "in"]
    assert all(r["relation"] != TKG + "about" for r in rows)
    assert {r["provision"] for r in rows} == {art_24}


def test_cross_references_incoming(kg):
    rows = kg.query("cross-references", provision="40(1)")
    incoming = pairs([r for r in rows if r["direction"] == "in"], "depth", "source", "relation")
    # The request-bound safeguards apply to 40(1) (cross-references.ttl; decisions.md §3).
    for para in ("8", "21", "22"):
        assert ("1", UNCC + f"art_40__para_{para}", TKG + "appliesTo") in incoming
    assert ("1", UNCC + "art_24", TKG + "appliesIndirectlyTo") in incoming
    # 40(4) (spontaneous transmission) is not reached by them.
    assert all(r["target"] != UNCC + "art_40__para_4" for r in rows)
    # Serious crime (2(h)) is reached from 40(1) directly and through 35(1) at depth 2.
    deep = kg.query("cross-references", provision="2(h)")
    assert ("in", "2", UNCC + "art_47__para_1", TKG + "scopedBy") in pairs(
        deep, "direction", "depth", "source", "relation"
    )


def test_cross_references_lists_every_reference_property_of_the_ontology(kg):
    """Each hop of cross-references lists the reference properties (a FILTER IN, because Virtuoso
    7.2 loses chains with two rdfs:subPropertyOf* paths in a group): every list must be exactly
    the ontology's sub-properties of tkg:refersTo, so a new kind of reference cannot be missed."""
    import re

    from treatykg.engine.catalogue import Catalogue

    text = Catalogue().get("cross-references").text
    lists = re.findall(r"FILTER \(\?\w+ IN \(([^)]*)\)\)", text)
    assert len(lists) == 20  # 1 + 2 + 3 + 4 hops, out and in
    ontology = {
        r["p"]
        for r in kg.sparql(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX tkg: <https://w3id.org/treatykg/ontology#> "
            "SELECT ?p WHERE { ?p rdfs:subPropertyOf* tkg:refersTo }"
        ).values()
    }
    assert TKG + "cites" in ontology and TKG + "appliesTo" in ontology
    for listed in lists:
        assert {TKG + name.strip().removeprefix("tkg:") for name in listed.split(",")} == ontology


# --- 6. budapest-comparison ---------------------------------------------------------------------


def test_budapest_comparison(kg):
    rows = kg.query("budapest-comparison")
    found = pairs(rows, "provision", "budapest", "evidence", "claim")
    # Seed 000: the explanatory report "uses to shield standard tools and protocols (paragraphs 48
    # and 58), the dissemination of cyber security tools (paragraph 77) as well as encryption and
    # anonymization tools like VPNs (paragraph 62)" — linked to Chapter II's offences.
    chp_ii = UNCC + "chp_II"
    assert (chp_ii, BPER + "para_48", "claim", CLAIM + "jl-without-right-standard-tools-bper-48-58") in found
    assert (chp_ii, BPER + "para_58", "claim", CLAIM + "jl-without-right-standard-tools-bper-48-58") in found
    assert (chp_ii, BPER + "para_62", "claim", CLAIM + "jl-without-right-encryption-vpn-bper-62") in found
    assert (chp_ii, BPER + "para_77", "claim", CLAIM + "jl-without-right-security-tools-bper-77") in found
    # Seed 000: Article 18 "lacks the clarification provided by paragraph 125" and is broader than
    # "the equivalent article" of the Budapest Convention (Article 12).
    art_18 = UNCC + "art_18"
    assert (art_18, BPER + "para_125", "claim", CLAIM + "jl-art-18-lacks-bper-125-clarification") in found
    assert (art_18, BUDAPEST + "art_12", "claim", CLAIM + "jl-art-18-broader-than-budapest-art-12") in found
    # Structural correspondences (graph/links/budapest-correspondences.ttl) carry no claim.
    assert (art_18, BUDAPEST + "art_12", "correspondence", None) in found
    assert (UNCC + "art_24", BUDAPEST + "art_15", "correspondence", None) in found
    claim_rows = [r for r in rows if r["evidence"] == "claim"]
    assert all(r.get("document") and r.get("difference") for r in claim_rows)
    # Comparisons with EU law (the DSA, the Law Enforcement Directive) are not Budapest comparisons.
    assert all(r["budapest"].startswith(PREFIXES["budapest"].rstrip("/")) for r in rows)
    claims = {r.get("claim") for r in rows}
    assert CLAIM + "jl-art-18-intermediary-liability-over-moderation" not in claims
    assert CLAIM + "jl-art-47-no-data-protection-for-partners" not in claims


# --- 7. eu-law-conflicts ------------------------------------------------------------------------


def test_eu_law_conflicts(kg):
    rows = kg.query("eu-law-conflicts")
    found = pairs(rows, "provision", "instrument", "claim")
    # Seed 000: Article 40 "may unduly incentivize the transfer of the personal data ... under
    # Article 36(1)(b) ... through derogations ... in Article 38 of the EU Law Enforcement Directive".
    assert (
        UNCC + "art_36__para_1__point_b",
        LED_ART_38,
        CLAIM + "jl-art-36-1-b-transfers-via-led-art-38-derogations",
    ) in found
    # Seed 000: platform liability "conflicting with the approach taken in the EU Digital Services [Act]",
    # developed through Article 18.
    assert (UNCC + "art_18", DSA, CLAIM + "jl-platform-liability-unclear-conflicts-dsa") in found
    # Seed 000: Article 36(1)(c) creates "a further risk of undermining the data protection guarantees of EU law".
    assert (
        UNCC + "art_36__para_1__point_c",
        LED,
        CLAIM + "jl-art-36-1-c-transfer-agreements-undermine-eu-law",
    ) in found
    assert all(r["instrument"].startswith("http://data.europa.eu/eli/") for r in rows)
    claims = {r.get("claim") for r in rows}
    # Article 47: EU States stay bound by the LED but partners need not be — a comparison, not a conflict.
    assert CLAIM + "jl-art-47-no-data-protection-for-partners" not in claims
    # The letter's closing "potential conflict with existing EU laws" names no act: no row.
    assert CLAIM + "jl-adoption-risks-conflict-with-eu-law" not in claims
    # Quotes belong to the claim's own document (no quote from another seed).
    assert {r["document"] for r in rows} == {JOINT_LETTER}


# --- 8. refusal-gaps ----------------------------------------------------------------------------


def test_refusal_gaps(kg):
    rows = kg.query("refusal-gaps")
    found = pairs(rows, "provision", "principle", "claim")
    # Seed 003: "Article 40 Clause 21(b) mentions sovereignty, security, ordre public ... but
    # conspicuously leaves out human rights concerns as grounds for a refusal".
    assert (
        UNCC + "art_40__para_21__point_b",
        PRINCIPLE + "human-rights-refusal-ground",
        CLAIM + "a19-art-40-21-b-no-human-rights-ground",
    ) in found
    # Seed 003: Article 40(22) leaves out political offences; Article 40(8) "essentially does away
    # with the requirement of dual criminality".
    assert (
        UNCC + "art_40__para_22",
        PRINCIPLE + "political-offence-exception",
        CLAIM + "a19-art-40-22-omits-political-offences",
    ) in found
    assert (
        UNCC + "art_40__para_8",
        PRINCIPLE + "dual-criminality",
        CLAIM + "a19-art-40-8-no-dual-criminality",
    ) in found
    provision_claims = pairs(rows, "provision", "claim")
    # Seed 000: safeguards "premised on the need for a 'request' such as Articles 40(21) and
    # 40(22) – do not apply" to Article 47; "narrowly framed grounds of refusal" (Chapter V).
    assert (UNCC + "art_40__para_21", CLAIM + "jl-art-40-21-22-request-based-safeguards-bypassed") in provision_claims
    # The "narrowly framed grounds of refusal" passage names no chapter: by default it is listed by
    # its concern with its target in words; its link to Chapter V (our inference) shows with
    # basis=any, marked inferred (issue 15).
    broad = CLAIM + "jl-broad-cooperation-narrow-refusal-grounds"
    assert (UNCC + "chp_V", broad) not in provision_claims
    assert any(r["claim"] == broad and not r.get("basis") for r in rows)
    rows_any = kg.query("refusal-gaps", basis="any")
    assert (UNCC + "chp_V", broad, "inferred") in pairs(rows_any, "provision", "claim", "basis")
    # Linked to 40(21)-(22) only by inference: counted through that link only with basis=any.
    imprecise = CLAIM + "jl-refusal-grounds-imprecise-deference-domestic-law"
    assert (UNCC + "art_40__para_21", imprecise, "inferred") in pairs(rows_any, "provision", "claim", "basis")
    assert (UNCC + "art_40__para_21", imprecise) not in provision_claims
    # Seed 003: "it leaves out 'sexual orientation' as a protected category" (Article 40(22)).
    assert (UNCC + "art_40__para_22", CLAIM + "a19-art-40-22-omits-sexual-orientation") in provision_claims
    claims = {r["claim"] for r in rows}
    # Claims about other safeguards are out: Article 24's missing principles, Article 47's lack of an MLA request.
    assert CLAIM + "jl-art-24-missing-principles" not in claims
    assert CLAIM + "jl-art-47-police-cooperation-without-request" not in claims


# --- 9. gender ----------------------------------------------------------------------------------


def test_gender(kg):
    rows = kg.query("gender")
    found = pairs(rows, "provision", "evidence", "claim")
    # Seed 000: "a gender perspective is only included in Article 34 on the protection of victims
    # and addressed in Article 53(h) ... while acknowledging the importance of gender mainstreaming
    # in the preamble".
    only = CLAIM + "jl-gender-only-preamble-art-34-art-53h"
    for provision in ("art_53__para_3__point_h", "art_34", "preamble"):
        assert (UNCC + provision, "claim", only) in found
    # Seed 000: calls to include gender "in crucial Articles 24 and 36 ... were omitted".
    assert (UNCC + "art_24", "claim", CLAIM + "jl-gender-omitted-from-art-24-and-36") in found
    # Seed 001 demand: "Mainstream gender across the Convention as a whole and throughout each article".
    mainstream = [r for r in rows if r.get("claim") == CLAIM + "js-mainstream-gender"]
    assert mainstream and mainstream[0]["provision"] == WORK and mainstream[0]["document"] == JOINT_STATEMENT
    assert mainstream[0]["quote"].startswith("Mainstream gender across the Convention")
    # Article 53(3)(h) (the letter's "53(h)") itself addresses gender-based violence (its description).
    assert (UNCC + "art_53__para_3__point_h", "description", None) in found
    # Claims about Article 24 that do not concern gender are not here.
    assert CLAIM + "jl-art-24-limited-to-chapter-iv" not in {r.get("claim") for r in rows}


# --- 10. timeline -------------------------------------------------------------------------------


def test_timeline(kg):
    rows = kg.query("timeline")
    # Seed 003: the Ad Hoc Committee finalised the draft "on 9 August 2024".
    approval = [r for r in rows if r["event"] == EVENT + "ahc-draft-approval" and r["kind"] == "event"]
    assert approval and {r.get("date") for r in approval} == {"2024-08-09"}
    # graph/convention/events.ttl: the depositary dates the adoption 24 December 2024.
    adoption = pairs([r for r in rows if r["event"] == EVENT + "ga-adoption"], "kind", "date", "source")
    assert ("attestation", "2024-12-24", DOC + "src-untc-status") in adoption
    # The digest's (probably confused) 9 August date for the General Assembly is kept, with its source.
    assert ("attestation", "2024-08-09", DIGEST) in adoption
    # The Hanoi signing ceremony, 25-26 October 2025.
    signing = [r for r in rows if r["event"] == EVENT + "signature-opening"]
    assert signing and {(r.get("date"), r.get("latest")) for r in signing} == {("2025-10-25", "2025-10-26")}
    # Every attestation of the start of negotiations is its own row (seeds 001-004 disagree).
    starts = [r for r in rows if r["event"] == EVENT + "negotiations-start" and r["kind"] == "attestation"]
    assert {r["source"] for r in starts} == {EFF_BRIEFING, A19_ANALYSIS, DIGEST, JOINT_STATEMENT}
    # No blank node is returned: events, types and sources are IRIs of ours.
    assert all(r["event"].startswith(EVENT) for r in rows)
    assert all(r["source"].startswith(DOC) for r in rows if "source" in r)
    # Ordered by date (or the earliest, or the latest date).
    when = [r.get("date") or r.get("earliest") or r.get("latest") for r in rows]
    assert when == sorted(when)
    order = [(r["event"], r.get("date")) for r in rows]
    assert order.index((EVENT + "ahc-draft-approval", "2024-08-09")) < order.index(
        (EVENT + "ga-adoption", "2024-12-24")
    )
    assert order.index((EVENT + "ga-adoption", "2024-12-24")) < order.index((EVENT + "signature-opening", "2025-10-25"))
