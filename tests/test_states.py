"""The States and the treaty's life (issue 18): every State one node, acts with sources, the canned
queries answering from the sources, and article 65(1)'s count on a small graph built for the test.

Expected rows come from a reading of the sources (graph/states/treaty-life.ttl names them): for instance
the news report of 29 October 2025 names thirteen EU Member States that signed beside the Union, and the
depositary's and the Dutch treaty database's tables date Mauritius's signature 19 November 2025.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from treatykg.engine.catalogue import Catalogue
from treatykg.model.iri import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
STK = PREFIXES["stk"]
EVENT = PREFIXES["event"]
TKG = PREFIXES["tkg"]

#: The EU Member States that signed on their own in Hanoi, as the NewsHour report of 29 October 2025 lists them.
EU_MEMBERS_SIGNED = {
    "austria", "belgium", "czechia", "greece", "france", "ireland", "luxembourg",
    "poland", "portugal", "slovakia", "slovenia", "spain", "sweden",
}  # fmt: skip


def _build_script():
    spec = importlib.util.spec_from_file_location("build_states", ROOT / "scripts" / "build_states.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generated_files_are_what_the_script_writes():
    """The committed graph/states files are the script's output (run scripts/build_states.py)."""
    pytest.importorskip("pycountry")
    build = _build_script()
    states = build.load_states()
    assert (ROOT / "graph/states/states.ttl").read_text(encoding="utf-8") == build.render_states(states)
    assert (ROOT / "graph/states/acts.ttl").read_text(encoding="utf-8") == build.render_acts(states)


def test_membership_list_has_193_members_and_2_observers():
    pytest.importorskip("pycountry")
    states = _build_script().load_states()
    assert sum(s.status == "member" for s in states) == 193
    assert {s.slug for s in states if s.status == "observer"} == {"holy-see", "palestine"}
    assert len({s.alpha3 for s in states}) == 195


def _select(kg, text: str) -> list[dict[str, str]]:
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    return kg.sparql(prefixes + text).values()


def test_every_state_is_one_node_with_its_codes(kg):
    rows = _select(kg, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a tkg:State }")
    assert rows == [{"n": "195"}]
    # The six States the seeds mention keep their slugs and are the same nodes (no second IRI).
    for slug in ("russian-federation", "china", "united-states", "india", "brazil"):
        found = _select(kg, f"SELECT ?l WHERE {{ stk:{slug} a tkg:State ; rdfs:label ?l }}")
        assert len({r["l"] for r in found}) == 1, slug
    named_china = _select(kg, 'SELECT DISTINCT ?s WHERE { ?s rdfs:label|skos:altLabel|skos:prefLabel "China"@en }')
    assert named_china == [{"s": STK + "china"}]
    codes = _select(
        kg, "SELECT ?code (DATATYPE(?code) AS ?type) WHERE { stk:france skos:notation ?code } ORDER BY ?code"
    )
    assert [(r["code"], r["type"].rsplit("#", 1)[1]) for r in codes] == [
        ("250", "iso3166Numeric"),
        ("FR", "iso3166Alpha2"),
        ("FRA", "iso3166Alpha3"),
    ]
    match = _select(kg, "SELECT ?m WHERE { stk:france skos:exactMatch ?m }")
    assert match == [{"m": "http://publications.europa.eu/resource/authority/country/FRA"}]
    eu = _select(kg, "SELECT DISTINCT ?k WHERE { stk:european-union tkg:stakeholderKind ?k }")
    assert {r["k"].rsplit("/", 1)[1] for r in eu} >= {"regional-economic-integration-organisation"}


def test_signatories_answers_from_the_sources(kg):
    rows = kg.query("signatories")
    by_slug = {r["signatory"].removeprefix(STK): r for r in rows}
    assert len(rows) == len(by_slug) == 72  # 71 States and the EU; the depositary counts 72
    # The three the cut tables lack, from Ecofin Agency's list of African signatories (Zimbabwe also Technomag).
    for slug in ("south-africa", "uganda", "zimbabwe"):
        assert (by_slug[slug]["earliest"], by_slug[slug]["latest"], by_slug[slug]["place"]) == (
            "2025-10-25", "2025-10-26", "Hanoi",
        )  # fmt: skip
    assert by_slug["zimbabwe"]["sources"] == "2" and by_slug["uganda"]["sources"] == "1"
    assert by_slug["france"]["date"] == "2025-10-25" and by_slug["france"]["place"] == "Hanoi"
    assert by_slug["france"]["sources"] == "3"  # UNTC, the Dutch database, NewsHour
    assert by_slug["mauritius"]["date"] == "2025-11-19" and by_slug["mauritius"]["place"] == "New York"
    assert by_slug["mali"]["date"] == "2025-10-26"
    assert "date" not in by_slug["vietnam"]  # NewsHour gives only the two days of the ceremony
    assert (by_slug["vietnam"]["earliest"], by_slug["vietnam"]["latest"]) == ("2025-10-25", "2025-10-26")
    assert "united-states" not in by_slug and "india" not in by_slug and "netherlands" not in by_slug


def test_signatories_of_the_eu_group(kg):
    rows = kg.query("signatories", group="eu")
    slugs = {r["signatory"].removeprefix(STK) for r in rows}
    assert slugs == EU_MEMBERS_SIGNED | {"european-union"}
    assert all(r["group"] == "eu" for r in rows)


def test_signatories_that_are_budapest_parties(kg):
    slugs = {r["signatory"].removeprefix(STK) for r in kg.query("signatories", group="budapest-parties")}
    assert {"brazil", "france", "philippines", "cote-d-ivoire"} <= slugs
    assert not slugs & {"china", "russian-federation", "vietnam", "european-union"}
    assert kg.query("signatories", group="no-such-group") == []


def test_status_counts_and_dates(kg):
    [row] = kg.query("status")
    today = datetime.now(timezone.utc).date()
    assert row["today"] == today.isoformat()
    assert row["earliest_entry_into_force"] == (today + timedelta(days=90)).isoformat()
    assert row["signature_deadline"] == "2026-12-31"
    assert (row["signatures"], row["depositary_signatories"]) == ("72", "72")
    # No source read on 2026-12-04 records a ratification: nothing counts yet.
    assert (row["instruments"], row["counting"], row["reio_instruments"], row["needed"]) == ("0", "0", "0", "40")


SMALL_GRAPH_HEAD = """
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix stk: <https://w3id.org/treatykg/org/> .
@prefix event: <https://w3id.org/treatykg/event/> .
@prefix instrument: <https://w3id.org/treatykg/vocab/instrument-type/> .
@prefix stkind: <https://w3id.org/treatykg/vocab/stakeholder-kind/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
stk:union tkg:stakeholderKind stkind:regional-economic-integration-organisation .
event:union-approval a tkg:TreatyAct ; tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ;
    tkg:instrumentType instrument:approval ; prov:wasAssociatedWith stk:union .
"""


def _small_store(states: int, extra: str = ""):
    """States 1..``states`` ratify, State 1 also declares and accepts again; the union approves."""
    import pyoxigraph as ox

    from treatykg.engine.store import EmbeddedStore

    acts = []
    for n in range(1, states + 1):
        acts.append(
            f"stk:s{n} a tkg:State . event:s{n}-ratification a tkg:TreatyAct ; "
            "tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ; tkg:instrumentType instrument:ratification ; "
            f"prov:wasAssociatedWith stk:s{n} ."
        )
    acts.append(
        "event:s1-declaration a tkg:TreatyAct ; tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ; "
        "tkg:instrumentType instrument:declaration ; prov:wasAssociatedWith stk:s1 ."
        " event:s1-acceptance a tkg:TreatyAct ; tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ; "
        "tkg:instrumentType instrument:acceptance ; prov:wasAssociatedWith stk:s1 ."
        # An act on another treaty never counts.
        " event:s99-budapest a tkg:TreatyAct ; tkg:concernsTreaty <https://w3id.org/treatykg/budapest> ; "
        "tkg:instrumentType instrument:ratification ; prov:wasAssociatedWith stk:s99 . stk:s99 a tkg:State ."
    )
    store = ox.Store()
    store.load(
        (SMALL_GRAPH_HEAD + "\n".join(acts) + extra).encode(),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://w3id.org/treatykg/graph/test"),
    )
    return EmbeddedStore(store)


def test_article_65_1_count_on_a_small_graph():
    """39 States' instruments and the union's: 41 instruments, 39 count (the union's is not additional,
    a State's second instrument is the same State, a declaration is no instrument of consent)."""
    catalogue = Catalogue()
    [row] = catalogue.run(_small_store(39), "status").values()
    assert (row["instruments"], row["counting"], row["reio_instruments"], row["needed"]) == ("41", "39", "1", "1")
    assert "depositary_signatories" not in row and row["signatures"] == "0"
    fortieth = (
        " stk:s40 a tkg:State . event:s40-accession a tkg:TreatyAct ; "
        "tkg:concernsTreaty <https://w3id.org/treatykg/uncc> ; tkg:instrumentType instrument:accession ; "
        "prov:wasAssociatedWith stk:s40 ."
    )
    [row] = catalogue.run(_small_store(39, fortieth), "status").values()
    assert (row["instruments"], row["counting"], row["needed"]) == ("42", "40", "0")


def test_budapest_overlap_and_the_digest_claim(kg):
    rows = {r["state"].removeprefix(STK): r for r in kg.query("budapest-overlap")}
    assert (rows["brazil"]["uncc"], rows["brazil"]["budapest"], rows["brazil"]["overlap"]) == (
        "signatory",
        "party",
        "both",
    )
    assert rows["china"]["overlap"] == "UN Convention only"
    assert rows["germany"]["overlap"] == "Budapest only" and rows["germany"]["budapest"] == "party"
    # Parties the dated sources lack come from the September 2015 list (no date): the US, Portugal, Spain.
    assert rows["united-states"]["overlap"] == "Budapest only"
    assert rows["portugal"]["overlap"] == rows["spain"]["overlap"] == "both"
    # issue 15: the digest names four States as not having signed the Budapest Convention.
    claim = PREFIXES["claim"] + "nd-first-consensus-cybercrime-framework"
    named = {slug for slug, r in rows.items() if r.get("named_non_signatory_by") == claim}
    assert named == {"china", "russian-federation", "india", "brazil"}
    # Brazil never signed but acceded (in force 1 March 2023): the digest's words stand, the record says party.
    assert rows["india"]["overlap"] == "neither"
    derived = _select(kg, f"SELECT ?d WHERE {{ <{claim}> prov:wasDerivedFrom ?d }}")
    assert {r["d"] for r in derived} == {PREFIXES["doc"] + "news-digest-reactions"}


@pytest.mark.parametrize("value", ["RU", "rus", "643", "Russia", "Russian Federation", "russian-federation"])
def test_state_by_slug_name_or_code(kg, value):
    rows = kg.query("state", state=value)
    assert {r["node"] for r in rows} == {STK + "russian-federation"}
    aspects = {(r["aspect"], r.get("item", "")) for r in rows}
    assert ("act", EVENT + "russian-federation-uncc-signature") in aspects
    assert ("event", EVENT + "russian-proposal") in aspects
    assert ("mentioned-in", PREFIXES["doc"] + "eff-briefing-negotiations") in aspects
    assert any(a == "named-as-non-signatory" for a, _ in aspects)


CLAIM = PREFIXES["claim"]


def test_state_positions_from_its_own_records_with_their_urls(kg):
    """Item 6: a State's own statements are its positions, each with the URL the record was read at."""
    rows = kg.query("state", state="GB")
    positions = {r["item"].removeprefix(CLAIM): r for r in rows if r["aspect"] == "position"}
    assert set(positions) == {
        "uk-2024-stakeholders-right-about-risks", "uk-2024-article-24-obligation-binding",
        "uk-2024-some-states-dodge-safeguards", "uk-2025-signed-in-hanoi", "uk-2025-no-cooperation-without-safeguards",
    }  # fmt: skip
    binding = positions["uk-2024-article-24-obligation-binding"]
    assert binding["detail"].startswith("support: ")
    assert binding["source"] == (
        "https://gov.uk/government/speeches/human-rights-must-be-protected-uk-statement-at-the-un-third-committee"
    )
    assert positions["uk-2025-signed-in-hanoi"]["date"] == "2025-10-25"
    # A critic of the human-rights provisions: Iran's own statements, and nothing of the United Kingdom's.
    iran = {r["item"].removeprefix(CLAIM) for r in kg.query("state", state="IR") if r["aspect"] == "position"}
    assert "ir-2024-human-rights-outside-criminal-justice-treaties" in iran
    assert "ir-2022-cosponsored-74-247" in iran and not any(c.startswith("uk-") for c in iran)


def test_state_positions_a_record_attributes_co_sponsors_and_a_recorded_vote(kg):
    """The Russian Foreign Ministry's record of the 2019 Third Committee vote: 47 co-sponsors, six States named
    as voting against (the EU is named too but has no vote, so no claim is attributed to it)."""
    cosponsor = CLAIM + "cosponsors-2019-cybercrime-resolution"
    against = CLAIM + "voted-against-2019-cybercrime-resolution"
    china = {r["item"]: r for r in kg.query("state", state="China") if r["aspect"] == "claim-attributed"}
    assert cosponsor in china and against not in china
    assert china[cosponsor]["source"].startswith("https://www.mid.ru/")
    canada = {r["item"]: r for r in kg.query("state", state="CA") if r["aspect"] == "claim-attributed"}
    assert canada[against]["detail"].endswith("(voted against)") and cosponsor not in canada
    voters = _select(kg, f"SELECT ?s WHERE {{ <{against}> prov:wasAttributedTo ?s }}")
    assert {r["s"].removeprefix(STK) for r in voters} == {
        "canada", "georgia", "israel", "united-kingdom", "united-states", "ukraine",
    }  # fmt: skip
    sponsors = _select(kg, f"SELECT ?s WHERE {{ <{cosponsor}> prov:wasAttributedTo ?s }}")
    assert len(sponsors) == 47 and STK + "russian-federation" in {r["s"] for r in sponsors}
    eu = kg.query("state", state="european-union")
    assert not any(r.get("item") == against for r in eu)


def test_resolution_74_247_recorded_vote_with_its_figures(kg):
    """The resolution that started the process: a recorded vote, 79-60-33 (two news reports), on Russia's page."""
    rows = _select(
        kg,
        """SELECT ?d ?y ?n ?a WHERE { event:ga-resolution-74-247 dct:date ?d ; tkg:votesInFavour ?y ;
            tkg:votesAgainst ?n ; tkg:abstentions ?a }""",
    )
    assert rows == [{"d": "2019-12-27", "y": "79", "n": "60", "a": "33"}]
    russia = {(r["aspect"], r.get("item", "")) for r in kg.query("state", state="RU")}
    assert ("event", EVENT + "ga-resolution-74-247") in russia
    assert ("position", CLAIM + "ru-2024-western-human-rights-agenda") in russia


def test_state_unknown_value_gives_no_rows(kg):
    assert kg.query("state", state="Atlantis") == []
    assert kg.query("state", state='RU" } ?s ?p ?o { "') == []


def test_every_act_has_a_date_a_source_and_an_agent(kg):
    rows = _select(
        kg,
        """SELECT (COUNT(DISTINCT ?act) AS ?n) WHERE { ?act a tkg:TreatyAct .
           FILTER (NOT EXISTS { ?act prov:wasAssociatedWith ?agent } || NOT EXISTS { ?act prov:wasDerivedFrom ?s }
                   || NOT EXISTS { ?act tkg:dateAttestation/tkg:locator ?where }
                   || NOT EXISTS { ?act dct:date|tkg:earliestDate|tkg:latestDate ?when }) }""",
    )
    assert rows == [{"n": "0"}]
    total = _select(kg, "SELECT (COUNT(DISTINCT ?act) AS ?n) WHERE { ?act a tkg:TreatyAct }")
    assert int(total[0]["n"]) > 69
