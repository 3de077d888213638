"""The debate by kind of stakeholder on the site (issue 19, item 5): ``/documents`` lists every
document of the graph under the kind of the stakeholders behind it, oldest first, with its public
copy where the graph records one; a provision page groups its claims by kind.

The expected figures are read from the graph with rdflib (``union_graph``: the curated graph and
the shipped contributions), not from the page's own query."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS, SKOS

from treatykg.model.iri import PREFIXES

from .test_pages import _html

TKG = PREFIXES["tkg"]
KIND = PREFIXES["stkind"]
SCHEME = URIRef(KIND.rstrip("/"))
SECTION = re.compile(r'<section class="kind-section" id="kind-([a-z0-9-]+)">(.*?)</section>', re.S)
ROW = re.compile(r"<tr[^>]*><td><a href=\"/doc/([^\"]+)\">.*?</tr>", re.S)
KIND_DIV = re.compile(r'<div class="kind-section" id="kind-([a-z0-9-]+)">(.*?)</table></div>\s*</div>', re.S)


def _t(local: str) -> URIRef:
    return URIRef(TKG + local)


def _top(graph, kind: URIRef) -> set[str]:
    """The top concepts of the stakeholder-kind scheme above ``kind`` (itself if it is one)."""
    seen, todo, tops = set(), [kind], set()
    while todo:
        k = todo.pop()
        if k in seen:
            continue
        seen.add(k)
        if (k, SKOS.topConceptOf, SCHEME) in graph:
            tops.add(str(k).removeprefix(KIND))
        todo.extend(graph.objects(k, SKOS.broader))
    return tops


def _expected(graph) -> dict[str, set[str]]:
    """Kind slug -> the documents behind which stand stakeholders of that kind (issuers, else
    signatories); ``none`` for documents with neither."""
    out: dict[str, set[str]] = defaultdict(set)
    for document in graph.subjects(RDF.type, _t("StatementDocument")):
        slug = str(document).removeprefix(PREFIXES["doc"])
        behind = list(graph.objects(document, _t("issuedBy"))) or list(graph.objects(document, _t("signedBy")))
        kinds = {
            top for who in behind for kind in graph.objects(who, _t("stakeholderKind")) for top in _top(graph, kind)
        }
        for kind in kinds or {"none"}:
            out[kind].add(slug)
    return out


def _start(date: str) -> str | None:
    """The date a row is ordered by, read back from what the page shows."""
    if date == "undated":
        return None
    found = re.findall(r"\d{4}-\d{2}-\d{2}", date)
    return found[0] if found else None


def test_documents_page_lists_exactly_the_graph_documents_by_kind(server, union_graph):
    expected = _expected(union_graph)
    documents = set().union(*expected.values())
    status, page = _html(server, "/documents")
    assert status == 200
    assert f"<h1>Documents of the debate ({len(documents)})</h1>" in page and len(documents) >= 31
    sections = {kind: body for kind, body in SECTION.findall(page)}
    shown = {kind: ROW.findall(body) for kind, body in sections.items()}
    assert {kind: set(rows) for kind, rows in shown.items()} == dict(expected)
    assert all(len(rows) == len(set(rows)) for rows in shown.values()), "a document twice under one kind"
    # each section says how many, as the graph counts them
    for kind, body in sections.items():
        assert re.search(rf"\({len(expected[kind])} documents?\)</span></h2>", body), kind
    # the EU (a regional organisation and a regional economic integration organisation) once
    assert "regional-economic-integration-organisation" not in sections
    assert shown["regional-organisation"] == [
        "council-eu-signature-decision-2025-10-13",
        "eu-declaration-signing-ceremony-2025-10",
    ]
    # the fixed order: civil society first, the news digest (no issuer, no signatory) last
    order = list(sections)
    assert order[0] == "ngo" and order[-1] == "none"
    assert order.index("industry-body") < order.index("un-body") < order.index("state")


def test_documents_are_oldest_first_within_each_kind(server):
    status, page = _html(server, "/documents")
    assert status == 200
    for kind, body in SECTION.findall(page):
        dates = [_start(d) for d in re.findall(r'<td class="date">([^<]*)</td>', body)]
        assert dates and all(dates), kind  # every document of the graph is dated
        assert dates == sorted(dates), kind
    ngo = dict(SECTION.findall(page))["ngo"]
    assert ngo.index("/doc/hrw-statement-first-session-2022-03") < ngo.index("/doc/joint-letter-eu-vote-no")


def test_each_row_says_who_when_what_and_where_to_read_it(server, union_graph):
    status, page = _html(server, "/documents")
    assert status == 200
    ngo = dict(SECTION.findall(page))["ngo"]
    row = next(r for r in re.findall(r"<tr>.*?</tr>", ngo, re.S) if "/doc/joint-letter-eu-vote-no" in r)
    # no issuer recorded: its 25 NGO signatories (of 29), by name, and where to read it
    assert "(signatories; no issuer named)" in row and "and 22 more" in row
    assert '<a href="/org/access-now">Access Now</a>' in row
    assert "between 2024-08-09 and 2024-12-24" in row and "joint letter" in row and "reject" in row
    source = str(union_graph.value(URIRef(PREFIXES["doc"] + "joint-letter-eu-vote-no"), DCTERMS.source))
    assert f'href="{source}"' in row and ">hrw.org</a>" in row
    letter = URIRef(PREFIXES["doc"] + "joint-letter-eu-vote-no")
    derived = set(union_graph.subjects(URIRef(PREFIXES["prov"] + "wasDerivedFrom"), letter))
    claims = len(derived & set(union_graph.subjects(RDF.type, _t("Claim"))))
    assert f"<td>{claims}</td>" in row
    # the EFF briefing: no public copy in the graph, and it says so
    row = next(r for r in re.findall(r"<tr>.*?</tr>", ngo, re.S) if "/doc/eff-briefing-negotiations" in r)
    assert "no public copy known" in row and '<a href="http' not in row


def test_documents_page_filters_by_kind_and_refuses_a_hostile_one(server):
    status, page = _html(server, "/documents?kind=industry-body")
    assert status == 200 and "<h1>Documents of the debate: industry body (3)</h1>" in page
    assert [kind for kind, _ in SECTION.findall(page)] == ["industry-body"]
    assert "/doc/microsoft-linkedin-post-2023-08" not in page  # a company, not an industry body
    status, page = _html(server, "/documents?kind=%7D%20%3B%20DROP%20ALL%20%3B%20%23")
    assert status == 400 and SECTION.findall(page) == []
    assert "kind: unknown stakeholder kind &#39;} ; DROP ALL ; #&#39;; use any or one of academic" in page
    status, page = _html(server, "/documents?kind=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 400 and "<script>alert" not in page and "kind: unknown stakeholder kind" in page


def test_home_and_navigation_link_the_documents_page(server):
    status, page = _html(server, "/")
    assert status == 200
    main = page.split('<main id="main">')[1]
    assert '<a href="/documents">' in main  # from the home page itself
    assert '<a href="/documents">Documents</a>' in page.split("</header>")[0]  # and the navigation


def test_article_24_groups_its_claims_by_kind_of_stakeholder(server):
    status, page = _html(server, "/uncc/art_24")
    assert status == 200
    claims = page.split('<section id="claims">')[1].split('<section id="cite">')[0]
    kinds = dict(KIND_DIV.findall(claims))
    assert len(kinds) >= 3 and {"ngo", "media-freedom-organisation", "industry-body"} <= set(kinds)
    order = list(kinds)
    assert order.index("ngo") < order.index("media-freedom-organisation") < order.index("industry-body")
    # the joint letter's claim is civil society's (its signatories), not industry's
    letter = 'href="/claim/jl-art-24-missing-principles"'
    assert letter in kinds["ngo"] and letter in kinds["media-freedom-organisation"]
    assert letter not in kinds["industry-body"]
    # ... with the signatories of that kind: IPI and IFEX under media freedom, not Access Now
    press = re.search(
        r"<tr>(?:(?!</tr>).)*jl-art-24-missing-principles.*?</tr>", kinds["media-freedom-organisation"], re.S
    )
    assert press and 'href="/org/international-press-institute"' in press.group(0)
    assert 'href="/org/access-now"' not in press.group(0)
    # the ICC's claim (an industry body; a link we inferred) under industry, with its reason and locator
    icc = kinds["industry-body"]
    assert 'href="/doc/icc-global-business-reject-2024"' in icc and "inferred (confidence" in icc
    assert "(not quoted: read on the web)" in icc and "why:" in icc
    # quotes of the source documents are kept; the official text, description and references too
    assert "<q>rather than to the Convention as a whole</q>" in kinds["ngo"]
    assert '<section id="official">' in page and '<section id="description">' in page
    assert "<h2>Cross-references</h2>" in page
    # the section counts claims, and the total is unchanged
    total = int(re.search(r"What the debate says \((\d+) claims\)", page).group(1))
    assert total >= 13
    assert all(int(n) <= total for n in re.findall(r'<span class="muted">\((\d+) claims?\)</span></h3>', claims))


def test_kind_order_doctests():
    import doctest

    import treatykg.web.bykind

    result = doctest.testmod(treatykg.web.bykind)
    assert result.attempted >= 1 and result.failed == 0


def test_the_documents_question_offers_the_kinds_and_refuses_an_unknown_one(server):
    status, page = _html(server, "/queries/documents")
    assert status == 200 and 'list="choices-kind"' in page
    assert '<option value="ngo">non-governmental organisation</option>' in page
    status, page = _html(server, "/queries/documents?kind=industry-body")
    assert status == 200 and 'href="/doc/icc-global-business-reject-2024"' in page
    assert 'href="/doc/microsoft-linkedin-post-2023-08"' not in page
    status, page = _html(server, "/queries/documents?kind=nope")
    assert status == 400 and "--param kind: unknown stakeholder kind &#39;nope&#39;" in page
