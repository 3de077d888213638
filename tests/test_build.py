"""``treatykg build`` writes a publishable dist/: five serialisations that hold the same triples,
a JSON-LD @context generated from the ontology, and a VoID + DCAT description whose counts,
sizes and checksums match the files. The output is byte-identical from run to run."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter

import pyoxigraph as ox
import pytest

from treatykg.cli import main

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
DATASET = "https://w3id.org/treatykg/dataset"


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    output = tmp_path_factory.mktemp("dist")
    assert main(["build", "--output", str(output), "--endpoint", "http://127.0.0.1:8000/sparql"]) == 0
    return output


def _void(dist) -> list:
    base = dist.as_uri() + "/"
    return list(ox.parse(path=str(dist / "void.ttl"), format=ox.RdfFormat.TURTLE, base_iri=base))


def _objects(triples, subject: str, predicate: str) -> list:
    return [t.object for t in triples if t.subject.value == subject and t.predicate.value == predicate]


def test_files(dist):
    names = sorted(p.name for p in dist.iterdir())
    assert names == [
        "context.jsonld",
        "treatykg.jsonld",
        "treatykg.nq",
        "treatykg.nt",
        "treatykg.trig",
        "treatykg.ttl",
        "void.ttl",
    ]


def _triples(path, fmt) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def test_every_serialisation_holds_the_same_triples(dist):
    reference = _triples(dist / "treatykg.nt", ox.RdfFormat.N_TRIPLES)
    assert len(reference) > 9000
    for name, fmt in [
        ("treatykg.ttl", ox.RdfFormat.TURTLE),
        ("treatykg.jsonld", ox.RdfFormat.JSON_LD),
        ("treatykg.nq", ox.RdfFormat.N_QUADS),
        ("treatykg.trig", ox.RdfFormat.TRIG),
    ]:
        assert _triples(dist / name, fmt) == reference, name


def test_trig_and_nquads_keep_the_same_named_graphs(dist):
    nq = Counter(q.graph_name.value for q in ox.parse(path=str(dist / "treatykg.nq"), format=ox.RdfFormat.N_QUADS))
    trig = Counter(q.graph_name.value for q in ox.parse(path=str(dist / "treatykg.trig"), format=ox.RdfFormat.TRIG))
    assert nq == trig
    assert "https://w3id.org/treatykg/graph/derived" in nq


def test_jsonld_uses_the_published_context(dist):
    data = json.loads((dist / "treatykg.jsonld").read_text())
    context = json.loads((dist / "context.jsonld").read_text())
    assert data["@context"] == context["@context"]
    article = next(node for node in data["@graph"] if node["@id"] == "uncc:art_24")
    assert article["@type"] == ["Article", "SafeguardProvision"]
    assert article["appliesTo"] == "uncc:chp_IV"
    assert article["title"] == {"@language": "en", "@value": "Conditions and safeguards"}
    claim = next(node for node in data["@graph"] if node["@id"] == "claim:jl-vote-no-general-assembly")
    assert claim["derivedFrom"] == "doc:joint-letter-eu-vote-no"


def test_context_has_a_key_for_every_declared_term(union_graph):
    from rdflib import OWL, RDF

    from treatykg.model.context import jsonld_context

    context = jsonld_context()["@context"]
    tkg = "https://w3id.org/treatykg/ontology#"
    declared = {
        str(s)[len(tkg) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in union_graph.subjects(RDF.type, kind)
        if str(s).startswith(tkg)
    }
    missing = sorted(name for name in declared if name not in context)
    assert missing == []
    assert context["about"] == {"@id": "tkg:about", "@type": "@id"}


def test_void_counts_match_the_data(dist):
    triples = _void(dist)
    total = _objects(triples, DATASET, VOID + "triples")[0]
    assert int(total.value) == len(_triples(dist / "treatykg.nt", ox.RdfFormat.N_TRIPLES))
    per_graph = Counter(
        q.graph_name.value for q in ox.parse(path=str(dist / "treatykg.nq"), format=ox.RdfFormat.N_QUADS)
    )
    subsets = {o.value for o in _objects(triples, DATASET, VOID + "subset")}
    assert subsets == set(per_graph)
    for graph, count in per_graph.items():
        assert int(_objects(triples, graph, VOID + "triples")[0].value) == count, graph
    vocabularies = {o.value for o in _objects(triples, DATASET, VOID + "vocabulary")}
    assert {
        "http://data.europa.eu/eli/ontology#",
        "http://www.w3.org/ns/prov#",
        "https://w3id.org/treatykg/ontology#",
        "http://www.w3.org/ns/oa#",
    } <= vocabularies
    assert [o.value for o in _objects(triples, DATASET, VOID + "sparqlEndpoint")] == ["http://127.0.0.1:8000/sparql"]
    assert [o.value for o in _objects(triples, DATASET, "http://purl.org/dc/terms/license")] == [
        "https://creativecommons.org/licenses/by/4.0/"
    ]


def test_example_resources_exist(dist, kg):
    for example in _objects(_void(dist), DATASET, VOID + "exampleResource"):
        assert kg.sparql(f"ASK {{ <{example.value}> ?p ?o }}").boolean, example.value


def test_distributions_have_true_sizes_and_checksums(dist):
    triples = _void(dist)
    distributions = _objects(triples, DATASET, DCAT + "distribution")
    assert len(distributions) == 5
    for node in distributions:
        path = dist / node.value.rsplit("/", 1)[1]
        data = path.read_bytes()
        assert int(_objects(triples, node.value, DCAT + "byteSize")[0].value) == len(data)
        checksum = _objects(triples, node.value, SPDX + "checksum")[0]
        value = [
            t.object.value for t in triples if t.subject == checksum and t.predicate.value == SPDX + "checksumValue"
        ]
        assert value == [hashlib.sha256(data).hexdigest()]


def test_build_is_byte_identical_across_runs(dist, tmp_path):
    """A second build in another process, with another hash seed (set and dict orders change)."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [
        sys.executable,
        "-m",
        "treatykg",
        "build",
        "-o",
        str(tmp_path),
        "--endpoint",
        "http://127.0.0.1:8000/sparql",
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    for path in sorted(dist.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_docs_command_writes_the_reference(tmp_path, capsys):
    assert main(["docs", "--output", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    names = sorted(p.rsplit("/", 1)[1] for p in printed)
    assert names == ["index.html", "model.svg", "shapes.html", "style.css", "vocabularies.html"]
    assert 'id="appliesTo"' in (tmp_path / "index.html").read_text()
