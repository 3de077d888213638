"""Each shape rejects a hand-made bad example, and the minimal good example passes them all.

Every case starts from ``fixtures/minimal.ttl`` (which conforms), breaks it in one way, and
asserts that the expected shape reports the expected focus node, so a shape that silently stops
firing fails its test. ``test_every_shape_has_a_case`` keeps the table complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from rdflib import Graph, URIRef

from treatykg.model.iri import PREFIXES
from treatykg.validation.shacl import Report, validate_graph

from .conftest import FIXTURES

PREFIX_BLOCK = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


@dataclass
class Case:
    shape: str  # the shape (or SPARQL constraint) that must report the problem
    focus: str  # the focus node it must report
    add: str = ""  # Turtle added to the minimal graph
    remove: list[tuple[str, str]] = field(default_factory=list)  # (subject, predicate) pairs removed


def _state(extra_notation: str) -> str:
    """A conforming State (issue 18) with ``extra_notation`` added to its codes."""
    notations = '"TS"^^tkg:iso3166Alpha2 , "TST"^^tkg:iso3166Alpha3 , "999"^^tkg:iso3166Numeric'
    if extra_notation:
        notations += " , " + extra_notation
    return (
        'stk:testland a tkg:Organisation , tkg:State ; rdfs:label "Testland"@en ; tkg:stakeholderKind stkind:state ;'
        f' skos:notation {notations} ; skos:exactMatch eucountry:TST ; tkg:unMembership "member" ;'
        " prov:wasDerivedFrom doc:test-letter ."
    )


CASES: dict[str, Case] = {
    # --- structure ---
    "treaty-no-label": Case(
        "tkgsh:TreatyShape-label",
        "<https://w3id.org/treatykg/uncc>",
        remove=[("<https://w3id.org/treatykg/uncc>", "rdfs:label")],
    ),
    "treaty-title-not-langstring": Case(
        "tkgsh:TreatyShape-title",
        "<https://w3id.org/treatykg/uncc>",
        remove=[("<https://w3id.org/treatykg/uncc>", "dct:title")],
        add='<https://w3id.org/treatykg/uncc> dct:title "plain" .',
    ),
    "treaty-collection-ref-int": Case(
        "tkgsh:TreatyShape-treatyCollectionReference",
        "<https://w3id.org/treatykg/uncc>",
        add="<https://w3id.org/treatykg/uncc> tkg:treatyCollectionReference 16 .",
    ),
    "provision-bad-iri": Case(
        "tkgsh:ProvisionShape",
        "uncc:article-99",
        add='<https://w3id.org/treatykg/uncc/article-99> a tkg:Article ; rdfs:label "A"@en ;'
        ' tkg:number "99" ; dct:title "T"@en ; tkg:partOf uncc:chp_IV ;'
        " tkg:titleEvidence evidence:unconfirmed .",
    ),
    "provision-no-label": Case("tkgsh:ProvisionShape-label", "uncc:art_28", remove=[("uncc:art_28", "rdfs:label")]),
    "provision-two-numbers": Case("tkgsh:ProvisionShape-number", "uncc:art_28", add='uncc:art_28 tkg:number "29" .'),
    "provision-eid-not-string": Case("tkgsh:ProvisionShape-eId", "uncc:art_41", add="uncc:art_41 tkg:eId 41 ."),
    "provision-parent-unknown": Case(
        "tkgsh:ProvisionShape-partOf",
        "uncc:art_28__para_4__point_a",
        remove=[("uncc:art_28__para_4__point_a", "tkg:partOf")],
        add="uncc:art_28__para_4__point_a tkg:partOf uncc:art_28__para_4 .",
    ),
    "provision-negative-sequence": Case(
        "tkgsh:ProvisionShape-sequence", "uncc:art_41", add="uncc:art_41 tkg:sequence -1 ."
    ),
    "provision-eid-mismatch": Case(
        "tkgsh:ProvisionShape-eIdMatchesIri",
        "uncc:art_28",
        remove=[("uncc:art_28", "tkg:eId")],
        add='uncc:art_28 tkg:eId "art_29" .',
    ),
    "provision-cycle": Case(
        "tkgsh:ProvisionShape-noCycle",
        "uncc:chp_IV",
        remove=[("uncc:chp_IV", "tkg:partOf")],
        add="uncc:chp_IV tkg:partOf uncc:art_24 .",
    ),
    "preamble-under-chapter": Case(
        "tkgsh:PreambleShape-partOf",
        "uncc:preamble",
        remove=[("uncc:preamble", "tkg:partOf")],
        add="uncc:preamble tkg:partOf uncc:chp_IV .",
    ),
    "chapter-under-article": Case(
        "tkgsh:ChapterShape-partOf",
        "uncc:chp_V",
        remove=[("uncc:chp_V", "tkg:partOf")],
        add="uncc:chp_V tkg:partOf uncc:art_24 .",
    ),
    "chapter-arabic-number": Case(
        "tkgsh:ChapterShape-number",
        "uncc:chp_V",
        remove=[("uncc:chp_V", "tkg:number")],
        add='uncc:chp_V tkg:number "5" .',
    ),
    "chapter-no-title": Case("tkgsh:ChapterShape-title", "uncc:chp_V", remove=[("uncc:chp_V", "dct:title")]),
    "chapter-no-evidence": Case(
        "tkgsh:ChapterShape-titleEvidence", "uncc:chp_V", remove=[("uncc:chp_V", "tkg:titleEvidence")]
    ),
    "article-title-without-source": Case(
        "tkgsh:ArticleShape", "uncc:art_41", remove=[("uncc:art_41", "tkg:titleSource")]
    ),
    "article-under-treaty": Case(
        "tkgsh:ArticleShape-partOf",
        "uncc:art_41",
        remove=[("uncc:art_41", "tkg:partOf")],
        add="uncc:art_41 tkg:partOf <https://w3id.org/treatykg/uncc> .",
    ),
    "article-number-with-paragraph": Case(
        "tkgsh:ArticleShape-number",
        "uncc:art_41",
        remove=[("uncc:art_41", "tkg:number")],
        add='uncc:art_41 tkg:number "41(1)" .',
    ),
    "article-two-titles": Case("tkgsh:ArticleShape-title", "uncc:art_41", add='uncc:art_41 dct:title "Other"@en .'),
    "article-evidence-not-in-scheme": Case(
        "tkgsh:ArticleShape-titleEvidence",
        "uncc:art_41",
        remove=[("uncc:art_41", "tkg:titleEvidence")],
        add="uncc:art_41 tkg:titleEvidence modality:shall .",
    ),
    "article-number-duplicate": Case(
        "tkgsh:ArticleShape-uniqueNumber",
        "uncc:art_28",
        remove=[("uncc:art_41", "tkg:number")],
        add='uncc:art_41 tkg:number "28" .',
    ),
    "paragraph-under-chapter": Case(
        "tkgsh:ParagraphShape-partOf",
        "uncc:art_24__para_1",
        remove=[("uncc:art_24__para_1", "tkg:partOf")],
        add="uncc:art_24__para_1 tkg:partOf uncc:chp_IV .",
    ),
    "point-under-chapter": Case(
        "tkgsh:PointShape-partOf",
        "uncc:art_28__para_4__point_a",
        remove=[("uncc:art_28__para_4__point_a", "tkg:partOf")],
        add="uncc:art_28__para_4__point_a tkg:partOf uncc:chp_IV .",
    ),
    "described-no-modality": Case(
        "tkgsh:DescribedProvisionShape", "uncc:art_24__para_1", remove=[("uncc:art_24__para_1", "tkg:modality")]
    ),
    "described-two-descriptions": Case(
        "tkgsh:DescribedProvisionShape-description",
        "uncc:art_24__para_1",
        add='uncc:art_24__para_1 dct:description "Another."@en .',
    ),
    "described-no-evidence": Case(
        "tkgsh:DescribedProvisionShape-descriptionEvidence",
        "uncc:art_24__para_1",
        remove=[("uncc:art_24__para_1", "tkg:descriptionEvidence")],
    ),
    "described-modality-not-in-scheme": Case(
        "tkgsh:DescribedProvisionShape-modality",
        "uncc:art_24__para_1",
        add="uncc:art_24__para_1 tkg:modality stance:reject .",
    ),
    "described-no-modality-evidence": Case(
        "tkgsh:DescribedProvisionShape-modalityEvidence",
        "uncc:art_24__para_1",
        remove=[("uncc:art_24__para_1", "tkg:modalityEvidence")],
    ),
    "reference-to-missing-article": Case(
        "tkgsh:CrossReferenceShape-targetExists", "uncc:art_24", add="uncc:art_24 tkg:appliesTo uncc:art_99 ."
    ),
    "power-scope-not-in-scheme": Case(
        "tkgsh:ProceduralPowerShape-crimeScope", "uncc:art_28", add="uncc:art_28 tkg:crimeScope principle:legality ."
    ),
    "power-compels-not-boolean": Case(
        "tkgsh:ProceduralPowerShape-compelsThirdParties",
        "uncc:art_28",
        remove=[("uncc:art_28", "tkg:compelsThirdParties")],
        add='uncc:art_28 tkg:compelsThirdParties "yes" .',
    ),
    "power-outside-chapter-iv": Case(
        "tkgsh:ProceduralPowerShape-inChapterIV", "uncc:art_41", add="uncc:art_41 a tkg:ProceduralPower ."
    ),
    "mechanism-request-unknown": Case(
        "tkgsh:CooperationMechanismShape-premisedOnRequest",
        "uncc:art_41",
        remove=[("uncc:art_41", "tkg:premisedOnRequest")],
    ),
    "mechanism-scope-not-in-scheme": Case(
        "tkgsh:CooperationMechanismShape-crimeScope", "uncc:art_41", add="uncc:art_41 tkg:crimeScope concern:other ."
    ),
    "mechanism-outside-chapter-v": Case(
        "tkgsh:CooperationMechanismShape-inChapterV",
        "uncc:art_28",
        add="uncc:art_28 a tkg:CooperationMechanism ; tkg:premisedOnRequest true .",
    ),
    "safeguard-principle-not-in-scheme": Case(
        "tkgsh:SafeguardProvisionShape-providesPrinciple",
        "uncc:art_24__para_1",
        add="uncc:art_24__para_1 tkg:providesPrinciple concern:other .",
    ),
    "safeguard-force-not-in-scheme": Case(
        "tkgsh:SafeguardProvisionShape-safeguardForce",
        "uncc:art_24__para_1",
        add="uncc:art_24__para_1 tkg:safeguardForce modality:may .",
    ),
    "safeguard-no-principle-info": Case(
        "tkgsh:SafeguardProvisionShape-principleRecorded", "uncc:art_41", add="uncc:art_41 a tkg:SafeguardProvision ."
    ),
    "scope-value-not-in-scheme": Case(
        "tkgsh:CrimeScopeConceptShape", "stance:reject", add="uncc:art_24__para_1 tkg:crimeScope stance:reject ."
    ),
    "reference-source-no-description": Case(
        "tkgsh:ReferenceSourceShape-description", "doc:src-test", remove=[("doc:src-test", "dct:description")]
    ),
    "title-source-undescribed": Case(
        "tkgsh:TitleSourceShape", "doc:nowhere", add="uncc:art_41 tkg:titleSource doc:nowhere ."
    ),
    # --- debate ---
    "stakeholder-bad-slug": Case(
        "tkgsh:StakeholderShape",
        "stk:Bad_Slug",
        add='<https://w3id.org/treatykg/org/Bad_Slug> a tkg:Organisation ; rdfs:label "B"@en ;'
        " tkg:stakeholderKind stkind:ngo ; prov:wasDerivedFrom doc:test-letter .",
    ),
    "stakeholder-two-names": Case(
        "tkgsh:StakeholderShape-label", "stk:example-ngo", add='stk:example-ngo rdfs:label "Example N.G.O."@en .'
    ),
    "stakeholder-kind-missing": Case(
        "tkgsh:StakeholderShape-stakeholderKind", "stk:example-ngo", remove=[("stk:example-ngo", "tkg:stakeholderKind")]
    ),
    "stakeholder-without-source": Case(
        "tkgsh:StakeholderShape-wasDerivedFrom", "stk:example-ngo", remove=[("stk:example-ngo", "prov:wasDerivedFrom")]
    ),
    "stakeholder-country-tagged": Case(
        "tkgsh:StakeholderShape-country",
        "stk:example-ngo",
        remove=[("stk:example-ngo", "tkg:country")],
        add='stk:example-ngo tkg:country "X"@en .',
    ),
    "organisation-under-person": Case(
        "tkgsh:OrganisationShape",
        "person:some-org",
        add='person:some-org a tkg:Organisation ; rdfs:label "S"@en ;'
        " tkg:stakeholderKind stkind:ngo ; prov:wasDerivedFrom doc:test-letter .",
    ),
    "person-under-org": Case(
        "tkgsh:PersonShape",
        "stk:jane-doe",
        add='stk:jane-doe a tkg:Person ; rdfs:label "Jane Doe"@en ;'
        " tkg:stakeholderKind stkind:academic ; prov:wasDerivedFrom doc:test-letter .",
    ),
    "document-without-date": Case(
        "tkgsh:StatementDocumentShape",
        "doc:test-letter",
        remove=[("doc:test-letter", "tkg:earliestDate"), ("doc:test-letter", "tkg:latestDate")],
    ),
    "document-dates-reversed": Case(
        "tkgsh:StatementDocumentShape-dateOrder",
        "doc:test-letter",
        remove=[("doc:test-letter", "tkg:latestDate")],
        add='doc:test-letter tkg:latestDate "2024-01-01"^^xsd:date .',
    ),
    "document-in-the-future": Case(
        "tkgsh:StatementDocumentShape-notFuture",
        "doc:test-letter",
        remove=[("doc:test-letter", "tkg:earliestDate"), ("doc:test-letter", "tkg:latestDate")],
        add='doc:test-letter dct:issued "2099-01-01"^^xsd:date .',
    ),
    "stakeholder-duplicate-spelling": Case(
        "tkgsh:StakeholderShape-duplicateName",
        "stk:example-n-g-o",
        add='stk:example-n-g-o a tkg:Organisation ; rdfs:label "EXAMPLE N.G.O."@en ;'
        " tkg:stakeholderKind stkind:ngo ; prov:wasDerivedFrom doc:test-letter .",
    ),
    "document-no-label": Case(
        "tkgsh:StatementDocumentShape-label", "doc:test-letter", remove=[("doc:test-letter", "rdfs:label")]
    ),
    "document-no-type": Case(
        "tkgsh:StatementDocumentShape-documentType", "doc:test-letter", remove=[("doc:test-letter", "tkg:documentType")]
    ),
    "document-stance-not-in-scheme": Case(
        "tkgsh:StatementDocumentShape-overallStance",
        "doc:test-letter",
        remove=[("doc:test-letter", "tkg:overallStance")],
        add="doc:test-letter tkg:overallStance modality:shall .",
    ),
    # A source file (seeds) or the URL it was read at (documents found on the web, issue 19).
    "document-no-source-file": Case(
        "tkgsh:StatementDocumentShape-source", "doc:test-letter", remove=[("doc:test-letter", "tkg:sourceFile")]
    ),
    "document-source-file-empty": Case(
        "tkgsh:StatementDocumentShape-sourceFile",
        "doc:test-letter",
        remove=[("doc:test-letter", "tkg:sourceFile")],
        add='doc:test-letter tkg:sourceFile "" .',
    ),
    "document-date-read-not-a-date": Case(
        "tkgsh:StatementDocumentShape-dateRead", "doc:test-letter", add='doc:test-letter tkg:dateRead "yesterday" .'
    ),
    "document-unknown-signatory": Case(
        "tkgsh:StatementDocumentShape-signedBy",
        "doc:test-letter",
        add="doc:test-letter tkg:signedBy stk:nobody-knows .",
    ),
    "document-unknown-issuer": Case(
        "tkgsh:StatementDocumentShape-issuedBy",
        "doc:test-letter",
        add="doc:test-letter tkg:issuedBy stk:nobody-knows .",
    ),
    "document-unknown-addressee": Case(
        "tkgsh:StatementDocumentShape-addressedTo",
        "doc:test-letter",
        add="doc:test-letter tkg:addressedTo stk:nobody-knows .",
    ),
    "document-date-as-string": Case(
        "tkgsh:StatementDocumentShape-issued", "doc:test-letter", add='doc:test-letter dct:issued "9 August 2024" .'
    ),
    "document-earliest-date-twice": Case(
        "tkgsh:StatementDocumentShape-earliestDate",
        "doc:test-letter",
        add='doc:test-letter tkg:earliestDate "2024-08-10"^^xsd:date .',
    ),
    "document-latest-date-datetime": Case(
        "tkgsh:StatementDocumentShape-latestDate",
        "doc:test-letter",
        remove=[("doc:test-letter", "tkg:latestDate")],
        add='doc:test-letter tkg:latestDate "2024-12-24T00:00:00"^^xsd:dateTime .',
    ),
    "claim-bad-iri": Case(
        "tkgsh:ClaimShape",
        "<https://w3id.org/treatykg/claim/Bad Claim>".replace(" ", "%20"),
        add='<https://w3id.org/treatykg/claim/Bad%20Claim> a tkg:Claim ; rdfs:label "x"@en ;'
        " tkg:claimKind claimkind:criticism ; tkg:about uncc:art_24 ;"
        ' tkg:concernCategory concern:other ; dct:description "d"@en ;'
        ' tkg:quote [ a oa:TextQuoteSelector ; oa:exact "q" ] ;'
        " prov:wasDerivedFrom doc:test-letter .",
    ),
    "claim-no-target": Case(
        "tkgsh:ClaimShape-target", "claim:test-art-24-weak", remove=[("claim:test-art-24-weak", "tkg:about")]
    ),
    "claim-no-label": Case(
        "tkgsh:ClaimShape-label", "claim:test-art-24-weak", remove=[("claim:test-art-24-weak", "rdfs:label")]
    ),
    "claim-two-kinds": Case(
        "tkgsh:ClaimShape-claimKind",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:claimKind claimkind:support .",
    ),
    "claim-about-unknown-article": Case(
        "tkgsh:ClaimShape-about", "claim:test-art-24-weak", add="claim:test-art-24-weak tkg:about uncc:art_99 ."
    ),
    "claim-no-concern": Case(
        "tkgsh:ClaimShape-concernCategory",
        "claim:test-art-24-weak",
        remove=[("claim:test-art-24-weak", "tkg:concernCategory")],
    ),
    # criticisms joins a claim's concerns into one cell with a fixed number of ranks (issue 17).
    "claim-seven-concerns": Case(
        "tkgsh:ClaimShape-concernCategory",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:concernCategory concern:surveillance , concern:secrecy , concern:gender ,"
        " concern:process , concern:liability , concern:jurisdiction , concern:vague-terms .",
    ),
    "claim-principle-not-in-scheme": Case(
        "tkgsh:ClaimShape-missingPrinciple",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:missingPrinciple concern:other .",
    ),
    "claim-without-source": Case(
        "tkgsh:ClaimShape-wasDerivedFrom",
        "claim:test-art-24-weak",
        remove=[("claim:test-art-24-weak", "prov:wasDerivedFrom")],
    ),
    # A quote (seed documents) or a locator (issue 19): a claim with neither is refused.
    "claim-without-quote": Case(
        "tkgsh:ClaimShape-evidence", "claim:test-art-24-weak", remove=[("claim:test-art-24-weak", "tkg:quote")]
    ),
    "claim-locator-not-a-locator-selector": Case(
        "tkgsh:ClaimShape-locator",
        "claim:test-art-24-weak",
        add='claim:test-art-24-weak tkg:locator [ a oa:TextQuoteSelector ; oa:exact "copied text" ] .',
    ),
    "claim-locator-without-document-url": Case(
        "tkgsh:ClaimShape-locatorSource",
        "claim:test-art-24-weak",
        add='claim:test-art-24-weak tkg:locator [ a tkg:LocatorSelector ; rdf:value "Heading 2" ] .',
    ),
    "claim-no-description-warning": Case(
        "tkgsh:ClaimShape-description", "claim:test-art-24-weak", remove=[("claim:test-art-24-weak", "dct:description")]
    ),
    # Cited or inferred (issue 15): an inferred link needs its qualification (confidence, reason).
    "claim-inferred-without-qualification": Case(
        "tkgsh:ClaimShape-basis", "claim:test-art-24-weak", add="claim:test-art-24-weak tkg:aboutInferred uncc:art_24 ."
    ),
    "claim-inferred-link-without-reason": Case(
        "tkgsh:ClaimShape-inferredLink",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:aboutInferred uncc:art_24 ;"
        " tkg:inferredLink [ a tkg:InferredLink ; tkg:linkTarget uncc:art_24 ; tkg:confidence 0.6 ] .",
    ),
    "claim-inferred-link-two-confidences": Case(
        "tkgsh:ClaimShape-inferredLink",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:aboutInferred uncc:art_24 ; tkg:inferredLink [ a tkg:InferredLink ;"
        ' tkg:linkTarget uncc:art_24 ; tkg:confidence 0.6 , 0.7 ; tkg:reason "Names no article."@en ] .',
    ),
    "claim-cited-and-inferred": Case(
        "tkgsh:ClaimShape-basis",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:aboutCited uncc:art_24 ; tkg:aboutInferred uncc:art_24 ;"
        " tkg:inferredLink [ a tkg:InferredLink ; tkg:linkTarget uncc:art_24 ; tkg:confidence 0.6 ;"
        ' tkg:reason "Names no article."@en ] .',
    ),
    "claim-cited-without-about": Case(
        "tkgsh:ClaimShape-basis", "claim:test-art-24-weak", add="claim:test-art-24-weak tkg:aboutCited uncc:art_28 ."
    ),
    "claim-qualification-of-unlinked-provision": Case(
        "tkgsh:ClaimShape-basis",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:inferredLink [ a tkg:InferredLink ; tkg:linkTarget uncc:art_24 ;"
        ' tkg:confidence 0.6 ; tkg:reason "Names no article."@en ] .',
    ),
    "claim-confidence-above-one": Case(
        "tkgsh:ClaimShape-confidence", "claim:test-art-24-weak", add="claim:test-art-24-weak tkg:confidence 1.5 ."
    ),
    "claim-compares-with-unknown": Case(
        "tkgsh:ClaimShape-comparesWith",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:comparesWith budapest:art_99 .",
    ),
    "claim-attributed-to-unknown": Case(
        "tkgsh:ClaimShape-wasAttributedTo",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak prov:wasAttributedTo stk:nobody-knows .",
    ),
    "claim-vote-outside-scheme": Case(
        "tkgsh:ClaimShape-voteCast",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:voteCast tkg:maybe .",
    ),
    "vote-cast-by-a-non-state": Case(
        "tkgsh:VoteShape-wasAttributedTo",
        "claim:test-art-24-weak",
        add="claim:test-art-24-weak tkg:voteCast vote:against ; prov:wasAttributedTo stk:example-ngo .",
    ),
    "event-vote-count-not-an-integer": Case(
        "tkgsh:EventVoteShape-votesInFavour",
        "event:test-adoption",
        add='event:test-adoption tkg:votesInFavour "seventy-nine" .',
    ),
    "claim-source-undated": Case(
        "tkgsh:ClaimShape-sourceHasDate",
        "claim:test-art-24-weak",
        remove=[("doc:test-letter", "tkg:earliestDate"), ("doc:test-letter", "tkg:latestDate")],
    ),
    "claim-about-retired-provision": Case(
        "tkgsh:ClaimShape-aboutRetired",
        "claim:test-art-24-weak",
        add="uncc:art_24__point_z owl:deprecated true ; schema:supersededBy uncc:art_24 ."
        " claim:test-art-24-weak tkg:about uncc:art_24__point_z .",
    ),
    "quote-not-a-selector": Case(
        "tkgsh:ClaimShape-quote",
        "claim:test-art-24-weak",
        add='claim:test-art-24-weak tkg:quote [ oa:exact "untyped quote" ] .',
    ),
    "quote-too-long": Case(
        "tkgsh:QuoteShape-exact",
        " ".join(f"w{i}" for i in range(26)),
        add='claim:test-art-24-weak tkg:quote [ a oa:TextQuoteSelector ; oa:exact "'
        + " ".join(f"w{i}" for i in range(26))
        + '" ] .',
    ),
    "demand-not-typed-claim": Case(
        "tkgsh:DemandShape-type",
        "claim:test-delete-art-28",
        remove=[("claim:test-delete-art-28", "rdf:type")],
        add="claim:test-delete-art-28 a tkg:Demand .",
    ),
    "demand-without-kind": Case(
        "tkgsh:DemandShape-demandKind",
        "claim:test-delete-art-28",
        remove=[("claim:test-delete-art-28", "tkg:demandKind")],
    ),
    "demand-without-change": Case(
        "tkgsh:DemandShape-proposedChange",
        "claim:test-delete-art-28",
        remove=[("claim:test-delete-art-28", "tkg:proposedChange")],
    ),
    "event-without-date": Case("tkgsh:EventShape", "event:test-adoption", remove=[("event:test-adoption", "dct:date")]),
    "event-type-not-in-scheme": Case(
        "tkgsh:EventShape-eventType", "event:test-adoption", add="event:test-adoption tkg:eventType stance:reject ."
    ),
    "event-two-dates": Case(
        "tkgsh:EventShape-date", "event:test-adoption", add='event:test-adoption dct:date "2024-12-25"^^xsd:date .'
    ),
    "event-without-source": Case(
        "tkgsh:EventShape-path", "event:test-adoption", remove=[("event:test-adoption", "prov:wasDerivedFrom")]
    ),
    "date-attestation-without-source": Case(
        "tkgsh:EventShape-dateAttestation",
        "event:test-adoption",
        add='event:test-adoption tkg:dateAttestation [ dct:date "2024-12-24"^^xsd:date ] .',
    ),
    # States and treaty acts (issue 18): each adds a State or an act broken in one way.
    "state-two-alpha2": Case("tkgsh:StateShape-alpha2", "stk:testland", add=_state('"TX"^^tkg:iso3166Alpha2')),
    "state-no-alpha3": Case(
        "tkgsh:StateShape-alpha3", "stk:testland", add=_state("").replace(', "TST"^^tkg:iso3166Alpha3', "")
    ),
    "state-two-numerics": Case("tkgsh:StateShape-numeric", "stk:testland", add=_state('"998"^^tkg:iso3166Numeric')),
    "state-exact-match-elsewhere": Case(
        "tkgsh:StateShape-exactMatch",
        "stk:testland",
        add=_state("").replace("eucountry:TST", "<https://www.wikidata.org/entity/Q1>"),
    ),
    "state-membership-unknown": Case(
        "tkgsh:StateShape-membership", "stk:testland", add=_state("").replace('"member"', '"candidate"')
    ),
    "act-without-date": Case(
        "tkgsh:TreatyActShape",
        "event:testland-uncc-signature",
        add=_state("") + ' event:testland-uncc-signature a tkg:Event , tkg:TreatyAct ; rdfs:label "Testland signs"@en ;'
        " tkg:eventType eventtype:treaty-act ; tkg:instrumentType instrument:signature ;"
        " prov:wasAssociatedWith stk:testland ; tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ;"
        ' prov:wasDerivedFrom doc:src-test ; tkg:dateAttestation [ tkg:latestDate "2025-10-26"^^xsd:date ;'
        ' prov:wasDerivedFrom doc:src-test ; tkg:locator "row Testland" ] .'
        ' doc:src-test a tkg:ReferenceSource ; rdfs:label "A test source"@en ;'
        ' dct:description "A test source."@en .',
    ),
}


def _build(case: Case) -> Graph:
    graph = Graph().parse(FIXTURES / "minimal.ttl")
    for subject, predicate in case.remove:
        s = URIRef(subject[1:-1]) if subject.startswith("<") else expand(subject)
        graph.remove((s, expand(predicate), None))
    if case.add:
        graph.parse(data=PREFIX_BLOCK + case.add, format="turtle")
    return graph


def _validate(graph: Graph, vocabulary_graph, shapes_graph) -> Report:
    data = Graph()
    for triple in vocabulary_graph:
        data.add(triple)
    for triple in graph:
        data.add(triple)
    return validate_graph(data, shapes_graph)


def test_minimal_example_conforms(vocabulary_graph, shapes_graph):
    report = _validate(_build(Case("", "")), vocabulary_graph, shapes_graph)
    assert report.problems == [], [p for p in report.problems]


def test_qualified_inferred_and_cited_links_conform(vocabulary_graph, shapes_graph):
    """A cited link needs nothing more; an inferred one with its confidence and reason passes."""
    case = Case(
        "",
        "",
        add="claim:test-art-24-weak tkg:aboutInferred uncc:art_24 ; tkg:inferredLink [ a tkg:InferredLink ;"
        ' tkg:linkTarget uncc:art_24 ; tkg:confidence 0.6 ; tkg:reason "The letter names no article."@en ] .'
        " claim:test-delete-art-28 tkg:aboutCited uncc:art_28 .",
    )
    report = _validate(_build(case), vocabulary_graph, shapes_graph)
    assert report.problems == [], [p for p in report.problems]


def _matches(problem, case: Case) -> bool:
    return problem.focus == case.focus or problem.value == case.focus


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_rejects_bad_example(name, vocabulary_graph, shapes_graph):
    case = CASES[name]
    report = _validate(_build(case), vocabulary_graph, shapes_graph)
    hits = [p for p in report.problems if p.shape == case.shape]
    assert hits, f"{case.shape} did not fire; got {[(p.shape, p.focus) for p in report.problems]}"
    assert any(_matches(p, case) for p in hits), [(p.focus, p.value) for p in hits]
    assert all(p.message and "constraint not met" not in p.message for p in hits)


def test_every_shape_has_a_case(shapes_graph):
    """Every named node shape, property shape and SPARQL constraint is exercised above, except the
    concept-membership helpers (reached through the property shapes that use them) and the
    *Check node shapes (reported under their SPARQL constraint's name)."""
    from rdflib import RDF
    from rdflib.namespace import SH

    from treatykg.validation.shacl import shorten

    named = set()
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        named |= {shorten(str(s)) for s in shapes_graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    helpers = {n for n in named if re.search(r"(Concept|Check)$", n)}
    covered = {case.shape for case in CASES.values()}
    # Node shapes whose only job is to hold property shapes are covered through them.
    containers = {
        "tkgsh:TreatyShape",
        "tkgsh:ChapterShape",
        "tkgsh:DemandShape",
        "tkgsh:PreambleShape",
        "tkgsh:ParagraphShape",
        "tkgsh:PointShape",
        "tkgsh:ReferenceSourceShape",
        "tkgsh:SafeguardProvisionShape",
        "tkgsh:ProceduralPowerShape",
        "tkgsh:CooperationMechanismShape",
        "tkgsh:CrossReferenceShape",
        "tkgsh:QuoteShape",
        "tkgsh:LocatorShape",  # reached only through tkgsh:ClaimShape-locator (sh:node)
        "tkgsh:DateAttestationShape",
        "tkgsh:InferredLinkShape",
        "tkgsh:StateShape",
        "tkgsh:ActAttestationShape",
        "tkgsh:ReadSourceShape",
        "tkgsh:VoteShape",  # reported under tkgsh:VoteShape-wasAttributedTo and -targetDescription
        "tkgsh:EventVoteShape",  # reported under tkgsh:EventVoteShape-votesInFavour and its siblings
    }
    missing = sorted(named - helpers - covered - containers)
    assert not missing, f"shapes without a bad example: {missing}"
