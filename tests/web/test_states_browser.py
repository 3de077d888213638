"""Browser test of the States pages (issue 18): the tile map renders in Chromium, a square leads to the
State's page, and that page's "same as a question" link answers with the same rows."""

from __future__ import annotations

from .test_browser import _shot, browser, page  # noqa: F401  (fixtures)


def test_tile_map_leads_to_a_state_page(server, page):  # noqa: F811
    page.goto(f"{server}/states")
    tiles = page.locator("svg g.tile")
    assert tiles.count() == 196
    box = page.locator("svg").first.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 500
    assert _shot(page, "states-map").stat().st_size > 20_000
    page.locator('svg a[href="/states/france"]').click()
    page.wait_for_url("**/states/france")
    assert page.locator("h1").inner_text() == "France"
    table = page.locator("table.results tbody").inner_text()
    assert "France signs the UN Convention against Cybercrime" in table and "2025-10-25" in table
    assert "FRA" in table
    page.get_by_role("link", name="The same as a question").click()
    page.wait_for_selector("table.results")
    assert "France signs the UN Convention against Cybercrime" in page.locator("table.results tbody").inner_text()
    _shot(page, "state-france")
