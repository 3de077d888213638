"""The States pages (issue 18): the tile map is valid SVG with one linked square per State, coloured by
what the sources record, and a State's page shows its acts and what documents say of it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .test_protocol import _request

SVG = "{http://www.w3.org/2000/svg}"


def test_tile_map_has_one_linked_square_per_state(server):
    status, headers, body = _request(server + "/states/map.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(body)
    tiles = root.findall(f".//{SVG}g[@class='tile']")
    assert len(tiles) == 196  # 193 Member States, 2 observer States, the European Union
    links = {a.get("href") for a in root.iter(SVG + "a")}
    assert {"/states/france", "/states/vietnam", "/states/european-union", "/states/holy-see"} <= links
    status_of = {}
    for a in root.iter(SVG + "a"):
        tile = a.find(f"{SVG}g")
        status_of[a.get("href")] = tile.get("data-status")
    assert status_of["/states/france"] == "signed" and status_of["/states/united-states"] == "neither"
    assert sum(s == "signed" for s in status_of.values()) == 72
    assert not any(s == "ratified" for s in status_of.values())


def test_states_index_and_a_state_page(server):
    status, _, body = _request(server + "/states", headers={"Accept": "text/html"})
    text = body.decode("utf-8")
    assert status == 200 and "<svg" in text and 'href="/states/mauritius"' in text
    status, _, body = _request(server + "/states/russian-federation", headers={"Accept": "text/html"})
    text = body.decode("utf-8")
    assert status == 200 and "<h1>Russian Federation</h1>" in text
    assert "Russian Federation signs the UN Convention against Cybercrime" in text
    assert "Russian proposal to negotiate a UN cybercrime treaty" in text
    assert "RUS" in text and "/event/russian-federation-uncc-signature" in text


def test_unknown_and_hostile_state_slugs_are_404(server):
    for path in ("/states/atlantis", "/states/FRANCE", "/states/%22%3E%3Cscript%3E", "/states/a--b"):
        status, _, _ = _request(server + path, headers={"Accept": "text/html"})
        assert status == 404, path


def test_a_state_page_shows_its_positions_with_their_sources(server):
    """Item 6: the United Kingdom's own statements (gov.uk) and the 2019 vote the Russian record reports."""
    status, _, body = _request(server + "/states/united-kingdom", headers={"Accept": "text/html"})
    text = body.decode("utf-8")
    assert status == 200 and "<h1>United Kingdom</h1>" in text
    assert "support: Article 24&#39;s safeguards are a binding obligation" in text
    gov_uk = "https://gov.uk/government/speeches/human-rights-must-be-protected-uk-statement-at-the-un-third-committee"
    assert f'href="{gov_uk}"' in text
    assert "draft resolution in the Third Committee (voted against)" in text and ">www.mid.ru</a>" in text
    # Iran's page has its own positions, not the United Kingdom's.
    status, _, body = _request(server + "/states/iran", headers={"Accept": "text/html"})
    text = body.decode("utf-8")
    assert "Human-rights provisions do not belong in a criminal-justice convention" in text
    assert "binding obligation" not in text
