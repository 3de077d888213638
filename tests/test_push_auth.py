"""``treatykg push`` authenticates the way each store asks: HTTP Digest against a real Virtuoso 7
(``/sparql-graph-crud-auth``, session fixture in conftest), Basic and Bearer against a small
Graph Store listener started here on 127.0.0.1 that demands them and counts what it receives.
A push is idempotent and leaves graphs that are not ours untouched."""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.parse
import urllib.request
from collections import Counter

import pyoxigraph as ox
import pytest

from treatykg.cli import main

FOREIGN = "http://example.org/their-legislation"


def _virtuoso_counts(server) -> Counter:
    rows = server.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return Counter({row["g"]["value"]: int(row["n"]["value"]) for row in rows})


def _digest_put(server, graph: str, body: bytes) -> None:
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, server.crud_auth, "dba", "dba")
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
    url = server.crud_auth + "?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/n-triples"}, method="PUT")
    opener.open(request, timeout=30).read()


@pytest.mark.engines
def test_push_to_virtuoso_with_digest_is_idempotent_and_leaves_other_graphs(
    virtuoso_loaded, exported_nquads, monkeypatch, capsys
):
    ours = Counter(q.graph_name.value for q in ox.parse(path=str(exported_nquads), format=ox.RdfFormat.N_QUADS))
    _digest_put(virtuoso_loaded, FOREIGN, b'<http://example.org/act/1> <http://example.org/title> "Their act" .\n')
    before = _virtuoso_counts(virtuoso_loaded)
    monkeypatch.setenv("TREATYKG_PUSH_PASSWORD", "dba")
    for _ in range(2):
        assert main(["push", "--endpoint", virtuoso_loaded.crud_auth, "--user", "dba"]) == 0
        assert capsys.readouterr().out.startswith(f"pushed {len(ours)} graph(s)")
        after = _virtuoso_counts(virtuoso_loaded)
        assert after[FOREIGN] == 1, "a graph that is not ours is untouched"
        assert {g: after[g] for g in ours} == dict(ours), "every graph of ours holds exactly our triples"
        assert after == before, "the store is as it was: same graphs, same counts (system graphs included)"


@pytest.mark.engines
def test_push_to_virtuoso_with_a_wrong_password_is_one_line(virtuoso_loaded, monkeypatch, capsys):
    monkeypatch.setenv("TREATYKG_PUSH_PASSWORD", "wrong")
    assert main(["push", "--endpoint", virtuoso_loaded.crud_auth, "--user", "dba"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("error: ") and "HTTP 401" in err and "0 of" in err


class _Store(http.server.BaseHTTPRequestHandler):
    """A Graph Store listener that demands one scheme; records the Authorization headers seen."""

    expected: str = ""
    challenge: str = ""
    seen: list

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        auth = self.headers.get("Authorization")
        self.seen.append(auth)
        if auth == self.expected:
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(401)
        if self.challenge:
            self.send_header("WWW-Authenticate", self.challenge)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def listener():
    servers = []

    def start(expected: str, challenge: str) -> tuple[str, list]:
        handler = type("Handler", (_Store,), {"expected": expected, "challenge": challenge, "seen": []})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/store", handler.seen

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


BASIC = "Basic " + base64.b64encode(b"alice:s3cret").decode()


def test_push_answers_a_basic_challenge(listener, monkeypatch, capsys):
    url, seen = listener(BASIC, 'Basic realm="store"')
    monkeypatch.setenv("TREATYKG_PUSH_PASSWORD", "s3cret")
    assert main(["push", "--endpoint", url, "--user", "alice"]) == 0
    pushed = int(capsys.readouterr().out.split()[1])
    assert seen.count(BASIC) == pushed, "every graph arrived authenticated"
    assert seen[0] is None, "nothing sent before the server asked"


def test_push_sends_basic_up_front_when_asked(listener, monkeypatch, capsys):
    url, seen = listener(BASIC, "")  # a server that answers 401 without a challenge
    monkeypatch.setenv("TREATYKG_PUSH_PASSWORD", "s3cret")
    assert main(["push", "--endpoint", url, "--user", "alice", "--auth", "basic"]) == 0
    pushed = int(capsys.readouterr().out.split()[1])
    assert seen == [BASIC] * pushed


def test_push_sends_a_bearer_token(listener, monkeypatch, capsys):
    url, seen = listener("Bearer tok-123", 'Bearer realm="store"')
    monkeypatch.setenv("TREATYKG_PUSH_TOKEN", "tok-123")
    assert main(["push", "--endpoint", url]) == 0
    pushed = int(capsys.readouterr().out.split()[1])
    assert seen == ["Bearer tok-123"] * pushed


def test_digest_only_refuses_a_basic_challenge(listener, monkeypatch, capsys):
    """--auth digest never sends the password in Basic's clear form."""
    url, seen = listener(BASIC, 'Basic realm="store"')
    monkeypatch.setenv("TREATYKG_PUSH_PASSWORD", "s3cret")
    assert main(["push", "--endpoint", url, "--user", "alice", "--auth", "digest"]) == 2
    assert "HTTP 401" in capsys.readouterr().err
    assert BASIC not in seen


def _big_file(tmp_path, triples: int):
    """A Turtle file of ``triples`` triples and an N-Quads file spreading 3 graphs' worth."""
    ttl = tmp_path / "acts.ttl"
    ttl.write_text(
        "".join(f'<http://example.org/act/{i}> <http://example.org/title> "Act {i}" .\n' for i in range(triples))
    )
    nq = tmp_path / "more.nq"
    nq.write_text(
        "".join(
            f'<http://example.org/s/{i}> <http://example.org/p> "{i}" <http://example.org/g/{i % 3}> .\n'
            for i in range(triples)
        )
    )
    return ttl, nq


def _pushed_with_counts(select, triples: int) -> None:
    rows = select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'urn:treatykg:with:') || STRSTARTS(STR(?g), 'http://example.org/g/')) } GROUP BY ?g"
    )
    counts = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    third = triples // 3
    assert counts == {
        "urn:treatykg:with:acts.ttl": triples,
        "http://example.org/g/0": triples - 2 * third,
        "http://example.org/g/1": third,
        "http://example.org/g/2": third,
    }


def test_push_with_streams_large_files_in_chunks(tmp_path, capsys):
    """--with data goes in chunks (PUT the first, POST the rest); pushing twice gives the same store."""
    from treatykg.publish.push import push

    from . import servers
    from .test_push import _select

    ttl, nq = _big_file(tmp_path, 2500)
    extra = [(str(ttl), "urn:treatykg:with:acts.ttl"), (str(nq), "urn:treatykg:with:more.nq")]
    chunks = []
    with servers.oxigraph(union_default_graph=False) as base:
        for _ in range(2):
            done = push(f"{base}/store", extra=extra, chunk=1000, progress=lambda i, t, g, n: chunks.append(t))
            assert dict(done)["urn:treatykg:with:acts.ttl"] == 2500
            _pushed_with_counts(lambda q: _select(base, q), 2500)
    assert chunks.count(0) >= 2 * 5, "5000 triples in chunks of 1000, twice"


@pytest.mark.engines
def test_push_with_chunks_to_virtuoso(virtuoso_loaded, tmp_path, monkeypatch):
    from treatykg.publish.push import Credentials, push

    ttl, nq = _big_file(tmp_path, 2500)
    extra = [(str(ttl), "urn:treatykg:with:acts.ttl"), (str(nq), "urn:treatykg:with:more.nq")]
    for _ in range(2):
        push(virtuoso_loaded.crud_auth, Credentials("dba", "dba"), extra=extra, chunk=1000)
        _pushed_with_counts(virtuoso_loaded.select, 2500)


class _CountRequests(urllib.request.BaseHandler):
    """Counts every request the opener sends, retries after a 401 included."""

    handler_order = 1000  # after the auth handlers' own pre-processing

    def __init__(self) -> None:
        self.sent: list[bool] = []

    def http_request(self, request):
        self.sent.append(request.has_header("Authorization"))
        return request


@pytest.mark.engines
def test_digest_sends_each_body_once_after_the_first_challenge(virtuoso_loaded):
    """urllib's Digest handler sent every graph twice (without credentials, then again after the
    401); push answers the first challenge and then authenticates each request up front."""
    from treatykg.publish.push import Credentials, ReusingDigestAuthHandler, put_graph

    credentials = Credentials("dba", "dba")
    opener = credentials.opener(virtuoso_loaded.crud_auth)
    counter = _CountRequests()
    opener.add_handler(counter)
    graphs = [f"http://example.org/digest-once-{i}" for i in range(3)]
    for i, graph in enumerate(graphs):
        body = f'<http://example.org/act/{i}> <http://example.org/title> "Act {i}" .\n'.encode()
        put_graph(virtuoso_loaded.crud_auth, graph, body, credentials, 30, opener)
    handler = next(h for h in opener.handlers if isinstance(h, ReusingDigestAuthHandler))
    assert handler.challenges == 1
    assert counter.sent == [False, True, True, True], "one unauthenticated try, then one request per graph"
    counts = _virtuoso_counts(virtuoso_loaded)
    assert all(counts[graph] == 1 for graph in graphs)
