"""Browser tests: Playwright drives Debian's Chromium (headless) against a real ``treatykg
serve``. A policy analyst's three tasks: read an article page, run a canned query from its form
and read the table, paste a bad statement and read the report. Screenshots are saved to
``test-artifacts/`` (git-ignored) for a human to look at.

Set-up: Playwright's own browser download does not work on a closed network, so the tests use
``/usr/bin/chromium``. If it is missing and we are root with apt-get, the fixture installs
Debian's ``chromium`` package (once; set TREATYKG_NO_INSTALL=1 to forbid it); otherwise the tests
are skipped with a message that says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _install_chromium() -> str | None:
    if os.environ.get("TREATYKG_NO_INSTALL") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    if not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "chromium"],
            env=env,
            check=True,
            timeout=900,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except (subprocess.SubprocessError, OSError):
        try:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True, timeout=600, capture_output=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-q", "chromium"], env=env, check=True, timeout=900, capture_output=True
            )
        except (subprocess.SubprocessError, OSError):
            return None
    return _chromium()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")
    executable = _chromium() or _install_chromium()
    if executable is None:
        pytest.skip("no Chromium: install Debian's 'chromium' package (apt-get install chromium) to run browser tests")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _shot(page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_article_page(server, page):
    page.goto(f"{server}/")
    page.get_by_role("link", name="Article 47", exact=True).first.click()
    page.wait_for_url("**/uncc/art_47")
    assert page.locator("h1").inner_text() == "Article 47: Law enforcement cooperation"
    not_reached = page.locator("#not-reached")
    assert "Article 24" in not_reached.inner_text()
    assert "Article 24" not in page.locator("#reached").inner_text()
    claims = page.locator("#claims table tbody tr")
    assert claims.count() >= 5
    assert _shot(page, "article-47").stat().st_size > 10_000


def test_canned_query_from_its_form(server, page):
    page.goto(f"{server}/queries")
    page.get_by_role("link", name="Who criticises a provision").click()
    page.get_by_label("provision").fill("28(4)")
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("table.results")
    header = page.locator("table.results thead th").all_inner_texts()
    assert header[:2] == ["provision", "stakeholder"]
    rows = page.locator("table.results tbody tr")
    first_cells = set(rows.locator("td:first-child").all_inner_texts())
    assert first_cells == {"Article 28(4)"}
    assert "ARTICLE 19" in page.locator("table.results tbody").inner_text()
    _shot(page, "query-critics-28-4")
    csv_link = page.get_by_role("link", name="CSV")
    assert "format=csv" in csv_link.get_attribute("href") and "provision=28%284%29" in csv_link.get_attribute("href")


def test_bad_statement_report(server, page):
    page.goto(f"{server}/check")
    bad = (REPO / "tests" / "conformance" / "bad" / "claim-unknown-article.ttl").read_text()
    page.get_by_label("Turtle").fill(bad)
    page.get_by_role("button", name="Check").click()
    lines = page.locator("ol.report-lines")
    lines.wait_for()
    first = lines.locator("li").first
    assert first.locator(".where").inner_text() == "pasted.ttl:26"
    assert first.locator(".field").inner_text() == "tkg:about"
    assert "claim:test-art-99" in first.inner_text() and "did you mean uncc:art_9" in first.inner_text()
    page.locator("details", has_text="The report as text").locator("summary").click()
    text = page.locator("#report").inner_text()
    assert "pasted.ttl:26: Violation [tkg:about] claim:test-art-99" in text
    assert page.locator(".report h2").inner_text() == "Problems found"
    # the report wraps: nothing is wider than the 1280 px window
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    _shot(page, "check-bad-statement")


def test_sparql_editor_and_pictures(server, page):
    page.goto(f"{server}/sparql")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("table.results")
    assert "Article 47(1)" in page.locator("table.results").inner_text()
    page.goto(f"{server}/pictures")
    assert page.locator("svg.picture").count() == 2
    page.locator('svg a[href="/uncc/art_24"] circle').first.click()
    page.wait_for_url("**/uncc/art_24")
    _shot(page, "article-24-from-picture")


def test_security_policy_keeps_styles_and_pictures(server, page):
    """The Content-Security-Policy (no script, our stylesheet only) breaks nothing a reader sees:
    no violation is reported, the stylesheet applies, the inline SVG pictures are drawn."""
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    for path in ("/", "/uncc/art_24", "/queries/critics?provision=28(4)", "/check", "/sparql", "/pictures"):
        response = page.goto(f"{server}{path}")
        assert "script-src 'none'" in response.headers["content-security-policy"]
        # style.css applied: the header's soft background and the results tables' collapsed borders
        assert page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(245, 247, 249)"
    pictures = page.locator("svg.picture")
    assert pictures.count() == 2
    for index in range(2):
        box = pictures.nth(index).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 300
    assert refused == []
    _shot(page, "pictures-under-csp")


def test_inferred_badge_is_visible_on_article_24(server, page):
    """Cited or inferred is written out (not colour alone) and visible on the provision's page."""
    page.goto(f"{server}/uncc/art_24")
    # the claims are grouped by kind of stakeholder (issue 19): a joint statement's claim is listed
    # under each kind of its signatories; read it under the NGOs
    ngos = page.locator("#claims #kind-ngo")
    row = ngos.locator("tbody tr", has=page.locator('a[href="/claim/js-weak-procedural-chapter-safeguards"]'))
    badge = row.locator(".badge.inferred")
    assert badge.is_visible()
    assert badge.inner_text() == "inferred (confidence 0.7)"
    assert "Article 24 of the final text" in row.locator(".reason").inner_text()
    cited = ngos.locator("tbody tr", has=page.locator('a[href="/claim/jl-art-24-missing-principles"]'))
    assert cited.locator(".badge.cited").is_visible()


def test_documents_page_fits_at_1280_pixels(server, page):
    """The documents of the debate by kind (issue 19): a table per kind, no sideways scrolling."""
    page.goto(f"{server}/")
    page.locator("header.site").get_by_role("link", name="Documents").click()
    page.wait_for_url("**/documents")
    assert page.locator("h1").inner_text().startswith("Documents of the debate (")
    sections = page.locator("section.kind-section h2").all_inner_texts()
    assert sections[0].startswith("Non-governmental organisation") and len(sections) >= 8
    ngo = page.locator("#kind-ngo tbody tr")
    assert ngo.count() >= 10 and "Access Now" in ngo.filter(has_text="Joint letter to the EU").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert _shot(page, "documents-by-kind").stat().st_size > 10_000


# --- issue 17: find and browse ----------------------------------------------------------------------


def test_search_box_finds_an_article(server, page):
    page.goto(f"{server}/stakeholders")
    page.locator("header.site").get_by_role("searchbox").fill("Art. 28(4)")
    page.locator("header.site").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ol.hits li")
    assert hits.first.get_by_role("link").inner_text() == "Article 28(4)"
    hits.first.get_by_role("link").click()
    page.wait_for_url("**/uncc/art_28__para_4")
    assert page.locator("h1").inner_text().startswith("Article 28(4)")
    _shot(page, "search-article-28-4")


def test_concept_page_lists_its_claims(server, page):
    page.goto(f"{server}/search?q=surveillance&kind=concept")
    page.get_by_role("link", name="surveillance powers").click()
    page.wait_for_url("**/vocab/concern/surveillance")
    heading = page.locator("#claims h2").inner_text()
    assert heading.startswith("Claims that raise this concern (")
    rows = page.locator("#claims tbody tr")
    assert rows.count() >= 20
    assert rows.filter(has=page.locator('a[href="/claim/a19-art-29-bulk-surveillance"]')).count() == 1
    page.locator("#topics").get_by_role("link", name="data protection", exact=False).first.click()
    page.wait_for_url("**/vocab/concern/data-protection")
    _shot(page, "concept-data-protection")


def test_stakeholder_page_names_in_treaty_order_and_fits(server, page):
    page.goto(f"{server}/org/electronic-frontier-foundation")
    groups = page.locator("#criticises tbody th[scope=rowgroup]").all_inner_texts()
    assert groups[:3] == ["United Nations Convention against Cybercrime", "Preamble", "Chapter II"]
    articles = [int(g.split()[1].split("(")[0]) for g in groups if g.startswith("Article ")]
    # Article 2(h) first since issue 19: EFF's joint statement of October 2025 (graph/contrib/), a
    # link we inferred; then Article 4, as before
    assert articles == sorted(articles) and articles[:2] == [2, 4] and 36 in articles
    cells = page.locator("#criticises tbody").all_inner_texts()
    assert "https://w3id.org/treatykg" not in " ".join(cells)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    _shot(page, "stakeholder-eff")


def test_check_page_template_download(server, page):
    from treatykg.statements.templates import template_csv

    page.goto(f"{server}/check")
    with page.expect_download() as info:
        page.locator("#templates").get_by_role("link", name="CSV").first.click()
    download = info.value
    assert download.suggested_filename == "treatykg-claim.csv"
    assert Path(download.path()).read_text(encoding="utf-8") == template_csv("claim")
