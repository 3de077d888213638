"""Stakeholder and provision pages name things (issue 17, item 1): no raw IRI where a label
exists, the stakeholder not repeated on every row, provisions in treaty order, and the "who" of a
claim as names, not a count."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from .test_pages import _html

RAW_LINK = re.compile(r'<a href="([^"]*)"[^>]*>\s*(https://w3id\.org/treatykg[^<]*)</a>')
STAKEHOLDER_LINK = re.compile(r'href="(/(?:org|person)/[^"#?]+)"')


def test_stakeholder_page_names_provisions_and_documents_in_treaty_order(server):
    status, page = _html(server, "/org/electronic-frontier-foundation")
    assert status == 200
    section = page.split('<section id="criticises">')[1].split("</section>")[0]
    assert "https://w3id.org/treatykg" not in section
    assert '<a href="/uncc/art_4">Article 4</a>' in section
    assert '<a href="/doc/joint-letter-eu-vote-no">Joint letter to the EU' in section
    # the stakeholder is the page's subject, not a column repeated on every row
    assert section.count("Electronic Frontier Foundation") == 0
    order = [int(n) for n in re.findall(r'rowgroup[^>]*><a href="/uncc/art_(\d+)"', section)]
    assert order[:2] == [4, 18] and 36 in order and order == sorted(order)
    assert section.index('href="/uncc/preamble"') < section.index('href="/uncc/art_4"')


def test_claims_who_names_issuer_and_signatories(server):
    status, page = _html(server, "/uncc/art_24")
    assert status == 200
    claims = page.split('<section id="claims">')[1].split("</section>")[0]
    assert "issuers and signatories" not in claims
    # the joint letter has 29 signatories; under "non-governmental organisation" (issue 19: claims by
    # kind of stakeholder) its 25 NGOs: three names, then "and 22 more"
    assert (
        '<a href="/org/access-now">Access Now</a>, <a href="/org/amnesty-international">Amnesty International</a>'
        in claims
    )
    assert '<a href="/doc/joint-letter-eu-vote-no#people">and 22 more</a>' in claims


def test_no_stakeholder_page_links_a_raw_iri(server):
    """Crawl every /org/* and /person/* page linked from the stakeholder list."""
    status, listing = _html(server, "/stakeholders")
    assert status == 200
    paths = sorted(set(STAKEHOLDER_LINK.findall(listing)))
    assert len(paths) > 100

    def raw_links(path: str) -> tuple[str, int, list[str]]:
        code, page = _html(server, path)
        return path, code, [text for _, text in RAW_LINK.findall(page)]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(raw_links, paths))
    assert all(code == 200 for _, code, _ in results), [(p, c) for p, c, _ in results if c != 200]
    offenders = {path: raw for path, _, raw in results if raw}
    assert offenders == {}


def test_treaty_order_doctests():
    import doctest

    import treatykg.web.order

    result = doctest.testmod(treatykg.web.order, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1 and result.failed == 0


def test_query_page_names_each_joined_concern(server):
    """criticisms gives one row per claim, its concerns joined in one cell (issue 17): the query
    page shows each concern by name, linked to its concept page, not a string of IRIs."""
    status, page = _html(server, "/queries/criticisms?provision=28(4)")
    assert status == 200
    table = page.split("<table")[1].split("</table>")[0]
    assert "https://w3id.org/treatykg/vocab/concern/" not in table
    assert (
        '<a href="/vocab/concern/compelled-assistance">compelled assistance</a>; '
        '<a href="/vocab/concern/surveillance">surveillance powers</a>'
    ) in table
