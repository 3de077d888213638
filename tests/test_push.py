"""``treatykg push`` loads the dataset into a real ``oxigraph serve`` over the SPARQL 1.1 Graph
Store Protocol, replacing only its own named graphs."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter

import pyoxigraph as ox
import pytest

from treatykg.cli import main
from treatykg.engine.store import cached_dataset_path
from treatykg.publish.push import Credentials, graphs

from . import servers

FOREIGN = "http://example.org/their-legislation"
OURS = "https://w3id.org/treatykg/graph/convention/articles"


def _select(base: str, query: str) -> list[dict]:
    url = f"{base}/query?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["results"]["bindings"]


def _counts(base: str) -> Counter:
    rows = _select(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return Counter({row["g"]["value"]: int(row["n"]["value"]) for row in rows})


def _put(base: str, graph: str, body: str) -> None:
    url = f"{base}/store?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/n-triples"}, method="PUT"
    )
    urllib.request.urlopen(request, timeout=30).read()


def _local_counts() -> Counter:
    store = ox.Store()
    store.bulk_load(path=str(cached_dataset_path()), format=ox.RdfFormat.N_QUADS)
    return Counter(q.graph_name.value for q in store)


@pytest.fixture
def oxigraph():
    with servers.oxigraph(union_default_graph=False) as base:
        yield base


def test_push_replaces_only_our_graphs(oxigraph, capsys):
    _put(oxigraph, FOREIGN, '<http://example.org/act/1> <http://example.org/title> "Their act" .\n')
    _put(oxigraph, OURS, '<http://example.org/stale> <http://example.org/p> "left over from last time" .\n')
    assert main(["push", "--endpoint", f"{oxigraph}/store"]) == 0
    out = capsys.readouterr()
    local = _local_counts()
    assert out.out.startswith(f"pushed {len(local)} graph(s), {sum(local.values())} triples")
    assert "[1/" in out.err  # progress, one line per graph
    remote = _counts(oxigraph)
    assert remote[FOREIGN] == 1, "a graph that is not ours is untouched"
    del remote[FOREIGN]
    assert remote == local, "every graph of ours holds exactly our triples (the stale triple is gone)"
    assert main(["push", "--endpoint", f"{oxigraph}/store"]) == 0
    again = _counts(oxigraph)
    del again[FOREIGN]
    assert again == local, "pushing twice gives the same store"


def test_push_into_one_graph(oxigraph, capsys):
    target = "http://example.org/graphs/treatykg"
    assert main(["push", "--endpoint", f"{oxigraph}/store", "--graph", target]) == 0
    remote = _counts(oxigraph)
    assert list(remote) == [target]
    # one graph: quads that differ only by graph collapse to one triple
    assert 0 < remote[target] <= sum(_local_counts().values())
    title = _select(
        oxigraph,
        "SELECT ?t WHERE { GRAPH ?g { <https://w3id.org/treatykg/uncc/art_47> <http://purl.org/dc/terms/title> ?t } }",
    )
    assert [row["t"]["value"] for row in title] == ["Law enforcement cooperation"]


def test_push_errors_are_one_line(capsys):
    port = servers.free_port()
    assert main(["push", "--endpoint", f"http://127.0.0.1:{port}/store"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: http://127.0.0.1:") and "0 of" in err[-1] and "cannot connect" in err[-1]
    assert main(["push", "--endpoint", "ftp://example.org/store"]) == 2
    assert "http(s) URL" in capsys.readouterr().err


def test_push_http_error_names_status_and_graph(oxigraph, capsys):
    # /query does not accept PUT: the store answers with an HTTP error, named in the message
    assert main(["push", "--endpoint", f"{oxigraph}/query"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "HTTP 4" in err and "while replacing graph <https://w3id.org/treatykg/graph/" in err


def test_credentials_headers(monkeypatch):
    assert Credentials("alice", "s3cret").header() == "Basic YWxpY2U6czNjcmV0"
    monkeypatch.setenv("TREATYKG_PUSH_TOKEN", "tok")
    assert Credentials.from_env(None).header() == "Bearer tok"
    assert Credentials().header() is None


def test_graphs_are_sorted_and_complete():
    names = [graph for graph, _body, _count in graphs()]
    assert names == sorted(names) and OURS in names and "https://w3id.org/treatykg/graph/derived" in names
