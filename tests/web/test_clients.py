"""Every ordinary SPARQLWrapper and rdflib ``SPARQLStore`` call against a real ``treatykg serve``
gets real rows: each return format SPARQLWrapper offers (it sends ``format``/``output``/``results``
parameters beside ``Accept``), its defaults for CONSTRUCT and DESCRIBE, ASK, GET and both POST
forms; plus the parameters Fuseki's and Virtuoso's clients send, ``Accept: application/xml``, and
our own remote store reading XML and Turtle answers. Unsafe or contradictory values stay refused."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from treatykg.engine.remote import RemoteStore
from treatykg.engine.store import QueryError

ART = "https://w3id.org/treatykg/uncc/art_"
DCT_TITLE = rdflib.URIRef("http://purl.org/dc/terms/title")
TITLE = "Law enforcement cooperation"
SELECT = f"SELECT ?title WHERE {{ <{ART}47> <{DCT_TITLE}> ?title }}"
ASK = f"ASK {{ <{ART}47> <{DCT_TITLE}> ?title }}"
CONSTRUCT = f"CONSTRUCT {{ <{ART}47> <{DCT_TITLE}> ?title }} WHERE {{ <{ART}47> <{DCT_TITLE}> ?title }}"
DESCRIBE = f"DESCRIBE <{ART}47>"
METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
METHOD_IDS = ["GET", "POST-form", "POST-body"]


def _client(server: str, query: str, method, request_method, fmt=None) -> SPARQLWrapper:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    client.setTimeout(30)
    if fmt is not None:
        client.setReturnFormat(fmt)
    return client


def _titles_from_solutions(fmt, converted) -> list[str]:
    if fmt == JSON:
        return [b["title"]["value"] for b in converted["results"]["bindings"]]
    if fmt in (XML, None):  # a minidom Document
        return [node.firstChild.data for node in converted.getElementsByTagName("literal")]
    if fmt == TSV:  # N-Triples-style terms: "Law enforcement cooperation"@en
        return [line.split('"')[1] for line in converted.decode().splitlines()[1:]]
    return [row[0] for row in list(csv.reader(io.StringIO(converted.decode())))[1:]]


@pytest.mark.parametrize(("method", "request_method"), METHODS, ids=METHOD_IDS)
@pytest.mark.parametrize("fmt", [None, JSON, XML, CSV, TSV], ids=["default", "json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(server, method, request_method, fmt):
    converted = _client(server, SELECT, method, request_method, fmt).query().convert()
    assert _titles_from_solutions(fmt, converted) == [TITLE]


@pytest.mark.parametrize(("method", "request_method"), METHODS, ids=METHOD_IDS)
@pytest.mark.parametrize("fmt", [None, JSON, XML], ids=["default", "json", "xml"])
def test_sparqlwrapper_ask(server, method, request_method, fmt):
    converted = _client(server, ASK, method, request_method, fmt).query().convert()
    if fmt == JSON:
        assert converted["boolean"] is True
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"


GRAPH_FORMATS = [None, XML, RDFXML, RDF, TURTLE, N3, JSONLD, JSON]


@pytest.mark.parametrize(("method", "request_method"), METHODS, ids=METHOD_IDS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=[str(f or "default") for f in GRAPH_FORMATS])
def test_sparqlwrapper_construct_in_every_format(server, method, request_method, fmt):
    result = _client(server, CONSTRUCT, method, request_method, fmt).query()
    converted = result.convert()
    if isinstance(converted, bytes):  # Turtle/N3 arrive as text; SPARQLWrapper leaves them to rdflib
        converted = rdflib.Graph().parse(data=converted.decode(), format="turtle")
    elif isinstance(converted, (dict, list)):  # JSON-LD (from format json)
        converted = rdflib.Graph().parse(data=json.dumps(converted), format="json-ld")
    titles = {str(o) for o in converted.objects(rdflib.URIRef(ART + "47"), DCT_TITLE)}
    assert titles == {TITLE}


@pytest.mark.parametrize(("method", "request_method"), METHODS, ids=METHOD_IDS)
def test_sparqlwrapper_describe_default(server, method, request_method):
    converted = _client(server, DESCRIBE, method, request_method).query().convert()
    assert TITLE in {str(o) for o in converted.objects(rdflib.URIRef(ART + "47"), DCT_TITLE)}
    assert len(converted) > 5


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore(server, method):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(server + "/sparql", method=method, timeout=30))
    assert [str(row.title) for row in graph.query(SELECT)] == [TITLE]
    assert graph.query(ASK).askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert {str(o) for o in constructed.objects(rdflib.URIRef(ART + "47"), DCT_TITLE)} == {TITLE}
    # triple-pattern access, which SPARQLStore turns into its own SELECT
    assert TITLE in {str(o) for o in graph.objects(rdflib.URIRef(ART + "47"), DCT_TITLE)}


def _get(server: str, params: dict, accept: str | None = None):
    headers = {"Accept": accept} if accept else {}
    request = urllib.request.Request(f"{server}/sparql?{urllib.parse.urlencode(params)}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


@pytest.mark.parametrize(
    ("params", "accept", "media"),
    [
        ({"output": "json"}, None, "application/sparql-results+json"),  # Fuseki
        ({"output": "csv"}, None, "text/csv"),
        ({"results": "xml"}, None, "application/sparql-results+xml"),
        ({"format": "application/sparql-results+json"}, None, "application/sparql-results+json"),  # Virtuoso
        ({"format": "text/csv"}, None, "text/csv"),
        ({"format": "json", "output": "json", "results": "json"}, None, "application/sparql-results+json"),
        ({}, "application/xml", "application/sparql-results+xml"),  # SPARQLWrapper's fallback, rdflib
        ({}, "text/xml", "application/sparql-results+xml"),
        ({"format": "turtle"}, "application/sparql-results+json", "application/sparql-results+json"),
    ],
)
def test_format_parameters_and_generic_types_are_read(server, params, accept, media):
    status, content_type, body = _get(server, {"query": SELECT, **params}, accept)
    assert status == 200 and content_type.startswith(media)
    assert TITLE in body.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "../../etc/passwd"}, b"unknown format"),
        ({"output": "<script>"}, b"unknown format"),
        ({"format": "json", "output": "csv"}, b"the format parameters disagree"),
        ({"format": ["json", "xml"]}, b"the format parameters disagree"),
        ({"format": ["json", "json", "json"]}, b"the 'format' parameter is given 3 times"),
        ({"format": "html", "output": "json"}, b"the format parameters disagree"),
    ],
)
def test_unknown_or_contradictory_formats_are_refused(server, params, message):
    query = urllib.parse.urlencode({"query": SELECT, **params}, doseq=True)
    request = urllib.request.Request(f"{server}/sparql?{query}")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 400 and caught.value.read().startswith(message)


def test_remote_store_reads_xml_and_turtle_answers(server):
    """Our remote store's fallbacks, on a real server made to answer XML results and Turtle."""
    as_xml = RemoteStore(server + "/sparql?format=xml").query(SELECT)
    assert [row["title"].value for row in as_xml.rows] == [TITLE]
    assert as_xml.rows[0]["title"].lang == "en"
    assert RemoteStore(server + "/sparql?format=xml").query(ASK).boolean is True
    as_turtle = RemoteStore(server + "/sparql?format=turtle").query(CONSTRUCT)
    assert f'<{ART}47> <{DCT_TITLE}> "{TITLE}"@en .' in as_turtle.ntriples


def test_a_server_that_never_answers_is_reported_within_the_timeout():
    """A listener started here accepts the connection and never answers: one line, in time."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", timeout=1)
        started = time.monotonic()
        with pytest.raises(QueryError) as caught:
            store.query(SELECT)
        assert time.monotonic() - started < 10, "liveness: reported well within 10 s"
        assert "no answer within 1 s" in str(caught.value) and "\n" not in str(caught.value)
        assert accepted, "the request reached the listener"
    finally:
        listener.close()
        for connection, _ in accepted:
            connection.close()
