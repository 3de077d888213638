"""Write the dataset (ontology + vocabularies + curated graph) in the standard RDF serialisations.

Quad formats (TriG, N-Quads) keep one named graph per source file, plus one for the triples the
rules in ``queries/rules/`` derive, so a consumer can tell the ontology from the Convention from
the debate from what was inferred; triple formats (Turtle, N-Triples, JSON-LD) merge them.
Blank nodes get canonical labels and N-Triples / N-Quads are sorted, so the same sources give
byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

#: CLI name -> (rdflib serializer, whether the format carries named graphs)
FORMATS: Final[dict[str, tuple[str, bool]]] = {
    "ttl": ("turtle", False),
    "nt": ("nt", False),
    "nq": ("nquads", True),
    "trig": ("trig", True),
    "jsonld": ("json-ld", False),
    "rdfxml": ("xml", False),
}
#: File extension -> format, so ``treatykg export -o dataset.nt`` needs no ``--format``.
EXTENSIONS: Final[dict[str, str]] = {
    ".ttl": "ttl",
    ".nt": "nt",
    ".nq": "nq",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
}
#: Names for messages.
FORMAT_NAMES: Final[dict[str, str]] = {
    "ttl": "Turtle",
    "nt": "N-Triples",
    "nq": "N-Quads",
    "trig": "TriG",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML",
}


def _sha256(data: bytes):
    """hashlib, imported on use: this module is imported by the CLI's parser for FORMATS."""
    import hashlib

    return hashlib.sha256(data)


def assemble():
    """The shipped dataset as (authored rdflib Dataset, derived Graph): parsed and derived once,
    so ``treatykg build`` can write every format from one load."""
    from rdflib import Graph

    from ..model.rules import derive
    from ..model.sources import load_dataset

    source = load_dataset()
    authored = Graph()
    for subject, predicate, obj, _ in source.quads((None, None, None, None)):
        authored.add((subject, predicate, obj))
    return source, derive(authored)


def serialise(fmt: str, assembled=None) -> str:
    """The shipped dataset serialised as ``fmt`` (one of :data:`FORMATS`)."""
    from ..model.sources import bind_prefixes

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    from rdflib import Dataset, Graph, URIRef

    from ..model.rules import DERIVED_GRAPH

    if fmt == "rdfxml":
        return _rdfxml(serialise("nt", assembled))
    serializer, quads = FORMATS[fmt]
    source, derived = assembled or assemble()
    # Blank nodes (quote selectors, RDF lists) get canonical labels (RGDA1), so that the same
    # sources serialise to the same bytes and diffs of an export show only real changes.
    if quads:
        dataset = Dataset()
        bind_prefixes(dataset)
        for graph in sorted(source.graphs(), key=lambda g: str(g.identifier)):
            if not len(graph):
                continue
            target = dataset.graph(graph.identifier)
            # Canonical labels restart in every graph; prefix them with a hash of the graph IRI so
            # that blank nodes of different graphs stay distinct in one N-Quads/TriG file.
            for triple in _canonical(graph):
                target.add(triple)
        target = dataset.graph(URIRef(DERIVED_GRAPH))
        for triple in derived:
            target.add(triple)
        text = _trig(dataset) if fmt == "trig" else dataset.serialize(format=serializer)
    else:
        # Blank nodes of different files are distinct (a file's labels are its own), so each
        # source graph is canonicalised alone, as for the quad formats: one graph with all of them
        # took rdflib's RGDA1 over a minute once the States' acts brought 450 alike blank nodes.
        canonical = Graph()
        bind_prefixes(canonical)
        for graph in sorted(source.graphs(), key=lambda g: str(g.identifier)):
            for triple in _canonical(graph):
                canonical.add(triple)
        canonical += derived
        if fmt == "jsonld":
            return _jsonld(canonical)
        text = canonical.serialize(format=serializer)
    if fmt in ("nt", "nq"):
        lines = sorted({line for line in text.splitlines() if line.strip()})
        text = "\n".join(lines) + "\n"
    return text


def _canonical(graph) -> list:
    """The triples of ``graph`` (an rdflib Graph) with canonical blank node labels, prefixed with a
    hash of the graph's IRI so that blank nodes of different graphs stay distinct in one file.

    Labels come from pyoxigraph's canonicalisation (``CanonicalizationAlgorithm.UNSTABLE``): the
    same triples give the same labels whatever labels the parser gave, which is what keeps an
    export's bytes stable. rdflib's RGDA1 gave that too but took over a minute on the 450 alike
    blank nodes of the States' acts (decision 81); "unstable" means the labels may change with a
    new Oxigraph version, never from one run to the next. Terms are converted, not re-parsed (a
    parser would give fresh blank node labels), and every other term is returned as it was."""
    import pyoxigraph as ox
    from rdflib import BNode

    from ..util.rdfconv import to_oxigraph

    triples = list(graph)
    if not any(isinstance(term, BNode) for triple in triples for term in triple):
        return triples
    original = {}

    def convert(term):
        converted = to_oxigraph(term)
        if not isinstance(term, BNode):
            original[converted] = term
        return converted

    dataset = ox.Dataset(ox.Quad(convert(s), convert(p), convert(o), ox.DefaultGraph()) for s, p, o in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    prefix = "g" + _sha256(str(graph.identifier).encode()).hexdigest()[:8]

    def back(term):
        return BNode(prefix + term.value) if isinstance(term, ox.BlankNode) else original[term]

    return [(back(q.subject), back(q.predicate), back(q.object)) for q in dataset]


def _rdfxml(ntriples: str) -> str:
    """RDF/XML for tools that read only it (older OWL editors, XSLT pipelines), written by
    pyoxigraph from the sorted N-Triples, so the same sources give the same bytes (rdflib's
    RDF/XML writer follows its store's iteration order)."""
    import pyoxigraph as ox

    from ..model.iri import PREFIXES

    triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    used = {name: iri for name, iri in PREFIXES.items() if f"<{iri}" in ntriples}
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used).decode("utf-8")


def _trig(dataset) -> str:
    """TriG with the named graphs in IRI order: rdflib writes them in its store's iteration order,
    which changes from run to run. Each graph is written as Turtle (rdflib orders subjects and
    predicates), under one shared prefix header."""
    from rdflib import Graph

    from ..model.sources import bind_prefixes

    header: list[str] = []
    blocks: list[str] = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        single = Graph()
        bind_prefixes(single)
        for triple in graph:
            single.add(triple)
        lines = single.serialize(format="turtle").splitlines()
        header += [line for line in lines if line.startswith("@prefix")]
        body = [("    " + line) if line else "" for line in lines if not line.startswith("@prefix")]
        while body and not body[0]:
            body.pop(0)
        while body and not body[-1]:
            body.pop()
        blocks.append(f"<{graph.identifier}> {{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(sorted(set(header))) + "\n\n" + "\n".join(blocks)


def _jsonld(graph) -> str:
    """Flattened JSON-LD with our published context (short keys such as ``about``, ``partOf``).

    Written here rather than by rdflib: rdflib's compacting JSON-LD writer drops blank-node
    objects (the quote selectors) and follows its store's iteration order. Every subject becomes
    one node object, in IRI order; blank nodes are nodes of their own (``_:c14n...`` labels from
    the canonical graph); values are compacted with the context's terms and prefixes. A test
    checks the file parses back to exactly the N-Triples export."""
    import json

    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF, XSD

    from ..model.context import jsonld_context

    context = jsonld_context()["@context"]
    by_iri: dict[str, tuple[str, str | None]] = {}  # property IRI -> (key, coercion)
    prefixes = sorted(
        ((v, k) for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))),
        key=lambda pair: -len(pair[0]),
    )

    def compact(iri: str) -> str:
        for namespace, prefix in prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return context[prefix] + local if isinstance(context.get(prefix), str) else value

    for key, definition in context.items():
        if isinstance(definition, dict):
            by_iri[expand(definition["@id"])] = (key, definition.get("@type"))
        elif not definition.endswith(("/", "#")):
            by_iri[expand(definition)] = (key, None)
    types_by_iri = {expand(v): k for k, v in context.items() if isinstance(v, str) and not v.endswith(("/", "#"))}

    def node_id(term) -> str:
        return f"_:{term}" if isinstance(term, BNode) else compact(str(term))

    def value(term, coercion: str | None):
        if isinstance(term, (URIRef, BNode)):
            return node_id(term) if coercion == "@id" else {"@id": node_id(term)}
        assert isinstance(term, Literal)
        if term.language:
            return {"@value": str(term), "@language": term.language}
        datatype = str(term.datatype) if term.datatype else str(XSD.string)
        if coercion and coercion != "@id" and expand(coercion) == datatype:
            return str(term)
        if datatype == str(XSD.string) and not coercion:
            return str(term)
        return {"@value": str(term), "@type": compact(datatype)}

    nodes: dict[str, dict] = {}
    for subject, predicate, obj in graph:
        node = nodes.setdefault(node_id(subject), {"@id": node_id(subject)})
        if predicate == RDF.type and isinstance(obj, URIRef):
            node.setdefault("@type", []).append(types_by_iri.get(str(obj)) or compact(str(obj)))
            continue
        key, coercion = by_iri.get(str(predicate), (compact(str(predicate)), None))
        node.setdefault(key, []).append(value(obj, coercion))
    ordered = []
    for identifier in sorted(nodes):
        node = nodes[identifier]
        out: dict = {"@id": node["@id"]}
        for key in sorted(k for k in node if k != "@id"):
            values = sorted(node[key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            out[key] = values[0] if len(values) == 1 else values
        ordered.append(out)
    document = {"@context": context, "@graph": ordered}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export(fmt: str, output: Path | None = None) -> str:
    """Serialise and write to ``output`` (atomically) or return the text for stdout."""
    text = serialise(fmt)
    if output is not None:
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        _write(output, text)
    return text


# --- dist/: the publishable dataset ------------------------------------------------------------------

DATASET_IRI: Final = "https://w3id.org/treatykg/dataset"
LICENCE: Final = "https://creativecommons.org/licenses/by/4.0/"
#: dist/ file name -> (export format, media type)
DIST_FILES: Final[dict[str, tuple[str, str]]] = {
    "treatykg.ttl": ("ttl", "text/turtle"),
    "treatykg.nt": ("nt", "application/n-triples"),
    "treatykg.nq": ("nq", "application/n-quads"),
    "treatykg.trig": ("trig", "application/trig"),
    "treatykg.jsonld": ("jsonld", "application/ld+json"),
}
EXAMPLES: Final = (
    "https://w3id.org/treatykg/uncc",
    "https://w3id.org/treatykg/uncc/art_24",
    "https://w3id.org/treatykg/uncc/art_47__para_1",
    "https://w3id.org/treatykg/doc/joint-letter-eu-vote-no",
    "https://w3id.org/treatykg/claim/jl-vote-no-general-assembly",
    "https://w3id.org/treatykg/org/electronic-frontier-foundation",
)


def _write(path: Path, text: str) -> Path:
    """Atomic write: a reader never sees half a file, an interrupted build leaves the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def build(output: Path, endpoint: str | None = None, progress=None) -> list[Path]:
    """Write ``output/`` (usually ``dist/``): the dataset in five serialisations, the JSON-LD
    context and a VoID + DCAT description; refresh the query build cache. Returns the files."""
    from ..engine.store import cached_dataset_path
    from ..model.context import context_text

    def say(message: str) -> None:
        if progress:
            progress(message)

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    say("parsing sources and deriving positions")
    assembled = assemble()
    written = []
    for name, (fmt, _media) in DIST_FILES.items():
        say(f"writing {name}")
        written.append(_write(output / name, serialise(fmt, assembled)))
    written.append(_write(output / "context.jsonld", context_text()))
    say("writing void.ttl")
    written.append(_write(output / "void.ttl", describe_dataset(assembled, output, endpoint)))
    say("refreshing the query cache")
    cached_dataset_path()
    return sorted(written)


def _vocabularies(union) -> list[str]:
    """Namespaces (from our prefix table) of every predicate and class the data uses."""
    from rdflib import RDF

    from ..model.iri import PREFIXES

    used = {str(p) for p in union.predicates()} | {str(o) for o in union.objects(None, RDF.type)}
    namespaces = sorted(PREFIXES.values(), key=len, reverse=True)
    found = set()
    for iri in used:
        for namespace in namespaces:
            if iri.startswith(namespace):
                found.add(namespace)
                break
    return sorted(found)


def describe_dataset(assembled, output: Path | None, endpoint: str | None = None) -> str:
    """VoID + DCAT (DCAT-AP style) for the dataset: licence, version, counts per named graph,
    vocabularies, example resources, the distributions in ``output`` with sizes and SHA-256, and
    the SPARQL endpoint when one is given (no distributions when ``output`` is None, as served by
    ``treatykg serve`` at ``/.well-known/void``). Written as text so the output is byte-stable;
    distribution IRIs are relative, so they resolve next to ``void.ttl`` wherever it is put."""
    import json

    from rdflib import Graph

    from .. import __version__
    from ..model.rules import DERIVED_GRAPH

    source, derived = assembled
    union = Graph()
    for s, p, o, _ in source.quads((None, None, None, None)):
        union.add((s, p, o))
    union += derived
    graphs = [(str(g.identifier), len(g)) for g in source.graphs() if len(g)] + [(DERIVED_GRAPH, len(derived))]

    def literal(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = [
        "# VoID and DCAT description of the treatykg dataset. Generated by `treatykg build`; do not edit.",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix spdx: <http://spdx.org/rdf/terms#> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "",
        f"<{DATASET_IRI}> a void:Dataset , dcat:Dataset ;",
        f"    dct:title {literal('treatykg: the UN Convention against Cybercrime and the debate about it')}@en ;",
        "    dct:description "
        + literal(
            "An open knowledge graph of the United Nations Convention against Cybercrime (A/RES/79/243): its "
            "structure, typed cross-references, deontic force, powers, cooperation mechanisms and safeguards, and "
            "the claims of the public debate about it, each traceable to its source document."
        )
        + "@en ;",
        f"    dct:license <{LICENCE}> ;",
        f"    dcat:version {literal(__version__)} ;",
        "    dct:conformsTo <https://w3id.org/treatykg/ontology> ;",
        '    dcat:keyword "cybercrime"@en , "treaty"@en , "human rights"@en , "mutual legal assistance"@en ;',
        "    foaf:homepage <https://w3id.org/treatykg> ;",
        '    void:uriSpace "https://w3id.org/treatykg/" ;',
        f"    void:triples {len(union)} ;",
        f"    void:distinctSubjects {len(set(union.subjects()))} ;",
        f"    void:properties {len(set(union.predicates()))} ;",
    ]
    lines += [f"    void:vocabulary <{ns}> ;" for ns in _vocabularies(union)]
    lines += [f"    void:exampleResource <{iri}> ;" for iri in EXAMPLES]
    if endpoint:
        lines.append(f"    void:sparqlEndpoint <{endpoint}> ;")
    lines += [f"    void:subset <{iri}> ;" for iri, _ in sorted(graphs)]
    if output is not None:
        lines += [f"    dcat:distribution <{name}> ;" for name in sorted(DIST_FILES)]
    lines[-1] = lines[-1][:-1] + "."
    lines.append("")
    for iri, count in sorted(graphs):
        lines.append(f"<{iri}> a void:Dataset ; void:triples {count} .")
    lines.append("")
    for name in sorted(DIST_FILES) if output is not None else []:
        _fmt, media = DIST_FILES[name]
        path = Path(output) / name
        data = path.read_bytes() if path.exists() else b""
        digest = _sha256(data).hexdigest()
        lines += [
            f"<{name}> a dcat:Distribution ;",
            f"    dcat:downloadURL <{name}> ;",
            f"    dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;",
            f"    dcat:byteSize {len(data)} ;",
            f"    dct:license <{LICENCE}> ;",
            "    spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;",
            f'        spdx:checksumValue "{digest}"^^xsd:hexBinary ] .',
            "",
        ]
    return "\n".join(lines)
