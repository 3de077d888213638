"""``/sparql`` speaks the SPARQL 1.1 Protocol: a standard client (SPARQLWrapper) and curl get the
same answers as the embedded store, in every negotiated format; limits and refusals are clear."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper

from treatykg.engine.catalogue import Catalogue
from treatykg.model.iri import sparql_prefixes

from .conftest import MAX_ROWS

ART = "https://w3id.org/treatykg/uncc/art_"
TITLE_47 = sparql_prefixes(["dct"]) + f"SELECT ?title WHERE {{ <{ART}47> dct:title ?title }}"


def _bypass_text() -> str:
    catalogue = Catalogue()
    return catalogue.get("bypass-mla").text


def _request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _get(server: str, params: dict, accept: str | None = None):
    headers = {"Accept": accept} if accept else {}
    return _request(f"{server}/sparql?{urllib.parse.urlencode(params)}", headers=headers)


def test_sparqlwrapper_gets_the_bypass_answer(server, kg):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(_bypass_text())
    client.setReturnFormat(JSON)
    data = client.query().convert()
    remote = sorted(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in data["results"]["bindings"])
    local = sorted(tuple(sorted(row.items())) for row in kg.sparql(_bypass_text()).values())
    assert remote == local
    mechanisms = {v["value"] for b in data["results"]["bindings"] for v in b.values()}
    assert ART + "47__para_1" in mechanisms
    assert ART + "24" not in mechanisms


@pytest.mark.parametrize("method", ["get", "post-form", "post-direct"])
def test_all_three_protocol_operations_answer_alike(server, method):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(TITLE_47)
    client.setReturnFormat(JSON)
    if method != "get":
        client.setMethod(POST)
        client.setRequestMethod("postdirectly" if method == "post-direct" else "urlencoded")
    data = client.query().convert()
    assert [b["title"]["value"] for b in data["results"]["bindings"]] == ["Law enforcement cooperation"]


def test_xml_and_csv_results_through_sparqlwrapper(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(TITLE_47)
    client.setReturnFormat(XML)
    document = client.query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["Law enforcement cooperation"]
    client.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode())))
    assert rows == [["title"], ["Law enforcement cooperation"]]


def test_content_negotiation_for_solutions(server):
    status, headers, body = _get(server, {"query": TITLE_47}, "text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines() == ["?title", '"Law enforcement cooperation"@en']
    status, headers, body = _get(server, {"query": TITLE_47}, "application/sparql-results+xml")
    binding = ET.fromstring(body).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert binding.text == "Law enforcement cooperation"
    assert binding.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    status, headers, body = _get(server, {"query": TITLE_47, "format": "csv"}, "application/sparql-results+xml")
    assert headers["Content-Type"].startswith("text/csv"), "format= overrides the Accept header"
    status, _, body = _get(server, {"query": f"ASK {{ <{ART}24> ?p ?o }}"})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_in_every_rdf_format(server, accept, fmt):
    query = (
        sparql_prefixes(["dct"])
        + f"CONSTRUCT {{ ?a dct:title ?t }} WHERE {{ VALUES ?a {{ <{ART}24> <{ART}47> }} ?a dct:title ?t }}"
    )
    status, headers, body = _get(server, {"query": query}, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    titles = {str(t.object.value) for t in ox.parse(body, format=fmt)}
    assert titles == {"Conditions and safeguards", "Law enforcement cooperation"}


def test_unacceptable_type_is_406(server):
    status, _, body = _get(server, {"query": TITLE_47}, "image/png")
    assert status == 406 and b"offers" in body


def test_malformed_query_is_400_with_the_parser_message(server):
    status, _, body = _get(server, {"query": "SELECT * WHERE { ?s ?p }"})
    assert status == 400
    assert body.decode().startswith("SPARQL syntax error: error at 1:")


def test_update_is_refused_and_changes_nothing(server):
    update = f'PREFIX dct: <http://purl.org/dc/terms/> INSERT DATA {{ <{ART}47> dct:title "Hacked" }}'
    status, _, body = _request(
        f"{server}/sparql",
        urllib.parse.urlencode({"update": update}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403 and b"--allow-update" in body
    status, _, body = _request(f"{server}/sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, body = _get(server, {"update": update})
    assert status == 400 and b"POST" in body
    _, _, body = _get(server, {"query": TITLE_47, "format": "csv"})
    assert "Hacked" not in body.decode()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_unless_allowed(server, query):
    status, _, body = _get(server, {"query": query})
    assert status == 403 and b"--allow-service" in body


def test_the_word_service_in_a_literal_is_fine(server):
    status, _, body = _get(server, {"query": 'SELECT ?x WHERE { BIND ("SERVICE" AS ?x) } # SERVICE', "format": "csv"})
    assert status == 200 and body.decode().splitlines() == ["x", "SERVICE"]


def test_result_size_limit(server):
    status, _, body = _get(server, {"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert status == 422
    assert f"more than {MAX_ROWS} rows".encode() in body
    status, _, body = _get(server, {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10", "format": "csv"})
    assert status == 200 and len(body.decode().splitlines()) == 11


def test_request_limits_and_wrong_content_type(server):
    status, _, body = _request(
        f"{server}/sparql", b"query=" + b"x" * 1_100_000, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 413
    status, _, body = _request(f"{server}/sparql", TITLE_47.encode(), {"Content-Type": "text/plain"})
    assert status == 415 and b"application/sparql-query" in body
    status, _, body = _get(server, {"query": TITLE_47, "format": "../../etc/passwd"})
    assert status == 400 and body.startswith(b"unknown format")


def test_an_oversized_upload_is_answered_not_reset(server):
    """urllib sends the whole body before reading: the server reads and drops a refused body
    (up to protocol.DRAIN_BYTES) so the client gets its 413 rather than a broken pipe."""
    for _ in range(5):
        status, _, body = _request(
            f"{server}/sparql", b"query=" + b"x" * 2_000_000, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 413 and b"too large" in body


def test_default_graph_uri_sets_the_dataset(server):
    articles = "https://w3id.org/treatykg/graph/convention/articles"
    status, _, body = _get(server, {"query": TITLE_47, "default-graph-uri": articles, "format": "csv"})
    assert status == 200 and body.decode().splitlines()[1:] == ["Law enforcement cooperation"]
    claims = "https://w3id.org/treatykg/graph/debate/claims/joint-letter-eu-vote-no"
    status, _, body = _get(server, {"query": TITLE_47, "default-graph-uri": claims, "format": "csv"})
    assert status == 200 and body.decode().splitlines() == ["title"]
    status, _, body = _get(server, {"query": TITLE_47, "default-graph-uri": "not an iri"})
    assert status == 400


def test_service_description_when_no_query(server):
    status, _headers, body = _request(f"{server}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    endpoint = {t.object.value for t in triples if t.predicate.value.endswith("#endpoint")}
    assert endpoint == {f"{server}/sparql"}


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_with_the_protocol(server):
    out = subprocess.run(
        ["curl", "-s", "-f", "-H", "Accept: text/csv", "--data-urlencode", f"query={TITLE_47}", f"{server}/sparql"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert out.splitlines() == ["title", "Law enforcement cooperation"]
    out = subprocess.run(
        [
            "curl",
            "-s",
            "-f",
            "-H",
            "Content-Type: application/sparql-query",
            "-H",
            "Accept: application/sparql-results+json",
            "--data-binary",
            f"ASK {{ <{ART}47> ?p ?o }}",
            f"{server}/sparql",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert json.loads(out)["boolean"] is True
