"""The parsed sources and small helpers for reading them: namespaces, texts, labels, lists, CURIEs.

Owns: parsing the ontology, vocabulary and shapes files once (:func:`read_sources`), and the
helpers every reader and page uses to turn RDF into strings (a term's label, its CURIE, an
HTML anchor that is unique on its page). Nothing here knows about a page.

May import: rdflib, the standard library and :mod:`treatykg.model.iri`, :mod:`treatykg.model.sources`,
:mod:`treatykg.validation.shacl`; no other module of this package (every other module imports this one).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...model.iri import PREFIXES, TKG
from ...model.sources import Kind, SourceFile, parse_turtle
from ...validation.shacl import shorten

NS_RDF = PREFIXES["rdf"]
NS_RDFS = PREFIXES["rdfs"]
NS_OWL = PREFIXES["owl"]
NS_SKOS = PREFIXES["skos"]
NS_SH = PREFIXES["sh"]
NS_DCT = PREFIXES["dct"]
NS_VANN = PREFIXES["vann"]

# SKOS mapping relations, as an alignment of a term or a mapping of a concept is read out.
MATCHES: tuple[tuple[str, str], ...] = (
    (NS_SKOS + "exactMatch", "exact match"),
    (NS_SKOS + "closeMatch", "close match"),
    (NS_SKOS + "broadMatch", "broad match"),
    (NS_SKOS + "narrowMatch", "narrow match"),
    (NS_SKOS + "relatedMatch", "related match"),
)


@dataclass
class Sources:
    """The parsed source files, one rdflib graph per kind, and where they came from."""

    ontology: Any
    vocab: Any
    shapes: Any
    files: list[str]
    declared_in: dict[str, str]  # term IRI -> module name of the file that types it


def read_sources(sources: Iterable[SourceFile]) -> Sources:
    """Parse every ontology, vocabulary and shapes file once, keeping per-file term declarations
    so a term without ``rdfs:isDefinedBy`` is still listed under the module file that declares it.

    The files are given (``treatykg.model.sources.iter_sources``) rather than listed here, so a caller
    or a test can add one."""
    from rdflib import RDF, Graph, URIRef

    graphs = {Kind.ONTOLOGY: Graph(), Kind.VOCAB: Graph(), Kind.SHAPES: Graph()}
    files: list[str] = []
    declared_in: dict[str, str] = {}
    for source in sources:
        graph = parse_turtle(source.path)
        files.append(source.relative)
        if source.kind is Kind.ONTOLOGY:
            module = Path(source.relative).stem.removesuffix("-axioms")
            for subject in sorted(set(graph.subjects(RDF.type, None)), key=str):
                if isinstance(subject, URIRef) and str(subject).startswith(TKG):
                    declared_in.setdefault(str(subject), module)
        for triple in graph:
            graphs[source.kind].add(triple)
    return Sources(
        ontology=graphs[Kind.ONTOLOGY],
        vocab=graphs[Kind.VOCAB],
        shapes=graphs[Kind.SHAPES],
        files=sorted(files),
        declared_in=declared_in,
    )


def uri(iri: str):
    """The rdflib term for an IRI (rdflib is imported where it is used, as everywhere in the package)."""
    from rdflib import URIRef

    return URIRef(iri)


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def curie_of(iri: str) -> str:
    """``tkg:Claim``; an IRI under no known prefix stays whole (without angle brackets)."""
    short = shorten(iri)
    return short[1:-1] if short.startswith("<") and short.endswith(">") else short


def texts_of(graph, subject, predicates: Iterable[str]) -> list[str]:
    """Literal values in English (or without a language) first, deduplicated, in a stable order."""
    from rdflib import Literal

    found: list[tuple[tuple[int, str, str], str]] = []
    for predicate in predicates:
        for value in graph.objects(subject, uri(predicate)):
            if isinstance(value, Literal):
                lang = value.language or ""
                rank = 0 if lang in ("en", "") else 1
                found.append(((rank, lang, str(value)), str(value)))
    seen: list[str] = []
    for _, text in sorted(found):
        if text not in seen:
            seen.append(text)
    return seen


def label_of(graph, subject, fallback: str) -> str:
    texts = texts_of(graph, subject, (NS_RDFS + "label", NS_SKOS + "prefLabel", NS_DCT + "title"))
    return texts[0] if texts else fallback


def rdf_list(graph, node) -> list:
    from rdflib.collection import Collection

    try:
        return list(Collection(graph, node))
    except Exception:  # a malformed list is shown as empty rather than breaking the build
        return []


def node_key(node) -> str:
    from rdflib import BNode

    return "~" if isinstance(node, BNode) else str(node)


def tree_order(
    roots: list[str], children: dict[str, list[str]], everything: list[str]
) -> list[tuple[str, int, str | None]]:
    """Depth-first order of a hierarchy as (node, depth, parent it was reached from). Every node
    comes out once, even in a cycle (then as a root), so a modelling error cannot hide a term."""
    result: list[tuple[str, int, str | None]] = []
    seen: set[str] = set()
    for start in [*roots, *everything]:
        stack: list[tuple[str, int, str | None]] = [(start, 0, None)]
        while stack:
            node, depth, parent = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            result.append((node, depth, parent))
            stack.extend((child, depth + 1, node) for child in reversed(children.get(node, [])))
    return result


def dedent_query(query: str) -> str:
    """SPARQL from a Turtle long string without the Turtle file's indentation. The first line
    follows ``sh:select \"\"\"`` and has none; a query continued on later lines is indented under it."""
    lines = query.strip("\n").splitlines()
    if not lines:
        return ""
    first = lines[0].strip()
    rest = textwrap.dedent("\n".join(line.rstrip() for line in lines[1:])).splitlines()
    if rest and not rest[-1].startswith("}"):
        rest = ["    " + line if line else line for line in rest]
    return "\n".join([first, *rest])


def slug(text: str) -> str:
    """An HTML id: letters, digits, "-", "_" and "." kept, anything else becomes "-"."""
    result = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")
    return result or "x"


def unique_anchor(anchor: str, used: set[str]) -> str:
    """``anchor``, or ``anchor-2``, ``anchor-3``... if taken; records the one returned in ``used``."""
    candidate, n = anchor, 2
    while candidate in used:
        candidate, n = f"{anchor}-{n}", n + 1
    used.add(candidate)
    return candidate
