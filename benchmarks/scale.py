"""A realistic graph N times the shipped one, for benchmarks: one N-Quads file, the same shapes.

Benchmark-only code: it lives beside the benchmarks, outside the runtime package, so the wheel does
not ship it (issue 20). ``scripts/scale_graph.py``, ``benchmarks/*.py`` and ``tests/test_scale.py``
import it as ``benchmarks.scale`` with the repository root on ``sys.path``.

The input is the build cache (:func:`treatykg.engine.store.cached_dataset_path`: ontology + vocabularies
+ curated graph + derived graph, as N-Quads). The ontology and the SKOS schemes (named graphs
``graph/ontology/...``) are written once; the *instance* data (every other named graph: the
Convention's structure and provisions, cross-references, powers and safeguards, documents,
stakeholders, claims, timeline, links, and the derived graph) is written N times: copy 0 as it
is, copies k = 1 .. N-1 renamed with the suffix ``s<k>``.

Renaming scheme of copy k (every IRI under ``https://w3id.org/treatykg/`` except ``ontology``,
``vocab``, ``shapes``; external IRIs such as ELI or Wikidata stay shared by all copies):

====================  ======================================  ==========================================
what                  shipped                                 copy k = 3
====================  ======================================  ==========================================
entities (a slug)     ``org/access-now``, ``claim/x``,        ``org/access-now-s3``, ``claim/x-s3``,
                      ``person/..``, ``doc/..``, ``event/..``  ... (the slug pattern of the shapes holds)
treaties and parts    ``uncc``, ``uncc/art_24``,              ``uncc-s3``, ``uncc-s3/art_24``,
(a work + an eId)     ``budapest/explanatory-report/para_1``  ``budapest-s3/explanatory-report/para_1``
named graphs          ``graph/convention/articles``,          ``graph/convention/articles-s3``,
                      ``graph/derived``                       ``graph/derived-s3``
blank nodes           ``_:b17``                               ``_:b17s3``
stakeholder names     ``"Access Now"@en`` (rdfs:label,        ``"Access Now s3"@en`` (the duplicate-name
                      skos:altLabel)                          shape drops parenthesised text, so no "()")
====================  ======================================  ==========================================

A copy of the Convention is thus another treaty work whose parts keep their Akoma Ntoso eIds as
the IRI's last segment (``tkg:eId`` still matches), with its own chapters, articles, claims and
stakeholders. Every rule in ``queries/rules/`` relates only terms of one copy (a claim, its
document, its signatories), so the derived graph of copy k is the renamed derived graph of copy 0
(checked by ``tests/test_scale.py`` by running the rules on the scaled data).

Two things of the shipped graph do not scale this way, by construction:

* the provision IRI pattern of ``tkgsh:ProvisionShape`` names the treaty roots literally
  (``^https://w3id.org/treatykg/(uncc|budapest)/<eId>$``), so every copied provision is one
  violation of that one pattern, and nothing else is (tested); no renaming can avoid it while
  the copies' IRIs differ;
* triples without a renamed term (about ELI acts, say) are repeated in each copy's named graph,
  so they are N quads but one triple of the union.

The output is deterministic: blank nodes are relabelled canonically (``b0``, ``b1``... in the
order of a signature of their triples, not pyoxigraph's random labels) and each block is sorted,
so the same N and the same sources give the same bytes, even after the cache is rebuilt.
Copy k is one string replacement in a template of the instance block, which keeps N = 1000
(8.3 million quads, 1.8 GB: 1000 copies of the ~8,300 instance quads, the ~1,200 ontology and
scheme quads once) a matter of seconds (9.5 s to /dev/null) plus the disk.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from treatykg.model.iri import BASE, GRAPH_BASE, PREFIXES

#: First path segments under BASE that name vocabulary, not instance data: never renamed.
SHARED_SEGMENTS = frozenset({"ontology", "vocab", "shapes", "test"})
#: Namespaces of entities named by a slug: the copy suffix goes at the end of the slug.
SLUG_SEGMENTS = frozenset({"org", "person", "doc", "claim", "event"})
#: Named graphs that hold the ontology and the schemes: written once.
SHARED_GRAPH_PREFIX = GRAPH_BASE + "ontology/"
#: Where the copy suffix goes in the template (a private-use character absent from the data).
MARK = "\ue000"

_STAKEHOLDERS = f"""PREFIX tkg: <{PREFIXES["tkg"]}> PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT DISTINCT ?s WHERE {{ ?s a/rdfs:subClassOf* ?t . VALUES ?t {{ tkg:Stakeholder tkg:Organisation tkg:Person }} }}"""
_NAME_PREDICATES = frozenset({PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel"})


def suffix(k: int) -> str:
    """The name of copy ``k`` (``s3``); copy 0 is the shipped graph itself and has none."""
    return f"s{k}"


def rename_iri(iri: str, mark: str) -> str:
    """``iri`` as named in the copy whose suffix is ``mark`` (see the module's table). IRIs outside
    our namespace, and the ontology/vocabulary IRIs, come back unchanged.

    >>> rename_iri("https://w3id.org/treatykg/uncc/art_40__para_21__point_b", "s3")
    'https://w3id.org/treatykg/uncc-s3/art_40__para_21__point_b'
    >>> rename_iri("https://w3id.org/treatykg/org/access-now", "s3")
    'https://w3id.org/treatykg/org/access-now-s3'
    >>> rename_iri("https://w3id.org/treatykg/graph/debate/documents", "s3")
    'https://w3id.org/treatykg/graph/debate/documents-s3'
    >>> rename_iri("https://w3id.org/treatykg/vocab/stance/reject", "s3")
    'https://w3id.org/treatykg/vocab/stance/reject'
    """
    if not iri.startswith(BASE):
        return iri
    rest = iri[len(BASE) :]
    first = re.split(r"[/#]", rest, maxsplit=1)[0]
    if not first or first in SHARED_SEGMENTS or iri.startswith(SHARED_GRAPH_PREFIX):
        return iri
    if first in SLUG_SEGMENTS or first == "graph":
        return f"{iri}-{mark}"
    return f"{BASE}{first}-{mark}{rest[len(first) :]}"


def copy_iri(iri: str, k: int) -> str:
    """``iri`` as named in copy ``k`` (copy 0 is the shipped graph: unchanged)."""
    return rename_iri(iri, suffix(k)) if k else iri


@dataclass(frozen=True)
class Template:
    """The shipped dataset split for copying: text blocks of sorted N-Quads lines."""

    shared: str  # ontology + vocabularies, written once
    original: str  # the instance quads of copy 0, as shipped (canonical blank nodes)
    copy: str  # the same quads with MARK where the copy suffix goes
    shared_quads: int
    instance_quads: int

    def block(self, k: int) -> str:
        """The instance quads of copy ``k`` (0 is the shipped graph)."""
        return self.original if k == 0 else self.copy.replace(MARK, suffix(k))

    def quads(self, n: int) -> int:
        """How many quads the N-times graph has."""
        return self.shared_quads + n * self.instance_quads


def load_template(source: Path | str | None = None) -> Template:
    """Read the 1x dataset (default: the build cache) and prepare the template of a copy."""
    import pyoxigraph as ox

    if source is None:
        from treatykg.engine.store import cached_dataset_path

        source = cached_dataset_path()
    quads = list(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
    labels = _canonical_bnodes(quads)
    stakeholders = _stakeholders(quads)
    shared, original, copy = [], [], []
    for quad in quads:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(SHARED_GRAPH_PREFIX):
            shared.append(_line(quad, labels, None, stakeholders))
            continue
        original.append(_line(quad, labels, None, stakeholders))
        copy.append(_line(quad, labels, MARK, stakeholders))
    text = "".join(original)
    if MARK in text:
        raise ValueError(f"{source}: the data contains the template mark U+{ord(MARK):04X}")
    return Template(
        shared="".join(sorted(shared)),
        original="".join(sorted(original)),
        copy="".join(sorted(copy)),
        shared_quads=len(shared),
        instance_quads=len(original),
    )


def _line(quad, labels: dict[str, str], mark: str | None, stakeholders: set[str]) -> str:
    """One N-Quads line of ``quad`` in copy ``mark`` (None: as shipped)."""
    import pyoxigraph as ox

    def term(node) -> str:
        if isinstance(node, ox.NamedNode):
            return f"<{rename_iri(node.value, mark) if mark else node.value}>"
        if isinstance(node, ox.BlankNode):
            return f"_:{labels[node.value]}{mark or ''}"
        return str(node)

    obj = term(quad.object)
    if (
        mark
        and isinstance(quad.object, ox.Literal)
        and quad.predicate.value in _NAME_PREDICATES
        and isinstance(quad.subject, ox.NamedNode)
        and quad.subject.value in stakeholders
    ):
        end = obj.rindex('"')  # the closing quote: a language tag or datatype IRI has none
        obj = f"{obj[:end]} {mark}{obj[end:]}"
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else f" {term(quad.graph_name)}"
    return f"{term(quad.subject)} {term(quad.predicate)} {obj}{graph} .\n"


def _canonical_bnodes(quads) -> dict[str, str]:
    """Blank node label -> ``b<i>``, numbered in the order of a signature of the node, so the
    labels do not depend on the random ones pyoxigraph gives when the cache is built.

    The signature is refined as colour refinement does (Weisfeiler-Leman): first a node's own
    triples and the triples pointing to it with other blank nodes masked, then again with each
    neighbouring blank node replaced by its signature of the round before, until the number of
    distinct signatures stops growing. One round was not enough: two locators with the same text,
    each under a different act, only differ by the act that points to them.
    """
    import hashlib

    import pyoxigraph as ox

    outgoing: dict[str, list] = defaultdict(list)
    incoming: dict[str, list] = defaultdict(list)
    for quad in quads:
        graph = str(quad.graph_name)
        if isinstance(quad.subject, ox.BlankNode):
            outgoing[quad.subject.value].append((str(quad.predicate), quad.object, graph))
        if isinstance(quad.object, ox.BlankNode):
            incoming[quad.object.value].append((quad.subject, str(quad.predicate), graph))
    nodes = set(outgoing) | set(incoming)
    colour = dict.fromkeys(nodes, "")

    def term(node) -> str:
        return f"_:{colour[node.value]}" if isinstance(node, ox.BlankNode) else str(node)

    distinct = 1 if nodes else 0
    for _ in range(len(nodes) + 1):  # refinement stops long before; the bound only guards it
        refined = {
            b: hashlib.sha256(
                repr(
                    (
                        colour[b],
                        sorted((term(s), p, g) for s, p, g in incoming[b]),
                        sorted((p, term(o), g) for p, o, g in outgoing[b]),
                    )
                ).encode()
            ).hexdigest()
            for b in nodes
        }
        colour = refined
        now = len(set(colour.values()))
        if now == distinct:
            break
        distinct = now
    order = sorted(nodes, key=lambda b: (colour[b], b))
    return {label: f"b{i}" for i, label in enumerate(order)}


def _stakeholders(quads) -> set[str]:
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    return {row["s"].value for row in store.query(_STAKEHOLDERS, use_default_graph_as_union=True)}


def iter_blocks(n: int, template: Template) -> Iterator[str]:
    """The N-times graph as text blocks: the ontology and schemes, then copies 0 .. n-1."""
    if n < 1:
        raise ValueError(f"the scale must be at least 1, got {n}")
    yield template.shared
    for k in range(n):
        yield template.block(k)


def write_scaled(n: int, out: IO[str], template: Template | None = None) -> int:
    """Write the N-times graph to ``out`` (a text stream); returns the number of quads written."""
    template = template or load_template()
    for block in iter_blocks(n, template):
        out.write(block)
    return template.quads(n)


def scaled_file(n: int, path: Path | str, template: Template | None = None) -> Path:
    """Write the N-times graph to ``path`` atomically (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        write_scaled(n, out, template)
    tmp.replace(path)
    return path


def open_scaled_store(path: Path | str):
    """An :class:`~treatykg.engine.store.EmbeddedStore` holding the N-Quads file ``path`` (instead of the
    build cache), loaded in memory the way ``EmbeddedStore.open`` loads the cache."""
    import pyoxigraph as ox

    from treatykg.engine.store import EmbeddedStore

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return EmbeddedStore(store)


def union_graph(path: Path | str, derived: bool = False):
    """The union of the named graphs of ``path`` as one rdflib Graph, for pySHACL: ontology,
    schemes and the curated copies, without the derived graphs (as ``treatykg validate`` sees the
    shipped graph) unless ``derived``. Quads are merged by pyoxigraph and handed over as
    N-Triples, which rdflib parses faster than N-Quads."""
    import pyoxigraph as ox
    from rdflib import Graph

    derived_graph = GRAPH_BASE + "derived"

    def keep(quad) -> bool:
        graph = quad.graph_name
        return derived or not (isinstance(graph, ox.NamedNode) and graph.value.startswith(derived_graph))

    triples = (
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)
        if keep(q)
    )
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return graph


def main(argv: list[str] | None = None) -> int:
    """``scale_graph.py N [-o FILE]``: write the N-times graph as N-Quads."""
    import argparse
    import time

    parser = argparse.ArgumentParser(
        prog="scale_graph.py", description="Write the shipped graph N times (renamed copies) as one N-Quads file."
    )
    parser.add_argument("n", type=int, help="the scale (1 = the shipped graph)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    parser.add_argument("--source", metavar="FILE", help="the 1x N-Quads to copy (default: the build cache)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    start = time.perf_counter()
    template = load_template(args.source)
    if args.output:
        scaled_file(args.n, args.output, template)
    else:
        write_scaled(args.n, sys.stdout, template)
        sys.stdout.flush()
    where = args.output or "standard output"
    took = time.perf_counter() - start
    print(f"wrote {template.quads(args.n):,} quads ({args.n}x) to {where} in {took:.1f} s", file=sys.stderr)
    return 0
