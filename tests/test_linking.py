"""Working with other graphs: ``--with FILE_OR_URL`` loads another graph beside ours as its own
named graph so queries join across them, and federated ``SERVICE`` works when allowed. The
external graph is the real ELI ontology (shared/external/eli-ontology-1.5.rdf) as a file and over
HTTP from a local server, and a second real ``oxigraph serve``."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import threading
import urllib.request

import pytest

from treatykg.cli import main

from . import servers
from .conftest import REPO

ELI_FILE = REPO.parent / "shared" / "external" / "eli-ontology-1.5.rdf"
needs_eli = pytest.mark.skipif(not ELI_FILE.exists(), reason="shared/external/eli-ontology-1.5.rdf is not present")

# Which ELI class is each of our articles, by our subclass axioms, and what does ELI call it?
JOIN = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT DISTINCT ?eliClass ?eliLabel WHERE {
  <https://w3id.org/treatykg/uncc/art_24> a ?ours .
  ?ours rdfs:subClassOf+ ?eliClass .
  GRAPH ?external { ?eliClass rdfs:label ?eliLabel }
  FILTER (?external = <%s>)
}
ORDER BY ?eliClass"""


def _csv(capsys) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


@needs_eli
def test_with_file_joins_our_provisions_with_the_eli_ontology(capsys):
    graph = "urn:treatykg:with:eli-ontology-1.5.rdf"
    assert main(["sparql", JOIN % graph, "--with", str(ELI_FILE), "--format", "csv"]) == 0
    rows = _csv(capsys)
    # ours: tkg:Article < tkg:Provision < eli:LegalResourceSubdivision (< eli:LegalResource);
    # ELI's own axioms, from the other graph, add Work and WorkSubdivision
    assert {r["eliClass"]: r["eliLabel"] for r in rows} == {
        "http://data.europa.eu/eli/ontology#LegalResource": "Legal Resource",
        "http://data.europa.eu/eli/ontology#LegalResourceSubdivision": "Legal Resource Subdivision",
        "http://data.europa.eu/eli/ontology#Work": "Work",
        "http://data.europa.eu/eli/ontology#WorkSubdivision": "Work Subdivision",
    }
    # without --with, the ELI labels are not there: the join really used the other graph
    assert main(["sparql", JOIN % graph, "--format", "csv"]) == 0
    assert _csv(capsys) == []


@pytest.fixture
def http_files():
    """A real HTTP server on loopback serving shared/external/."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the test's stderr for treatykg's own messages
            pass

    handler = functools.partial(Quiet, directory=str(ELI_FILE.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", servers.free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@needs_eli
def test_with_url_names_the_graph_by_its_url(http_files, capsys):
    url = f"{http_files}/{ELI_FILE.name}"
    assert main(["sparql", JOIN % url, "--with", url, "--format", "csv"]) == 0
    labels = {r["eliLabel"] for r in _csv(capsys)}
    assert labels == {"Legal Resource", "Legal Resource Subdivision", "Work", "Work Subdivision"}


@needs_eli
def test_with_url_errors_are_one_line(http_files, capsys):
    assert main(["sparql", "ASK {}", "--with", f"{http_files}/missing.ttl"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {http_files}/missing.ttl: HTTP 404 File not found"
    assert main(["sparql", "ASK {}", "--with", f"{http_files}/README.md"]) == 2
    assert "cannot tell the RDF format" in capsys.readouterr().err


def test_with_and_endpoint_do_not_mix(capsys):
    assert main(["sparql", "ASK {}", "--with", "x.ttl", "--endpoint", "http://127.0.0.1:9/sparql"]) == 2
    assert "cannot be combined with --endpoint" in capsys.readouterr().err


@pytest.fixture(scope="module")
def remote_legal_graph():
    """A second store holding a triple about an EU act, as another legal-data publisher would."""
    with servers.oxigraph() as base:
        triple = (
            "<http://data.europa.eu/eli/dir/2016/680/oj> <http://data.europa.eu/eli/ontology#date_document> "
            '"2016-04-27"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        )
        request = urllib.request.Request(
            f"{base}/store?default", data=triple.encode(), headers={"Content-Type": "application/n-triples"}
        )
        urllib.request.urlopen(request, timeout=30).read()
        yield base


FEDERATED = """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT DISTINCT ?act ?date WHERE {
  ?claim tkg:allegesConflictWith ?act .
  SERVICE <%s/query> { ?act <http://data.europa.eu/eli/ontology#date_document> ?date }
}"""


def test_federated_service_when_allowed(remote_legal_graph, capsys):
    query = FEDERATED % remote_legal_graph
    assert main(["sparql", query, "--format", "csv"]) == 2
    assert "allow it with --allow-service" in capsys.readouterr().err
    assert main(["sparql", query, "--allow-service", "--format", "csv"]) == 0
    assert _csv(capsys) == [{"act": "http://data.europa.eu/eli/dir/2016/680/oj", "date": "2016-04-27"}]
