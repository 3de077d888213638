"""The public debate beyond the five seeds (issue 19): the documents in ``graph/contrib/``, added
through ``treatykg template``/``check``/``add``, are traceable (URL, date read, date, issuer), their
claims have a locator or a verified quote, and the queries compare them across stakeholder kinds.
Also the contributor path's new columns (locator, url, date_read, about_inferred, note), each with
the problem it fixed on real documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from treatykg.cli import main
from treatykg.model.iri import PREFIXES

from .helpers import write

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "graph" / "contrib"
TKG = PREFIXES["tkg"]
KIND = PREFIXES["vocab"] + "stakeholder-kind/"
DOC = PREFIXES["doc"]
CLAIM = PREFIXES["claim"]
READ = "2026-12-04"

#: What issue 19 added, per kind of issuer (a document issued by two kinds counts for each);
#: graph/contrib/README.md gives the same figures.
EXPECTED_PER_KIND = {
    "un-body": 4,
    "ngo": 9,  # HRW (4), Privacy International (2, one with EFF), EFF (3 more)
    "media-freedom-organisation": 4,  # CPJ and IPI, and ARTICLE 19's two documents
    "industry-body": 3,
    "company": 1,
    "coalition": 1,
    "state": 8,  # the United States (issue 19); Russia 2, Iran 3, the United Kingdom 2 (issue 18)
    "regional-organisation": 2,
    "regional-economic-integration-organisation": 2,  # the EU again: the States graph gives it both kinds
    "academic": 2,
}


def _t(local: str) -> URIRef:
    return URIRef(TKG + local)


@pytest.fixture(scope="module")
def contributed() -> Graph:
    """Only what the shipped submissions state (each file as ``treatykg add`` wrote it)."""
    graph = Graph()
    files = sorted(SHIPPED.glob("*.ttl"))
    assert len(files) >= 20, "the shipped contributions are missing"
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _documents(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, _t("StatementDocument")) if isinstance(s, URIRef))


def _claims(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, _t("Claim")) if isinstance(s, URIRef))


def test_every_new_document_has_a_url_a_date_and_an_issuer(contributed, union_graph):
    documents = _documents(contributed)
    assert len(documents) >= 20
    for document in documents:
        urls = list(contributed.objects(document, DCTERMS.source))
        assert len(urls) == 1 and isinstance(urls[0], URIRef) and str(urls[0]).startswith(("https://", "http://")), (
            document
        )
        assert [str(d) for d in contributed.objects(document, _t("dateRead"))] == [READ], document
        issued = list(contributed.objects(document, DCTERMS.issued))
        earliest = list(contributed.objects(document, _t("earliestDate")))
        assert issued or (earliest and list(contributed.objects(document, _t("dateNote")))), document
        # The negotiations to today; only the record of the 2019 vote that started them is older (issue 18).
        start = "2019-11-18" if document == URIRef(DOC + "russia-mfa-third-committee-vote-2019") else "2022-01-01"
        for date in issued + earliest:
            assert start <= str(date) <= READ, (document, date)
        issuers = list(contributed.objects(document, _t("issuedBy")))
        assert issuers, document
        for issuer in issuers:  # described in the graph (curated or contributed), with a kind
            assert list(union_graph.objects(issuer, _t("stakeholderKind"))), issuer
        assert not list(contributed.objects(document, _t("sourceFile"))), "web documents name no seed file"


def test_the_record_spans_eight_stakeholders_of_five_kinds(contributed, union_graph):
    issuers = {i for d in _documents(contributed) for i in contributed.objects(d, _t("issuedBy"))}
    kinds = {str(k).removeprefix(KIND) for i in issuers for k in union_graph.objects(i, _t("stakeholderKind"))}
    assert len(issuers) >= 8
    # UN bodies, human-rights NGOs, industry, press freedom and academia, States and the EU
    assert {"un-body", "ngo", "industry-body", "media-freedom-organisation", "academic", "state"} <= kinds


def test_documents_per_stakeholder_kind_match_what_was_added(contributed, union_graph):
    counted: Counter[str] = Counter()
    for document in _documents(contributed):
        kinds = {
            str(k).removeprefix(KIND)
            for issuer in contributed.objects(document, _t("issuedBy"))
            for k in union_graph.objects(issuer, _t("stakeholderKind"))
        }
        counted.update(kinds)
    assert dict(counted) == EXPECTED_PER_KIND


def test_every_new_claim_has_a_locator_and_no_quote(contributed):
    claims = _claims(contributed)
    assert len(claims) >= 40
    for claim in claims:
        assert not list(contributed.objects(claim, _t("quote"))), f"{claim}: web documents are never quoted"
        locators = list(contributed.objects(claim, _t("locator")))
        assert len(locators) == 1, claim
        assert (locators[0], RDF.type, _t("LocatorSelector")) in contributed
        assert str(contributed.value(locators[0], RDF.value)).strip(), claim
        documents = list(contributed.objects(claim, URIRef(PREFIXES["prov"] + "wasDerivedFrom")))
        assert documents and all(list(contributed.objects(d, DCTERMS.source)) for d in documents), claim
        assert contributed.value(claim, DCTERMS.description), f"{claim}: say it in our own words"


def test_every_claim_of_the_graph_has_a_locator_or_a_quote_from_a_seed(union_graph):
    derived = URIRef(PREFIXES["prov"] + "wasDerivedFrom")
    for claim in _claims(union_graph):
        quoted = list(union_graph.objects(claim, _t("quote")))
        located = list(union_graph.objects(claim, _t("locator")))
        assert quoted or located, claim
        if quoted:  # quotes only from the seeds (checked word for word in test_debate_sources.py)
            assert all(list(union_graph.objects(d, _t("sourceFile"))) for d in union_graph.objects(claim, derived)), (
                claim
            )


def test_inferred_links_say_how_sure_and_why(contributed):
    inferred = list(contributed.subject_objects(_t("aboutInferred")))
    assert len(inferred) >= 10
    for claim, target in inferred:
        links = [
            n for n in contributed.objects(claim, _t("inferredLink")) if (n, _t("linkTarget"), target) in contributed
        ]
        assert len(links) == 1, (claim, target)
        assert 0 < float(contributed.value(links[0], _t("confidence"))) < 1
        assert contributed.value(links[0], _t("reason")).language == "en"
    # A draft's article number that differs from the final text is our mapping, hence inferred:
    claim = URIRef(CLAIM + "a19hrw-2023-delete-other-treaty-offences")
    assert (claim, _t("aboutInferred"), URIRef(PREFIXES["uncc"] + "art_4")) in contributed
    assert (claim, _t("about"), URIRef(PREFIXES["uncc"] + "art_17")) not in contributed


def test_compare_24_shows_three_kinds_side_by_side(kg):
    rows = kg.query("compare", provision="art_24")
    kinds = {r["kind"].removeprefix(KIND) for r in rows}
    assert len(kinds) >= 3 and {"ngo", "media-freedom-organisation", "academic"} <= kinds
    claims = {r["claim"].removeprefix(CLAIM) for r in rows}
    assert "a19hrw-2023-general-safeguards-too-weak" in claims  # a contributed claim, cited
    assert "a19hrw-2023-overbroad-cooperation-powers" not in claims  # about Article 47, not 24
    assert {r["basis"] for r in rows} == {"cited"}
    # ICC names no article: its claim on safeguards is ours to link, so it only shows when asked.
    assert "icc-2024-data-collection-without-judicial-oversight" not in claims
    anyway = kg.query("compare", provision="art_24", basis="any")
    icc = [r for r in anyway if r["claim"].endswith("icc-2024-data-collection-without-judicial-oversight")]
    assert [(r["kind"].removeprefix(KIND), r["basis"]) for r in icc] == [("industry-body", "inferred")]
    assert len({r["kind"] for r in anyway}) >= 4


def test_agreement_lists_shared_criticisms_across_kinds(kg):
    rows = kg.query("agreement")
    assert rows and all(int(r["kinds"]) >= 2 for r in rows)
    assert all(r["provision"] != "https://w3id.org/treatykg/uncc" for r in rows)
    anyway = kg.query("agreement", basis="any")
    art24 = {
        r["kind"].removeprefix(KIND)
        for r in anyway
        if r["provision"].endswith("/art_24") and r["concern"].endswith("/weak-safeguards")
    }
    assert {"ngo", "media-freedom-organisation", "industry-body"} <= art24


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("critics", {"provision": "art_24"}),
        ("most-criticised", {}),
        ("stakeholder-claims", {"stakeholder": "https://w3id.org/treatykg/org/international-press-institute"}),
    ],
)
def test_the_claim_queries_answer_over_all_documents(kg, query, params):
    rows = kg.query(query, **params, basis="any")
    documents = {r.get("document", "") for r in rows}
    if query == "critics":
        assert DOC + "icc-global-business-reject-2024" in documents  # a contributed document
        assert DOC + "joint-letter-eu-vote-no" in documents  # and a seed
    elif query == "stakeholder-claims":
        assert DOC + "ipi-us-eu-reject-2024-08" in documents
    else:
        assert any(int(r.get("documents", 0) or 0) >= 5 for r in rows), rows[:3]


# --- the contributor path on real documents ------------------------------------------------------

HEADER = (
    "record,id,label,kind,about,about_inferred,inferred_confidence,inferred_reason,concern,description,"
    "locator,quote,document,title,type,stance,date,issuer,url,date_read,note\n"
)
DOC_ROW = (
    "document,test-web-doc,A web document,,,,,,,,,,,Its title,statement,critical-without-call,2024-05-01,"
    "human-rights-watch,https://example.org/statement,2026-12-04,Read in full\n"
)


def _submission(tmp_path: Path, claim_row: str, doc_row: str = DOC_ROW, header: str = HEADER) -> Path:
    path = write(tmp_path, "web.csv", header + doc_row + claim_row)
    return path


def test_a_claim_from_the_web_conforms_with_a_locator_and_an_inferred_link(tmp_path, contrib, capsys):
    from treatykg.statements.reader import read_statements

    row = (
        "claim,test-web-claim,Safeguards too weak,criticism,,24,0.6,Names the safeguards by subject,"
        "weak-safeguards,Our words,Section 2 paragraph 3,,test-web-doc,,,,,,,,Draft numbering\n"
    )
    path = _submission(tmp_path, row)
    assert main(["check", str(path)]) == 0, capsys.readouterr().out
    graph = read_statements([path]).graph
    claim, document = URIRef(CLAIM + "test-web-claim"), URIRef(DOC + "test-web-doc")
    locator = graph.value(claim, _t("locator"))
    assert (locator, RDF.type, _t("LocatorSelector")) in graph
    assert str(graph.value(locator, RDF.value)) == "Section 2 paragraph 3"
    assert graph.value(document, DCTERMS.source) == URIRef("https://example.org/statement")
    assert str(graph.value(document, _t("dateRead"))) == "2026-12-04"
    assert (claim, _t("aboutInferred"), URIRef(PREFIXES["uncc"] + "art_24")) in graph
    assert str(graph.value(graph.value(claim, _t("inferredLink")), _t("confidence"))) == "0.6"
    assert str(graph.value(claim, SKOS.note)) == "Draft numbering"


def test_a_claim_with_neither_quote_nor_locator_is_refused(tmp_path, contrib, capsys):
    row = "claim,test-web-claim,Too weak,criticism,24,,,,weak-safeguards,Our words,,,test-web-doc,,,,,,,,\n"
    assert main(["check", str(_submission(tmp_path, row))]) == 1
    out = capsys.readouterr().out
    assert "web.csv:3: Violation" in out and "locator" in out and "quote" in out


def test_a_locator_needs_the_document_url_and_date_read(tmp_path, contrib, capsys):
    row = "claim,test-web-claim,Too weak,criticism,24,,,,weak-safeguards,Our words,Heading 2,,test-web-doc,,,,,,,,\n"
    no_url = DOC_ROW.replace("https://example.org/statement,2026-12-04", ",")
    assert main(["check", str(_submission(tmp_path, row, no_url))]) == 1
    out = capsys.readouterr().out
    assert "no URL read (dct:source) or no date read" in out
    assert "the http(s) URL it was read at" in out  # the document itself has no source either


def test_a_url_that_is_not_http_is_reported(tmp_path, contrib, capsys):
    row = "claim,test-web-claim,Too weak,criticism,24,,,,weak-safeguards,Our words,Heading 2,,test-web-doc,,,,,,,,\n"
    bad = DOC_ROW.replace("https://example.org/statement", "file:///etc/passwd")
    assert main(["check", str(_submission(tmp_path, row, bad))]) == 1
    assert "the http(s) URL it was read at" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (HEADER.replace("locator", "locater"), "", "unknown column 'locater'"),
        (
            HEADER,
            "claim,test-x,X,criticism,24,,,,weak-safeguards,W,L,,test-web-doc,,,,,,https://e.org,,\n",
            "url: not a claim column",
        ),
        (
            HEADER,
            "claim,test-x,X,criticism,24,,0.5,,weak-safeguards,W,L,,test-web-doc,,,,,,,,\n",
            "qualify 'about_inferred', which is empty",
        ),
    ],
)
def test_template_mistakes_are_one_line_errors(tmp_path, contrib, capsys, header, row, message):
    path = _submission(tmp_path, row, header=header)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and len(err.strip().splitlines()) == 1


def test_templates_offer_the_new_columns(capsys):
    assert main(["template", "claim"]) == 0
    claim = capsys.readouterr().out
    assert "# locator:" in claim and "# about_inferred:" in claim and "# note:" in claim
    assert main(["template", "document"]) == 0
    document = capsys.readouterr().out
    assert "# url:" in document and "# date_read:" in document and "statement | submission" in document


# --- the shipped contributions stay read-only for later submissions -----------------------------


def test_shipped_contributions_are_read_wherever_submissions_go(contrib):
    from treatykg.model.sources import iter_sources

    contrib.mkdir(parents=True, exist_ok=True)
    relatives = [s.relative for s in iter_sources() if s.relative.startswith("contrib/")]
    assert len(relatives) == len(list(SHIPPED.glob("*.ttl")))


def test_a_submission_cannot_change_a_shipped_contribution(tmp_path, contrib, capsys):
    attack = write(
        tmp_path,
        "attack.ttl",
        "@prefix doc: <https://w3id.org/treatykg/doc/> .\n"
        "@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n"
        "@prefix stance: <https://w3id.org/treatykg/vocab/stance/> .\n"
        "doc:ohchr-information-note-2024-07 tkg:overallStance stance:support .\n",
    )
    assert main(["add", str(attack)]) == 1
    out = capsys.readouterr().out
    assert "refused: doc:ohchr-information-note-2024-07 tkg:overallStance stance:support" in out
    assert not list(contrib.glob("*.ttl"))
