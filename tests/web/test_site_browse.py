"""Find and browse (issue 17, item 2): the search box, concept pages listing the claims that raise a
concern, the stakeholder list by kind, query forms offering documents and stakeholders, the table
of contents with the preamble and "expand all", and claim counts that agree."""

from __future__ import annotations

import re
import urllib.parse

from treatykg.web.search import MAX_QUERY_CHARS, SearchIndex, fold

from .test_pages import _html


def _hits(page: str) -> list[str]:
    return re.findall(r'<li><span class="kind">\w+</span> <a href="([^"]+)"', page)


def test_search_finds_provisions_stakeholders_documents_claims_and_concepts(server):
    status, page = _html(server, "/search?q=article+24")
    assert status == 200
    assert _hits(page)[:2] == ["/uncc/art_24", "/uncc/art_24__para_1"]
    status, page = _html(server, "/search?q=Art.+28(4)")  # as lawyers write it
    assert _hits(page)[0] == "/uncc/art_28__para_4"
    status, page = _html(server, "/search?q=access+now")
    assert _hits(page)[0] == "/org/access-now"
    status, page = _html(server, "/search?q=surveillance&kind=concept")
    assert _hits(page) == ["/vocab/concern/surveillance"]
    status, page = _html(server, "/search?q=joint+letter&kind=document")
    assert "/doc/joint-letter-eu-vote-no" in _hits(page)
    status, page = _html(server, "/search?q=bulk+surveillance")
    assert "/claim/a19-art-29-bulk-surveillance" in _hits(page)
    # every page carries the search box
    status, page = _html(server, "/uncc/art_4")
    assert '<form class="site-search" method="get" action="/search" role="search">' in page


def test_search_input_is_bounded_and_inert(server):
    status, page = _html(server, "/search?q=" + "a" * (MAX_QUERY_CHARS + 1))
    assert status == 400 and f"at most {MAX_QUERY_CHARS} characters" in page
    status, page = _html(server, "/search?q=x&kind=%3Cscript%3E")
    assert status == 400 and "<script>" not in page and "kind: unknown kind" in page
    hostile = '" } ; DROP ALL ; <script>alert(1)</script>'
    status, page = _html(server, "/search?q=" + urllib.parse.quote(hostile))
    assert status == 200 and "<script>alert(1)</script>" not in page and "Nothing found" in page
    status, page = _html(server, "/search?q=the")
    assert status == 200 and len(_hits(page)) == 50 and "(the first 50)" in page


def test_search_index_ranks_exact_names_first():
    from treatykg.engine.store import Term

    def row(item, kind, name, label=None):
        return {
            "item": Term("uri", item),
            "kind": Term("literal", kind),
            "name": Term("literal", name),
            "label": Term("literal", label or name),
        }

    index = SearchIndex.from_rows(
        [
            row("https://w3id.org/treatykg/uncc/art_36", "provision", "Article 36"),
            row("https://w3id.org/treatykg/uncc/art_4", "provision", "Article 4"),
            row("https://w3id.org/treatykg/org/x", "stakeholder", "ACSC", "Área de Ciência"),
            row("https://w3id.org/treatykg/org/x", "stakeholder", "Área de Ciência"),
        ]
    )
    assert [h.iri[-5:] for h in index.search("article")] == ["art_4", "rt_36"]
    hit = index.search("acsc")[0]
    assert (hit.label, hit.matched) == ("Área de Ciência", "ACSC")
    assert index.search("area de ciencia")[0].score == 0 and fold(" Área  X ") == "area x"


def test_concept_page_lists_the_claims_raising_the_concern(server):
    status, page = _html(server, "/vocab/concern/surveillance")
    assert status == 200
    claims = page.split('<section id="claims">')[1].split("</section>")[0]
    count = int(re.search(r"Claims that raise this concern \((\d+) claims\)", claims).group(1))
    assert count >= 29 and claims.count("<tr><td>") == count
    assert 'href="/claim/a19-art-29-bulk-surveillance"' in claims
    assert '<a href="/uncc/art_29">Article 29</a>' in claims
    topics = page.split('<section id="topics">')[1].split("</section>")[0]
    assert 'href="/vocab/concern/data-protection"' in topics and "<strong>surveillance powers</strong>" in topics


def test_stakeholder_list_filters_by_kind(server):
    status, page = _html(server, "/stakeholders")
    ngos = int(
        re.search(r'<a href="/stakeholders\?kind=ngo">non-governmental organisation \((\d+)\)</a>', page).group(1)
    )
    states = int(re.search(r'<a href="/stakeholders\?kind=state">State \((\d+)\)</a>', page).group(1))
    assert ngos >= 80 and states >= 6
    status, page = _html(server, "/stakeholders?kind=state")
    assert status == 200 and f"<h1>Stakeholders: State ({states})</h1>" in page
    assert page.count("<tr><td><a href=") == states and 'href="/org/access-now"' not in page
    status, page = _html(server, "/vocab/stakeholder-kind/state")  # from the kind's own page
    assert status == 200 and '<a href="/stakeholders?kind=state">The stakeholders of this kind</a>' in page
    status, page = _html(server, "/stakeholders?kind=nope")
    assert status == 400 and "unknown stakeholder kind &#39;nope&#39;" in page


def test_query_forms_offer_stakeholders_and_documents(server):
    status, page = _html(server, "/queries/stakeholder-claims")
    assert status == 200 and 'list="choices-stakeholder"' in page
    assert '<option value="access-now">Access Now</option>' in page
    status, page = _html(server, "/queries/document-claims")
    assert '<option value="joint-letter-eu-vote-no">' in page


def test_table_of_contents_links_the_preamble_and_expands(server):
    status, page = _html(server, "/")
    assert '<p class="preamble"><a href="/uncc/preamble">Preamble</a></p>' in page
    assert '<a href="/?expand=all#toc">Expand all chapters</a>' in page
    assert page.count('<details class="chapter" open') == 2
    status, page = _html(server, "/?expand=all")
    assert status == 200
    assert page.count('<details class="chapter" open') == 9


def test_claim_counts_agree_between_contents_and_article_page(server):
    status, home = _html(server, "/")
    toc = int(re.search(r'href="/uncc/art_24">Article 24</a>.*?(\d+) claims about', home, re.S).group(1))
    status, page = _html(server, "/uncc/art_24")
    assert status == 200
    shown = int(re.search(r"What the debate says \((\d+) claims\)", page).group(1))
    assert toc == shown >= 13
    assert int(re.search(r"graph holds (\d+) claims", home).group(1)) >= 203


def test_home_page_browses_by_concern(server):
    status, page = _html(server, "/")
    assert status == 200
    topics = page.split('<section id="topics">')[1].split("</section>")[0]
    counts = dict(
        re.findall(r'<a href="(/vocab/concern/[^"]+)">[^<]+</a> <span class="muted">\((\d+)\)</span>', topics)
    )
    assert "/vocab/concern/surveillance" in counts and "/vocab/concern/weak-safeguards" in counts
    # the home page's count is the concept page's count
    status, concept = _html(server, "/vocab/concern/surveillance")
    shown = re.search(r"Claims that raise this concern \((\d+) claims\)", concept).group(1)
    assert counts["/vocab/concern/surveillance"] == shown


def test_a_stakeholder_of_two_kinds_is_listed_once(server):
    """The EU is a regional organisation and a regional economic integration organisation: the
    list names it once, with both kinds, not on two rows."""
    status, page = _html(server, "/stakeholders")
    assert status == 200
    rows = re.findall(r'<tr><td><a href="/org/european-union">[^<]*</a></td><td>([^<]*)</td>', page)
    assert len(rows) == 1
    assert "regional economic integration organisation" in rows[0].casefold() and ", " in rows[0]
    every = re.findall(r'<tr><td><a href="(/(?:org|person)/[^"]+)"', page)
    assert len(every) == len(set(every)) > 195
