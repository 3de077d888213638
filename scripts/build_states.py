"""Generate ``graph/states/states.ttl`` and ``graph/states/acts.ttl`` (issue 18).

Run ``python scripts/build_states.py`` after changing ``scripts/data/*.tsv`` or upgrading pycountry; the
output is deterministic (sorted, written line by line), so a re-run with the same inputs changes nothing
and ``tests/test_states.py`` checks that the committed files are what the script writes.

Why generated: the 195 States and the European Union, with three ISO 3166-1 codes each, are a table, and
a hand-typed table of codes is how wrong codes get in. The codes and English short names come from
pycountry (a well-kept packaging of the ISO 3166 data); which States are UN Member States or observer
States, and the names the UN gives them, come from the committed ``scripts/data/un_membership.tsv``
(UNTERM, see its header). The treaty acts come from ``scripts/data/uncc_signatures.tsv`` and
``scripts/data/budapest_status.tsv``, one row per act and source, each with a locator in its source; the
sources themselves are described by hand in ``graph/states/treaty-life.ttl``.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scripts" / "data"
OUT = ROOT / "graph" / "states"

#: Slugs that existed before this script (graph/debate/stakeholders.ttl): DESIGN.md says they are kept.
#: They already agree with the rule below; listing them makes the promise checkable.
EXISTING_SLUGS = {
    "USA": "united-states",
    "RUS": "russian-federation",
    "CHN": "china",
    "IND": "india",
    "BRA": "brazil",
}

#: Common English short names where pycountry has only an inverted ISO name ("Congo, The Democratic
#: Republic of the") and no common_name. The slug is derived from this name.
SHORT_NAME_OVERRIDES = {
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "VAT": "Holy See",
}

#: The 27 Member States of the European Union (source: doc:src-eu-member-states, read 2026-12-04).
EU_MEMBERS = frozenset(
    {
        "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
        "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
    }
)  # fmt: skip

#: Source keys of the TSV files -> the ReferenceSource IRIs described in graph/states/treaty-life.ttl
#: (doc:src-untc-status lives in graph/convention/sources.ttl).
SOURCES = {
    "untc": "doc:src-untc-status",
    "verdragen": "doc:src-verdragen-uncc-parties",
    "newshour": "doc:src-newshour-hanoi-72",
    "ecofin": "doc:src-ecofin-african-signatories",
    "technomag": "doc:src-technomag-zimbabwe",
    "inview": "doc:src-inview-budapest-parties",
    "verdragen-log": "doc:src-verdragen-budapest-log",
    "verdragen-log-2": "doc:src-verdragen-budapest-log-2",
    "coe2015": "doc:src-coe-chart-185-2015",
    "cybercrimelaw": "doc:src-cybercrimelaw-budapest-2015",
}

UNCC = "<https://w3id.org/treatykg/uncc>"
BUDAPEST = "<https://w3id.org/treatykg/budapest>"
EU = "EU"

PREFIXES = """@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix stk: <https://w3id.org/treatykg/org/> .
@prefix doc: <https://w3id.org/treatykg/doc/> .
@prefix event: <https://w3id.org/treatykg/event/> .
@prefix eventtype: <https://w3id.org/treatykg/vocab/event-type/> .
@prefix instrument: <https://w3id.org/treatykg/vocab/instrument-type/> .
@prefix stkind: <https://w3id.org/treatykg/vocab/stakeholder-kind/> .
@prefix eucountry: <http://publications.europa.eu/resource/authority/country/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


@dataclass(frozen=True)
class State:
    """One row of un_membership.tsv joined with pycountry."""

    alpha3: str
    alpha2: str
    numeric: str
    status: str  # member | observer
    un_short: str
    un_formal: str
    short: str  # common English short name: rdfs:label, slug
    iso_names: tuple[str, ...]  # pycountry's other names (skos:altLabel)

    @property
    def slug(self) -> str:
        return EXISTING_SLUGS.get(self.alpha3) or slugify(self.short)


def slugify(name: str) -> str:
    """Lowercase ASCII with hyphens (DESIGN.md): 'Côte d'Ivoire' -> 'cote-d-ivoire', 'Türkiye' -> 'turkiye'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def lit(text: str) -> str:
    """A Turtle string literal (the inputs are names: escape backslashes and quotes all the same)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV file whose header follows '#' comment lines."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def load_states() -> list[State]:
    states = []
    for row in read_tsv(DATA / "un_membership.tsv"):
        country = pycountry.countries.get(alpha_3=row["alpha3"])
        if country is None:
            raise SystemExit(f"un_membership.tsv: {row['alpha3']} is not an ISO 3166-1 alpha-3 code in pycountry")
        short = SHORT_NAME_OVERRIDES.get(country.alpha_3) or getattr(country, "common_name", None) or country.name
        names = [country.name, getattr(country, "official_name", None)]
        iso_names = tuple(dict.fromkeys(n for n in names if n and n not in (short, row["un_short_name"])))
        states.append(
            State(
                alpha3=country.alpha_3,
                alpha2=country.alpha_2,
                numeric=country.numeric,
                status=row["status"],
                un_short=row["un_short_name"],
                un_formal=row["un_formal_name"],
                short=short,
                iso_names=iso_names,
            )
        )
    slugs = [s.slug for s in states]
    if len(set(slugs)) != len(slugs):
        raise SystemExit("two States derive the same slug")
    return sorted(states, key=lambda s: s.slug)


def state_ttl(state: State) -> str:
    kind = "tkg:Organisation , tkg:State"
    alt = [state.un_formal, *state.iso_names]
    alt = [a for a in dict.fromkeys(alt) if a not in (state.short, state.un_short)]
    lines = [
        f"stk:{state.slug} a {kind} ;",
        f"    rdfs:label {lit(state.short)}@en ;",
        f"    skos:prefLabel {lit(state.un_short)}@en ;",
    ]
    lines += [f"    skos:altLabel {lit(a)}@en ;" for a in alt]
    lines += [
        "    tkg:stakeholderKind stkind:state ;",
        f'    skos:notation "{state.alpha2}"^^tkg:iso3166Alpha2 , "{state.alpha3}"^^tkg:iso3166Alpha3 ,'
        f' "{state.numeric}"^^tkg:iso3166Numeric ;',
        f"    skos:exactMatch eucountry:{state.alpha3} ;",
        f'    tkg:unMembership "{state.status}" ;',
    ]
    if state.alpha3 in EU_MEMBERS:
        lines.append("    org:memberOf stk:european-union ;")
    sources = ["doc:src-un-membership"] + (["doc:src-eu-member-states"] if state.alpha3 in EU_MEMBERS else [])
    lines.append(f"    prov:wasDerivedFrom {' , '.join(sources)} .")
    return "\n".join(lines) + "\n"


EU_NOTE = (
    "A regional economic integration organisation in the sense of articles 64 to 66: it signs and may join the"
    " Convention itself, and under article 65(1) its instrument does not count as additional to those of its"
    " Member States. No ISO 3166-1 code is recorded: ISO reserves 'EU' but does not assign it."
)
EU_TTL = f"""stk:european-union a tkg:Organisation ;
    skos:prefLabel "European Union"@en ;
    tkg:stakeholderKind stkind:regional-economic-integration-organisation ;
    skos:note {lit(EU_NOTE)}@en ;
    prov:wasDerivedFrom doc:src-untc-status , doc:src-eu-member-states .
"""


def render_states(states: list[State]) -> str:
    members = sum(s.status == "member" for s in states)
    observers = sum(s.status == "observer" for s in states)
    head = (
        "# treatykg: every State that can sign the Convention, and the European Union. GENERATED by\n"
        "# scripts/build_states.py from scripts/data/un_membership.tsv and pycountry "
        f"{_pycountry_version()}; do not edit by hand.\n"
        f"# {members} UN Member States, {observers} non-member observer States, and the European Union.\n"
        "# rdfs:label = common English short name (pycountry), skos:prefLabel = the UN's short name (UNTERM),\n"
        "# skos:altLabel = the UN's formal name and pycountry's other names. ISO 3166-1 codes as skos:notation,\n"
        "# one datatype per code system. skos:exactMatch: the EU Publications Office country table, whose IRIs\n"
        "# end in the ISO alpha-3 code (pattern checked 2026-12-04 in public code and in the HealthDCAT-AP\n"
        "# specification, which gives .../country/NLD for the Netherlands; each State's entry was not opened).\n"
        "# Six States the seeds mention were already stakeholders (graph/debate/stakeholders.ttl); they keep\n"
        "# their slugs and their rdfs:label there equals the one here, so they stay one node each.\n"
    )
    body = "\n".join(state_ttl(s) for s in states)
    return head + PREFIXES + "\n" + body + "\n" + EU_TTL


def _pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


@dataclass(frozen=True)
class ActRow:
    agent: str  # alpha-3 or EU
    instrument: str  # signature, ratification, accession, in-force
    date: str
    earliest: str
    latest: str
    place: str
    place_basis: str
    source: str
    locator: str


def read_acts() -> dict[tuple[str, str, str], list[ActRow]]:
    """Rows grouped by (treaty, agent, instrument): one act, possibly several sources."""
    acts: dict[tuple[str, str, str], list[ActRow]] = defaultdict(list)
    for row in read_tsv(DATA / "uncc_signatures.tsv"):
        acts[("uncc", row["alpha3"], row["instrument"])].append(
            ActRow(row["alpha3"], row["instrument"], row["date"], row["earliest"], row["latest"], row["place"],
                   row["place_basis"], row["source"], row["locator"])
        )  # fmt: skip
    for row in read_tsv(DATA / "budapest_status.tsv"):
        if row["kind"] == "consent":  # ratified or acceded by that date: the date is the act's latest
            by = row["date"]
            act = ActRow(row["alpha3"], "consent-unspecified", "", "", by, "", "", row["source"], row["locator"])
        else:
            act = ActRow(row["alpha3"], row["kind"], row["date"], "", "", "", "", row["source"], row["locator"])
        acts[("budapest", row["alpha3"], act.instrument)].append(act)
    for rows in acts.values():
        for r in rows:
            if r.source not in SOURCES:
                raise SystemExit(f"unknown source key {r.source!r} for {r.agent}")
    return acts


TREATY_NAMES = {"uncc": "the UN Convention against Cybercrime", "budapest": "the Budapest Convention"}
VERBS = {
    "signature": "signs",
    "ratification": "ratifies",
    "accession": "accedes to",
    "acceptance": "accepts",
    "approval": "approves",
    "consent-unspecified": "had ratified or acceded to",
}


def act_ttl(treaty: str, rows: list[ActRow], by_alpha3: dict[str, State]) -> str:
    first = rows[0]
    if first.agent == EU:
        slug, name = "european-union", "The European Union"
    else:
        state = by_alpha3[first.agent]
        slug, name = state.slug, state.short
    treaty_iri = UNCC if treaty == "uncc" else BUDAPEST
    kind = first.instrument
    iri = f"event:{slug}-{treaty}-{kind}"
    exact = sorted({r.date for r in rows if r.date})
    if len(exact) > 1:
        raise SystemExit(f"{iri}: sources give different dates {exact}; record them as attestations by hand")
    if kind == "in-force":
        label = f"{TREATY_NAMES[treaty][0].upper()}{TREATY_NAMES[treaty][1:]} enters into force for {name}"
        lines = [
            f"{iri} a tkg:Event ;",
            f"    rdfs:label {lit(label)}@en ;",
            "    tkg:eventType eventtype:entry-into-force ;",
        ]
    else:
        label = f"{name} {VERBS[kind]} {TREATY_NAMES[treaty]}"
        lines = [
            f"{iri} a tkg:Event , tkg:TreatyAct ;",
            f"    rdfs:label {lit(label)}@en ;",
            "    tkg:eventType eventtype:treaty-act ;",
            f"    tkg:instrumentType instrument:{kind} ;",
        ]
    lines.append(f"    prov:wasAssociatedWith stk:{slug} ;")
    lines.append(f"    tkg:concernsTreaty {treaty_iri} ;")
    if exact:
        lines.append(f'    dct:date "{exact[0]}"^^xsd:date ;')
    else:
        earliest = [r.earliest for r in rows if r.earliest]
        if earliest:
            lines.append(f'    tkg:earliestDate "{min(earliest)}"^^xsd:date ;')
        lines.append(f'    tkg:latestDate "{max(r.latest for r in rows)}"^^xsd:date ;')
    places = sorted({r.place for r in rows if r.place})
    if places:
        lines.append(f"    tkg:place {lit(places[0])} ;")
        if any(r.place_basis == "stated" for r in rows):
            note = "The place is stated by a source."
        elif places[0] == "Hanoi":
            note = (
                "Place inferred by us: article 64 opened the Convention for signature in Hanoi on 25 and 26 October"
                " 2025 only, and this signature is dated within those days."
            )
        else:
            note = (
                "Place inferred by us: after 26 October 2025 the Convention is open for signature only at United"
                " Nations Headquarters in New York (article 64)."
            )
        lines.append(f"    skos:note {lit(note)}@en ;")
    attestations = []
    for r in sorted(rows, key=lambda r: (r.source, r.locator)):
        if r.date:
            when = f'dct:date "{r.date}"^^xsd:date'
        elif r.earliest:
            when = f'tkg:earliestDate "{r.earliest}"^^xsd:date ; tkg:latestDate "{r.latest}"^^xsd:date'
        else:
            when = f'tkg:latestDate "{r.latest}"^^xsd:date'
        if r.instrument == "consent-unspecified":
            when += " ; tkg:confidence 0.7"
        locator = f"[ a tkg:LocatorSelector ; rdf:value {lit(r.locator)} ]"
        attestations.append(f"[ {when} ; prov:wasDerivedFrom {SOURCES[r.source]} ; tkg:locator {locator} ]")
    lines.append("    tkg:dateAttestation " + " ,\n        ".join(attestations) + " ;")
    sources = sorted({SOURCES[r.source] for r in rows})
    lines.append(f"    prov:wasDerivedFrom {' , '.join(sources)} .")
    return "\n".join(lines) + "\n"


def render_acts(states: Iterable[State]) -> str:
    by_alpha3 = {s.alpha3: s for s in states}
    acts = read_acts()
    uncc = sorted(k for k in acts if k[0] == "uncc")
    budapest = sorted(k for k in acts if k[0] == "budapest")
    head = (
        "# treatykg: States' acts on the UN Convention against Cybercrime and on the Budapest Convention. GENERATED\n"
        "# by scripts/build_states.py from scripts/data/uncc_signatures.tsv and budapest_status.tsv; do not edit.\n"
        f"# UN Convention: {len(uncc)} signatures from the sources read on 2026-12-04 (the depositary counts 72;\n"
        "# the sources' lists are cut, see the notes on doc:src-untc-status and doc:src-verdragen-uncc-parties);\n"
        "# no ratification was recorded by any source read. Budapest Convention: "
        f"{len(budapest)} acts and entries into force.\n"
        "# One tkg:dateAttestation per source, with its locator; dct:date where the sources give the same day.\n"
    )
    body = "\n".join(act_ttl(k[0], acts[k], by_alpha3) for k in uncc + budapest)
    return head + PREFIXES + "\n" + body


def main() -> int:
    states = load_states()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "states.ttl").write_text(render_states(states), encoding="utf-8")
    (OUT / "acts.ttl").write_text(render_acts(states), encoding="utf-8")
    print(f"wrote {len(states)} States and the EU to graph/states/states.ttl; acts to graph/states/acts.ttl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
