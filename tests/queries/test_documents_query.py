"""The canned query ``documents`` (issue 19, item 5): every document of the debate, grouped by the kind
of stakeholder behind it, with its date, type, stance, claims and public link; ``kind`` restricts it
to one kind, resolved against the stakeholder-kind scheme (never spliced into the text).

Expectations come from the graph files: graph/debate/documents.ttl (the five sources) and
graph/contrib/*.ttl (the contributed documents; graph/contrib/README.md lists them by kind)."""

from __future__ import annotations

import pytest

from treatykg.engine.catalogue import CatalogueError
from treatykg.model.iri import PREFIXES

DOC = PREFIXES["doc"]
KIND = PREFIXES["stkind"]
ORG = PREFIXES["stk"]


def _by_kind(rows) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.get("kind", "").removeprefix(KIND), []).append(row["document"].removeprefix(DOC))
    return out


def test_industry_bodies_are_the_tech_accord_and_the_icc_in_date_order(kg):
    rows = kg.query("documents", kind="industry-body")
    assert [r["document"].removeprefix(DOC) for r in rows] == [
        "tech-accord-technical-assistance-2022-06",  # June 2022
        "tech-accord-press-release-changes-2024",  # from 29 January 2024
        "icc-global-business-reject-2024",  # from 12 August 2024
    ]
    assert {r["kind"] for r in rows} == {KIND + "industry-body"}
    icc = rows[-1]
    assert icc["stakeholder"] == ORG + "international-chamber-of-commerce" and icc["via"] == "issued"
    assert icc["source"].startswith("https://iccuae.ae/") and int(icc["claims"]) == 3
    # Microsoft is a company, not an industry body
    assert [r["document"].removeprefix(DOC) for r in kg.query("documents", kind="company")] == [
        "microsoft-linkedin-post-2023-08"
    ]


def test_every_document_is_listed_and_the_eu_once(kg):
    rows = kg.query("documents")
    documents = {r["document"] for r in kg.query("stances")}
    assert {r["document"] for r in rows} == documents and len(documents) >= 31
    groups = _by_kind(rows)
    # the EU is a regional organisation and a regional economic integration organisation (a narrower
    # kind): its two documents are listed once, under the broader kind
    assert groups["regional-organisation"] == [
        "council-eu-signature-decision-2025-10-13",
        "eu-declaration-signing-ceremony-2025-10",
    ]
    assert "regional-economic-integration-organisation" not in groups
    # the news digest records no issuer and no signatory: listed, without a kind, after the kinds
    assert groups[""] == ["news-digest-reactions"] and "kind" not in rows[-1]
    # the joint letter names no issuer: grouped by its 29 signatories' kinds
    letter = {r["kind"].removeprefix(KIND): r for r in rows if r["document"] == DOC + "joint-letter-eu-vote-no"}
    assert {k: (r["via"], r["stakeholders"]) for k, r in letter.items()} == {
        "ngo": ("signed", "25"),
        "media-freedom-organisation": ("signed", "2"),
        "academic": ("signed", "2"),
    }
    assert "stakeholder" not in letter["ngo"]  # 25 of them: no single one to name


def test_dates_are_in_order_within_each_kind(kg):
    rows = kg.query("documents")
    for kind in {r.get("kind") for r in rows}:
        dates = [r.get("sortDate") for r in rows if r.get("kind") == kind]
        dated = [d for d in dates if d]
        assert dated == sorted(dated) and dates[: len(dated)] == dated, kind  # undated last
    hrw = [r for r in rows if r.get("kind") == KIND + "ngo" and r["document"].startswith(DOC + "hrw-")]
    assert [r["sortDate"] for r in hrw] == ["2022-03-01", "2022-04-28", "2024-01-23"]
    assert hrw[0]["date"] == "2022-03-01" and "earliest" not in hrw[0]


@pytest.mark.parametrize("value", ["un-body", "UN-Body", PREFIXES["stkind"] + "un-body", "United Nations body"])
def test_a_kind_is_found_by_slug_name_or_iri(kg, value):
    rows = kg.query("documents", kind=value)
    assert {r["document"].removeprefix(DOC) for r in rows} == {
        "ohchr-information-note-2024-07",
        "un-secretary-general-statement-adoption-2024-12-24",
        "unodc-statement-adoption-2024-12-24",
        "un-secretary-general-remarks-hanoi-2025-10-25",
    }


@pytest.mark.parametrize(
    "value", ["} ; DROP ALL ; #", 'ngo" || true || "', "regional-economic-integration-organisation"]
)
def test_a_hostile_or_narrower_kind_is_refused_naming_the_parameter(kg, value):
    with pytest.raises(CatalogueError) as caught:
        kg.query("documents", kind=value)
    message = str(caught.value)
    assert message.startswith("--param kind: unknown stakeholder kind") and "\n" not in message
    assert "use any or one of academic, coalition, company" in message
