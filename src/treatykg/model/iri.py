"""Prefixes, base IRIs and the Akoma Ntoso eId builder/parser.

This is the *one* place where treatykg's namespaces are spelled out. Every other module, every
Turtle file (checked by a test) and every query uses these prefixes, so a change here is a change
everywhere, and a typo cannot create a second namespace by accident. The module imports nothing
of ours (and nothing heavy), because the fast query path imports it too.

Provision IRIs follow Akoma Ntoso naming: the eId of a part is appended to the treaty's work IRI
(``uncc/art_40__para_21__point_b``). Articles are numbered through the whole treaty, so an
article's eId carries no chapter.

>>> provision_eid("40(21)(b)")
'art_40__para_21__point_b'
>>> provision_number("art_40__para_21__point_b")
'40(21)(b)'
>>> provision_label("art_40__para_21__point_b")
'Article 40(21)(b)'
>>> provision_iri("Article 24")
'https://w3id.org/treatykg/uncc/art_24'
"""

from __future__ import annotations

import re
from typing import Final

BASE: Final = "https://w3id.org/treatykg/"

#: Our own namespaces. Keys are the prefixes used in Turtle and SPARQL.
OWN: Final[dict[str, str]] = {
    "tkg": BASE + "ontology#",
    "tkgsh": BASE + "shapes#",
    "uncc": BASE + "uncc/",
    "budapest": BASE + "budapest/",
    "bper": BASE + "budapest/explanatory-report/",
    "stk": BASE + "org/",
    "person": BASE + "person/",
    "doc": BASE + "doc/",
    "claim": BASE + "claim/",
    "event": BASE + "event/",
    "tkgraph": BASE + "graph/",
    "vocab": BASE + "vocab/",
    "modality": BASE + "vocab/modality/",
    "principle": BASE + "vocab/principle/",
    "concern": BASE + "vocab/concern/",
    "stance": BASE + "vocab/stance/",
    "scope": BASE + "vocab/crime-scope/",
    "stkind": BASE + "vocab/stakeholder-kind/",
    "doctype": BASE + "vocab/document-type/",
    "demandkind": BASE + "vocab/demand-kind/",
    "evidence": BASE + "vocab/evidence/",
    "force": BASE + "vocab/safeguard-force/",
    "eventtype": BASE + "vocab/event-type/",
    "claimkind": BASE + "vocab/claim-kind/",
    "instrument": BASE + "vocab/instrument-type/",
    "vote": BASE + "vocab/vote/",
    "tkgt": BASE + "test#",  # the conformance suite's own terms (tests/conformance/manifest.ttl)
}

#: Standard vocabularies we align with or reuse.
EXTERNAL: Final[dict[str, str]] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    # EU Publications Office country authority table (EUR-Lex, ELI): <...country/DEU>
    "eucountry": "http://publications.europa.eu/resource/authority/country/",
    "schema": "https://schema.org/",
    "cito": "http://purl.org/spar/cito/",
    "oa": "http://www.w3.org/ns/oa#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "time": "http://www.w3.org/2006/time#",
    "lkif": "http://www.estrellaproject.org/lkif-core/norm.owl#",
    "lrmlmm": "http://docs.oasis-open.org/legalruleml/ns/v1.0/metamodel#",
    "dpv": "https://w3id.org/dpv#",
    "mf": "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#",
    "sht": "http://www.w3.org/ns/shacl-test#",
}

PREFIXES: Final[dict[str, str]] = {**OWN, **EXTERNAL}

TKG: Final = OWN["tkg"]
#: The Convention as a work. Its parts live under ``UNCC_WORK + "/" + eId``.
UNCC_WORK: Final = BASE + "uncc"
UNCC: Final = OWN["uncc"]
#: Named graphs are ``GRAPH_BASE + <path of the source file without extension>``.
GRAPH_BASE: Final = OWN["tkgraph"]

_ROMAN = re.compile(r"^[IVXLC]+$")
_NUMBER = re.compile(r"^(?P<art>\d+)(?:\((?P<para>\d+)\))?(?:\((?P<point>[a-z]{1,3}|[ivx]+)\))?$")
_ARTICLE_WORD = re.compile(r"^(?:art(?:icle)?\.?\s*)", re.IGNORECASE)
_EID = re.compile(
    r"^(?:art_(?P<art>\d+)(?:__para_(?P<para>\d+))?(?:__point_(?P<point>[a-z]+))?"
    r"|chp_(?P<chp>[IVXLC]+)"
    r"|preamble(?:__para_(?P<ppara>\d+))?)$"
)


class EIdError(ValueError):
    """A provision reference that cannot be read as an Akoma Ntoso eId or a printed number."""


def provision_eid(ref: str) -> str:
    """Turn a provision reference as people write it into its eId.

    Accepts an eId (``art_24``), a printed number (``24``, ``40(21)(b)``), ``Article 24``,
    ``Chapter IV``, ``Preamble`` / ``Preamble 3`` or a full treatykg IRI.

    >>> provision_eid("24")
    'art_24'
    >>> provision_eid("Article 22(1)(a)")
    'art_22__para_1__point_a'
    >>> provision_eid("chapter IV")
    'chp_IV'
    >>> provision_eid("https://w3id.org/treatykg/uncc/preamble__para_3")
    'preamble__para_3'
    >>> provision_eid("2(h)")
    'art_2__point_h'
    >>> provision_eid("Article 99(")
    Traceback (most recent call last):
    ...
    treatykg.model.iri.EIdError: not a provision reference: 'Article 99('
    """
    text = ref.strip()
    if text.startswith(UNCC):
        text = text[len(UNCC) :]
    if _EID.match(text):
        return text
    lowered = text.lower()
    if lowered.startswith("chapter"):
        roman = text[len("chapter") :].strip().upper()
        if _ROMAN.match(roman):
            return f"chp_{roman}"
    if lowered.startswith("preamble"):
        rest = text[len("preamble") :].strip(" ,()").lower().removeprefix("paragraph").strip()
        return "preamble" if not rest else f"preamble__para_{int(rest)}" if rest.isdigit() else _fail(ref)
    match = _NUMBER.match(_ARTICLE_WORD.sub("", text).replace(" ", ""))
    if not match:
        _fail(ref)
    eid = f"art_{match['art']}"
    if match["para"]:
        eid += f"__para_{match['para']}"
    if match["point"]:
        eid += f"__point_{match['point']}"
    return eid


def _fail(ref: str) -> str:
    raise EIdError(f"not a provision reference: {ref!r}")


def provision_number(eid: str) -> str:
    """The number of a provision as printed in the treaty ("40(21)(b)", "IV", "3").

    >>> provision_number("chp_IV")
    'IV'
    >>> provision_number("preamble__para_3")
    '3'
    """
    match = _EID.match(eid)
    if not match:
        _fail(eid)
    if match["chp"]:
        return match["chp"]
    if eid.startswith("preamble"):
        return match["ppara"] or ""
    number = match["art"]
    if match["para"]:
        number += f"({match['para']})"
    if match["point"]:
        number += f"({match['point']})"
    return number


def provision_label(eid: str) -> str:
    """The human label of a provision ("Article 40(21)(b)", "Chapter IV", "Preamble, paragraph 3").

    >>> provision_label("preamble__para_3")
    'Preamble, paragraph 3'
    """
    if eid.startswith("chp_"):
        return f"Chapter {provision_number(eid)}"
    if eid == "preamble":
        return "Preamble"
    if eid.startswith("preamble__para_"):
        return f"Preamble, paragraph {provision_number(eid)}"
    return f"Article {provision_number(eid)}"


def provision_parent(eid: str) -> str | None:
    """The eId of the direct parent part, or None for chapters and the preamble (their parent is
    the treaty itself, whose IRI is not an eId). An article's parent chapter is not derivable from
    its eId, because articles are numbered through the treaty.

    >>> provision_parent("art_40__para_21__point_b")
    'art_40__para_21'
    >>> provision_parent("art_24") is None
    True
    """
    if "__" not in eid:
        return None
    return eid.rsplit("__", 1)[0]


def provision_iri(ref: str) -> str:
    """The IRI of a provision given any reference form that :func:`provision_eid` accepts."""
    return UNCC + provision_eid(ref)


def slugify(name: str) -> str:
    """Derive a slug (lowercase ASCII with hyphens) from a name, once; slugs are never renamed.

    >>> slugify("Electronic Frontier Foundation (EFF)")
    'electronic-frontier-foundation-eff'
    >>> slugify("Access Now – Global")
    'access-now-global'
    """
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def sparql_prefixes(names: list[str] | None = None) -> str:
    """PREFIX declarations for SPARQL text, from the one prefix table."""
    chosen = PREFIXES if names is None else {name: PREFIXES[name] for name in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())
