"""Every article page links the official text and says plainly where our description is missing
and why (issue 17, item 4)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from .test_pages import _html

UN_DOCUMENTS = '<a href="https://docs.un.org/en/A/RES/79/243">General Assembly resolution A/RES/79/243</a>'
UNTC = (
    '<a href="https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml">'
    "UN Treaty Collection, XVIII-16</a>"
)


def test_every_article_page_links_the_official_text(server):
    status, home = _html(server, "/")
    assert status == 200
    articles = sorted(set(re.findall(r'href="(/uncc/art_\d+)"', home)))
    assert len(articles) == 68

    def official(path: str) -> tuple[str, int, str]:
        code, page = _html(server, path)
        section = page.split('<section id="official">')[1].split("</section>")[0] if 'id="official"' in page else ""
        return path, code, section

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(official, articles))
    missing = [p for p, code, section in results if code != 200 or UN_DOCUMENTS not in section or UNTC not in section]
    assert missing == []


def test_a_missing_description_says_why(server):
    status, page = _html(server, "/uncc/art_50")
    assert status == 200
    section = page.split('<section id="description">')[1].split("</section>")[0]
    assert "We have no description of Article 50 yet: no English source for its text was available to us" in section
    assert "Read it in the official text above." in section


def test_a_description_from_a_secondary_source_says_so(server):
    status, page = _html(server, "/uncc/art_29__para_3")
    assert status == 200
    section = page.split('<section id="description">')[1].split("</section>")[0]
    assert "Requires measures obliging a service provider" in section
    assert (
        "Evidence for this description: attested by a secondary source; it does not rest on the official English text"
        in section
    )


def test_budapest_articles_do_not_claim_the_un_text(server):
    status, page = _html(server, "/budapest/art_19")
    assert status == 200 and "docs.un.org" not in page
