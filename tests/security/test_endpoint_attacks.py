"""Attacks on the public SPARQL endpoint and the ``treatykg serve`` process (issue 14).

Each test reproduces an attack from the issue against a real server (started here on a free
127.0.0.1 port) or the real engine, and asserts what the attacker gets: the status, the message,
a counter of requests that reached a listener the test started, the memory a worker used.
All traffic stays on 127.0.0.1 and every loop is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treatykg.engine.pool import Job, NoWorkerError, QueryPool, ServiceRefusedError
from treatykg.model.iri import sparql_prefixes
from treatykg.util.sparqltext import SparqlLexError, fetching_keyword, iter_tokens, tokenize

from .. import servers
from ..helpers import write
from ..web.test_protocol import _request

MARKER = "LISTENER-BODY-7f3a"
TITLE_47 = sparql_prefixes(["dct"]) + "SELECT ?title WHERE { <https://w3id.org/treatykg/uncc/art_47> dct:title ?title }"
LIVENESS = 10.0  # seconds: a generous bound for "the server still answers", not a timing assert


# --- a listener that counts the requests reaching it ------------------------------------------------


class Listener:
    """An HTTP server on 127.0.0.1 that counts requests and answers ``status`` with a marker body."""

    def __init__(self, status: int = 500, body: str = MARKER) -> None:
        self.hits: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listener.hits.append(self.path)
                payload = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer  # noqa: N815 - the names http.server calls

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> Listener:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with Listener() as running:
        yield running


# --- 1. SERVICE/LOAD decided on tokens ---------------------------------------------------------------

TRICKY = {
    # text: the fetching keyword the guard must see (None: no fetch)
    "SELECT * { ?s ?p 1SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { ?s ?p trueSERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { ?s ?p falseSERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { ?s ?p 1.0SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { ?s ?p 1e5SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { ?s ?p -.5e-3SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    'SELECT * { ?s ?p "x"SERVICE <{U}> { ?a ?b ?c } }': "SERVICE",
    "SELECT * { ?s ?p '''x'''SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { ?s ?p <x>SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { {?s ?p ?o}SERVICE<{U}>{?a ?b ?c} }": "SERVICE",
    "SELECT * { SeRvIcE SILENT <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { \\u0053ERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { \\U00000053ERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { # comment\nSERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { # comment \\u000A SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "SELECT * { LATERAL { SERVICE <{U}> { ?a ?b ?c } } }": "SERVICE",
    # the engine's parser re-reads these as SERVICE :x and ex:a.b . SERVICE (shown below)
    "PREFIX : <{U}> SELECT * { SERVICE:x { ?a ?b ?c } }": "SERVICE",
    "PREFIX ex: <{U}> SELECT * { ?s ?p ex:a.b.SERVICE <{U}> { ?a ?b ?c } }": "SERVICE",
    "PREFIX service: <{U}> SELECT * { ?s ?p service:x }": "SERVICE",
    "LOAD <{U}>": "LOAD",
    "load silent <{U}> INTO GRAPH <urn:g>": "LOAD",
    "LOAD<{U}>": "LOAD",
    "INSERT DATA { <urn:a> <urn:b> 1 } ; LOAD <{U}>": "LOAD",
    # not keywords
    "SELECT ?vSERVICE ?service WHERE { ?vSERVICE ?p ?service }": None,
    "PREFIX ex: <urn:x:> SELECT * { ?s ex:SERVICE ?o . ?s ex:serviceProvider ?o }": None,
    'SELECT ?x WHERE { BIND ("SERVICE <{U}> {}" AS ?x) } # SERVICE <{U}>': None,
    "SELECT * WHERE { ?s <http://ex/SERVICE> ?o ; <http://ex/LOAD> ?x }": None,
    'SELECT * WHERE { ?s ?p """a "" SERVICE ""b""" }': None,
    "SELECT ?x WHERE { ?x a ?y } # LOAD": None,
    'SELECT * WHERE { ?s ?p "x"@en-SERVICE }': None,
}


@pytest.mark.parametrize("text, expected", list(TRICKY.items()))
def test_the_guard_reads_tokens_like_the_grammar(text, expected):
    assert fetching_keyword(text.replace("{U}", "http://127.0.0.1:9/")) == expected


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("?s ?p 1SERVICE", ["VAR", "VAR", "NUMBER", "KEYWORD"]),
        ("ex:SERVICE", ["PNAME_LN"]),
        ("SERVICE:", ["PNAME_NS"]),
        ("?vSERVICE $w", ["VAR", "VAR"]),
        ("_:b1 [ ] ( ) a", ["BLANK_NODE_LABEL", "ANON", "NIL", "a"]),
        ('"x"@en-GB ^^ <x>', ["STRING", "LANGTAG", "^^", "IRIREF"]),
        ("+1 -2.5 .5e3", ["NUMBER", "NUMBER", "NUMBER"]),
        ("ex:a. ?x", ["PNAME_LN", ".", "VAR"]),
    ],
)
def test_token_kinds(text, kinds):
    assert [token.kind for token in tokenize(text)] == kinds


@pytest.mark.parametrize(
    "text", ["SELECT ?x { ?x ?p fooBAR }", "fooSERVICE", '"unterminated', "SELECT * { ?s ?p ?o } \\q", "`"]
)
def test_text_that_is_no_sparql_is_a_lex_error(text):
    with pytest.raises(SparqlLexError, match=r"line 1, column \d+"):
        fetching_keyword(text)


def _engine_store() -> ox.Store:
    """A store whose objects match the literals of the tricky inputs, so the engine evaluates
    the SERVICE that follows them (an empty left side would skip it)."""
    store = ox.Store()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    objects = [ox.Literal("o"), ox.Literal("x"), ox.Literal(1), ox.Literal(True), ox.Literal(False)]
    objects += [ox.Literal(v, datatype=ox.NamedNode(xsd + t)) for v, t in (("1.0", "decimal"), ("1e5", "double"))]
    objects += [ox.Literal("-.5e-3", datatype=ox.NamedNode(xsd + "double"))]
    for value in objects:
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), value))
    return store


def _engine_fetches(store: ox.Store, listener: Listener, text: str) -> int:
    """How many requests the engine itself makes for ``text`` (query or update)."""
    before = len(listener.hits)
    with contextlib.suppress(Exception):
        if text.lstrip().upper().startswith(("LOAD", "INSERT")):
            store.update(text)
        else:
            for _ in store.query(text):
                pass
    return len(listener.hits) - before


def test_the_engine_does_fetch_what_the_guard_refuses(listener):
    """The tricky inputs are real: pyoxigraph itself fetches the URL for each one the guard
    refuses that it can parse (the reason for the guard), and none for those allowed."""
    store = _engine_store()
    fetched = {text for text in TRICKY if _engine_fetches(store, listener, text.replace("{U}", listener.url))}
    assert "SELECT * { ?s ?p 1SERVICE <{U}> { ?a ?b ?c } }" in fetched
    assert "SELECT * { ?s ?p trueSERVICE <{U}> { ?a ?b ?c } }" in fetched
    assert "PREFIX : <{U}> SELECT * { SERVICE:x { ?a ?b ?c } }" in fetched
    assert "LOAD<{U}>" in fetched
    assert all(TRICKY[text] is not None for text in fetched)


FRAGMENTS = [
    " ",
    "\n",
    "SERVICE",
    "service",
    "SILENT",
    "LOAD",
    "<{U}>",
    "{ ?a ?b ?c }",
    "{",
    "}",
    "?v",
    "$v",
    "1",
    "1.0",
    "1e5",
    "-2",
    "true",
    '"x"',
    "'''y'''",
    "@en",
    "^^",
    "ex:",
    ":",
    "ex:a",
    "a",
    ".",
    ";",
    ",",
    "#",
    "(",
    ")",
    "[",
    "]",
    "\\u0053",
    "ERVICE",
    "_:b",
    "OPTIONAL",
    "LATERAL",
    "FILTER",
    "EXISTS",
    "UNION",
    "GRAPH",
]
HEADS = [
    "PREFIX : <{U}> PREFIX ex: <{U}> SELECT * WHERE { ?s ?p ?o ",
    "PREFIX ex: <{U}> SELECT * WHERE { ",
    "PREFIX : <{U}> ",
    "",
]


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from(HEADS), parts=st.lists(st.sampled_from(FRAGMENTS), max_size=10))
def test_property_whatever_the_guard_allows_the_engine_does_not_fetch(listener, head, parts):
    """Differential property test against the real engine: for random compositions of the
    tricky pieces, if the guard lets the text through, pyoxigraph makes no request with it."""
    text = (head + "".join(parts) + " }").replace("{U}", listener.url)
    try:
        keyword = fetching_keyword(text)
    except SparqlLexError:
        return  # refused with 400
    if keyword is None:
        assert _engine_fetches(_engine_store(), listener, text) == 0, text


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("SERVICEloadservice?$:._-\"'<>{}#\\u0053 \n1e+@^[]()")), max_size=60))
def test_property_tokens_cover_the_text_in_order(text):
    """Each token is the text at its position, tokens move forward, and lexing either succeeds
    or raises SparqlLexError (never another exception)."""
    try:
        tokens = list(iter_tokens(text, decode=False))
    except SparqlLexError:
        return
    position = 0
    for token in tokens:
        assert token.start >= position and text[token.start : token.start + len(token.text)] == token.text
        assert text[position : token.start].strip(" \t\r\n") == "" or "#" in text[position : token.start]
        position = token.start + len(token.text)


PATHOLOGICAL = {
    "unterminated string of escaped quotes": '"' + '\\"' * 600_000,
    "unterminated long string": '"""' + '\\"' * 600_000,
    "unterminated single-quoted": "'" + "\\'" * 600_000,
    "dotted name run": "a." * 600_000,
    "dotted local name": "ex:a" + "." * 1_200_000,
    "digits and dots": "1." * 600_000,
    "open parentheses": "( " * 600_000,
    "unclosed IRIs": "<a" * 600_000,
    "comments": "#x\n" * 400_000,
    "five quotes": "'''''x" * 200_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_lexing_takes_linear_work(name):
    """1 MB of each pathological input costs about ten times what 100 KB costs (linear), not a
    hundred times (quadratic, the old scan). A loose factor on CPU time, not a timing assert."""
    text = PATHOLOGICAL[name][:1_000_000]

    def cost(sample: str) -> float:
        began = time.process_time()
        with contextlib.suppress(SparqlLexError):
            fetching_keyword(sample)
        return time.process_time() - began

    small, large = cost(text[:100_000]), cost(text)
    assert large < 0.05 or large < 30 * max(small, 0.002), (name, small, large)


# --- a server for the attacks ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(_private_build_cache) -> Iterator[str]:
    with servers.treatykg(
        "--timeout", "10", "--workers", "2", "--max-memory", "256", "--max-answer-bytes", "200000",
        "--body-timeout", "2", "--base-url", "https://data.example.org/treatykg",
    ) as base:  # fmt: skip
        yield base


def _variants(listener: Listener) -> list[str]:
    return [text.replace("{U}", listener.url) for text, keyword in TRICKY.items() if keyword]


def _send(server: str, text: str, how: str) -> tuple[int, dict, bytes]:
    key = "update" if text.lstrip().upper().startswith(("LOAD", "INSERT")) else "query"
    html = {"Accept": "text/html"}
    if how == "get":
        return _request(f"{server}/sparql?{urllib.parse.urlencode({key: text})}")
    if how == "get-html":
        return _request(f"{server}/sparql?{urllib.parse.urlencode({key: text})}", headers=html)
    if how == "form":
        form = urllib.parse.urlencode({key: text}).encode()
        return _request(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if how == "form-html":
        form = urllib.parse.urlencode({key: text}).encode()
        return _request(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded", **html})
    media = "application/sparql-update" if key == "update" else "application/sparql-query"
    return _request(f"{server}/sparql", text.encode(), {"Content-Type": media})


@pytest.mark.parametrize("how", ["get", "get-html", "form", "form-html", "body"])
def test_no_service_variant_reaches_the_listener(server, listener, how):
    before = len(listener.hits)
    for text in _variants(listener):
        if how.startswith("get") and text.lstrip().upper().startswith(("LOAD", "INSERT")):
            continue  # an update by GET is a 400 before anything else (protocol, section 2.2)
        status, _, body = _send(server, text, how)
        assert status == 403, (how, text, status, body[:300])
        assert MARKER.encode() not in body
        if not how.endswith("html"):
            assert b"--allow-service" in body or b"--allow-update" in body, body
    assert len(listener.hits) == before, listener.hits[before:]


def test_workers_have_no_network_even_if_the_guard_failed(listener, _private_build_cache):
    """Defence in depth: with the token check switched off, a SERVICE query run by a worker of
    a server without --allow-service still reaches nobody (the worker has its own, empty
    network namespace). Linux as root, or with unprivileged user namespaces."""
    with QueryPool(workers=1) as pool:
        if not pool.stats.network_isolated:
            pytest.skip("this system cannot give a process its own network namespace")
        query = f"SELECT * {{ ?s ?p ?o SERVICE <{listener.url}> {{ ?a ?b ?c }} }} LIMIT 1"
        with pytest.raises(ServiceRefusedError):
            pool.run(Job(query))
        pool.check = lambda job: None  # the guard "fails"
        before = len(listener.hits)
        with contextlib.suppress(Exception):
            pool.run(Job(query))
        assert len(listener.hits) == before


@pytest.fixture(scope="module")
def open_server(_private_build_cache) -> Iterator[str]:
    with servers.treatykg("--allow-service", "--timeout", "5") as base:
        yield base


def test_a_remote_error_body_is_not_echoed(open_server):
    """With --allow-service the fetch is the operator's choice, but what the remote answered is
    not relayed: one generic line with the HTTP status, never the body."""
    query = "SELECT * WHERE { SERVICE <{U}> { ?a ?b ?c } }"
    for status, body in ((500, MARKER), (200, f'{{"head": {{"vars": ["{MARKER}"]}}, "results": 7}}')):
        with Listener(status, body) as remote:
            code, _, answer = _send(open_server, query.replace("{U}", remote.url), "get")
            assert len(remote.hits) == 1
        assert code == 502, answer
        assert MARKER.encode() not in answer
        assert answer.decode().count("\n") == 1 and b"SERVICE" in answer
        if status == 500:
            assert b"answered HTTP 500" in answer


# --- 2. one request cannot freeze the server ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, how",
    [
        ("unterminated string of escaped quotes", "body"),
        ("dotted name run", "body"),
        ("open parentheses", "body"),
        ("dotted name run", "form-html"),
    ],
)
def test_health_answers_while_a_pathological_query_is_lexed(server, name, how):
    """Liveness check: while 1 MB of hostile text is being refused (by the protocol or in the
    editor page), /health keeps answering, each within a generous bound, and the hostile request
    gets a clear refusal."""
    text = PATHOLOGICAL[name][: 999_000 if how == "body" else 500_000]
    outcome: dict = {}

    def attack() -> None:
        outcome["answer"] = _send(server, text, how)

    thread = threading.Thread(target=attack)
    thread.start()
    probes = 0
    while thread.is_alive() and probes < 50:
        began = time.monotonic()
        status, _, _ = _request(f"{server}/health")
        assert status == 200 and time.monotonic() - began < LIVENESS
        probes += 1
        time.sleep(0.05)
    thread.join(120)
    status, _, body = outcome["answer"]
    assert status == 400, body[:200]
    if how == "body":
        assert body.count(b"\n") == 1


# --- 3. a deleted cache does not take the server down -------------------------------------------------


def _health(base: str) -> tuple[int, str]:
    status, _, body = _request(f"{base}/health")
    return status, body.decode()


def test_queries_answer_again_after_the_cache_is_deleted_and_workers_die(tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "TREATYKG_CACHE_DIR": str(cache)}
    with servers.treatykg("--timeout", "1", "--workers", "2", env=env) as base:
        assert any(cache.iterdir())
        shutil.rmtree(cache)  # what `treatykg build`, `add` + a rebuild, or an operator does
        cartesian = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
        seen = []
        for _ in range(2):  # two timed-out queries: both workers are killed and replaced
            status, headers, body = _request(f"{base}/sparql?{urllib.parse.urlencode(cartesian)}")
            assert status == 503 and headers["Retry-After"] and b"time limit" in body
            seen.append(_health(base))
        deadline = time.monotonic() + 60
        while True:
            seen.append(_health(base))
            status, _, body = _request(f"{base}/sparql?{urllib.parse.urlencode({'query': TITLE_47, 'format': 'csv'})}")
            if status == 200 and seen[-1][1].startswith("ok: 2 live"):
                break
            assert status in (200, 503) and time.monotonic() < deadline, (status, body)
            time.sleep(0.2)
        assert body.decode().splitlines() == ["title", "Law enforcement cooperation"]
        for code, text in seen:  # honest throughout: 200 only with a live worker, 503 with none
            assert (code == 200 and text.startswith("ok: ") and not text.startswith("ok: 0 live")) or (
                code == 503 and text.startswith("unavailable: 0 live")
            ), (code, text)
        status, _, body = _request(f"{base}/uncc/art_24")
        assert status == 200


def test_no_live_worker_fails_fast_with_503(_private_build_cache, tmp_path):
    """A pool whose only worker died answers at once with 503 (not after the queue timeout)
    and recovers in the background; the pool's own copy of the data makes that possible."""
    with QueryPool(workers=1, queue_wait=30) as pool:
        assert pool.health()["live"] == 1
        os.kill(pool.worker_pids()[0], 9)
        with contextlib.suppress(Exception):
            pool.query("ASK {}")  # finds the dead worker: it is buried and replaced
        began = time.monotonic()
        outcomes = []
        while time.monotonic() - began < 30:
            try:
                outcomes.append(pool.query("ASK { ?s ?p ?o }").boolean)
                break
            except Exception as exc:  # the kinds are asserted below
                outcomes.append(type(exc).__name__)
                time.sleep(0.05)
        assert outcomes[-1] is True
        assert set(outcomes[:-1]) <= {"NoWorkerError"}
        assert pool.health() == {**pool.health(), "live": 1, "starting": 0}


def test_a_worker_that_cannot_start_is_retried_until_it_can(_private_build_cache):
    """A replacement that fails to start (here: its data made unreadable for a while) is
    retried in the background with backoff; meanwhile queries fail fast with 503-kind errors
    and health says 0 live, 1 starting; once the cause is gone the pool is whole again."""
    with QueryPool(workers=1, queue_wait=30) as pool:
        snapshot = Path(pool._nq_path)
        hidden = snapshot.with_name("hidden.nq")
        snapshot.rename(hidden)
        os.kill(pool.worker_pids()[0], 9)
        with contextlib.suppress(Exception):
            pool.query("ASK {}")  # finds the dead worker; its replacement cannot load
        time.sleep(1.0)
        assert pool.health()["live"] == 0 and pool.health()["starting"] == 1
        began = time.monotonic()
        with pytest.raises(NoWorkerError):
            pool.query("ASK {}")
        assert time.monotonic() - began < LIVENESS  # not the 30 s queue wait
        hidden.rename(snapshot)
        deadline = time.monotonic() + 60
        while pool.health()["live"] == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        assert pool.health()["starting"] == 0


# --- 4. memory and answer size -----------------------------------------------------------------------


def _peak_mib(base: str) -> int:
    _, text = _health(base)
    return int(text.split("peak ", 1)[1].split()[0])


def test_order_by_over_a_cartesian_product_is_stopped_by_the_memory_limit(server):
    query = "SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?b ?c ?d ?e ?f"
    status, _, body = _send(server, query, "get")
    assert status == 422, body
    assert body.decode().startswith("the query needed more memory than a query worker may use (256 MiB)")
    assert _peak_mib(server) <= 256
    status, _, body = _request(f"{server}/sparql?{urllib.parse.urlencode({'query': TITLE_47, 'format': 'csv'})}")
    assert status == 200 and body.decode().splitlines()[1] == "Law enforcement cooperation"


def test_a_one_row_answer_is_bounded_in_bytes(server):
    query = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o FILTER isLiteral(?o) }"
    status, _, body = _send(server, query, "get")
    assert status == 422, body[:300]
    assert b"larger than 200000 bytes" in body
    assert len(body) < 1000
    bigger = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o . ?a ?b ?c FILTER isLiteral(?o) }"
    status, _, body = _send(server, bigger, "get")
    assert status in (422, 503), body[:300]  # memory, or the time limit: refused either way
    assert _peak_mib(server) <= 256
    status, _, body = _request(f"{server}/sparql?{urllib.parse.urlencode({'query': TITLE_47, 'format': 'csv'})}")
    assert status == 200 and body.decode().splitlines()[1] == "Law enforcement cooperation"


# --- 9. the public address comes from configuration -----------------------------------------------------


def test_a_forged_host_header_changes_neither_void_nor_the_service_description(server):
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example", "Accept": "text/turtle"}
    for path in ("/.well-known/void", "/sparql"):
        status, _, body = _request(f"{server}{path}", headers=forged)
        assert status == 200
        assert b"attacker.example" not in body
        assert b"<https://data.example.org/treatykg/sparql>" in body
    status, _, body = _request(f"{server}/.well-known/void", headers={"Accept": "text/turtle"})
    assert b"attacker.example" not in body and b"https://data.example.org/treatykg/sparql" in body


# --- 7, 10. HTTP details -----------------------------------------------------------------------------


def test_every_405_names_what_is_allowed_and_unknown_paths_are_404(server):
    cases = [
        ("PUT", "/sparql", 405, {"GET", "HEAD", "POST"}),
        ("DELETE", "/health", 405, {"GET", "HEAD"}),
        ("POST", "/queries", 405, {"GET", "HEAD"}),
        ("PUT", "/static/style.css", 405, {"GET", "HEAD"}),
        ("POST", "/uncc/art_24", 405, {"GET", "HEAD"}),
        ("POST", "/no/such/thing", 404, None),
        ("DELETE", "/no/such/thing", 404, None),
    ]
    for method, path, expected, allow in cases:
        status, headers, _ = _request(f"{server}{path}", b"" if method != "DELETE" else None, method=method)
        assert status == expected, (method, path, status)
        if allow is not None:
            assert {m.strip() for m in headers["Allow"].split(",")} == allow, (method, path, headers["Allow"])


def test_head_answers_like_get_without_a_body(server):
    for path in ("/check", "/sparql", "/health", "/uncc/art_24", "/.well-known/void"):
        get_status, get_headers, _ = _request(f"{server}{path}")
        status, headers, body = _request(f"{server}{path}", method="HEAD")
        assert (status, body) == (get_status, b""), path
        assert headers["Content-Type"] == get_headers["Content-Type"], path


def test_a_trickling_body_is_cut_with_408(server):
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nSELECT"
        )
        began = time.monotonic()
        answer = b""
        while b"too slowly" not in answer and time.monotonic() - began < 30:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert b"too slowly" in answer


def test_overload_on_the_endpoint_is_503_with_retry_after(server):
    """Every overload on /sparql says when to come back (here: a query past the time limit)."""
    with servers.treatykg("--timeout", "1", "--workers", "1") as base:
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        status, headers, body = _send(base, cartesian, "get")
        assert status == 503 and headers["Retry-After"] == "2" and b"time limit" in body
        status, headers, body = _request(f"{base}/health")
        assert (status == 200 and body.startswith(b"ok: 1 live")) or (
            status == 503 and headers["Retry-After"] and body.startswith(b"unavailable: 0 live, 1 starting")
        )


# --- 11. serve starts tidily -----------------------------------------------------------------------------


def _serve(*options: str, wait: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "treatykg", "serve", *options],
        capture_output=True,
        text=True,
        timeout=wait,
    )


def test_a_port_in_use_is_one_line_and_exit_2(_private_build_cache):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve("--port", str(port))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"error: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_a_broken_with_file_is_one_line_and_exit_2(_private_build_cache, tmp_path):
    broken = write(tmp_path, "broken.ttl", "<urn:a> <urn:b> .\n")
    done = _serve("--port", "0", "--with", str(broken))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "broken.ttl" in lines[0], lines
    assert "serving on" not in done.stderr


def test_port_0_announces_the_real_port(_private_build_cache):
    process = subprocess.Popen(
        [sys.executable, "-m", "treatykg", "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("treatykg: serving on http://127.0.0.1:"), line
        port = int(line.split("127.0.0.1:", 1)[1].split("/", 1)[0])
        assert port != 0
        status, _, body = _request(f"http://127.0.0.1:{port}/health")
        assert status == 200 and body.startswith(b"ok: 2 live")
        status, _, body = _request(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/turtle"})
        assert f"<http://127.0.0.1:{port}/sparql>".encode() in body
    finally:
        process.terminate()
        process.wait(30)


def test_bad_new_options_are_one_line_errors(capsys):
    from treatykg.cli import main

    assert main(["serve", "--base-url", "ftp://example.org/"]) == 2
    assert capsys.readouterr().err.strip().startswith("error: --base-url 'ftp://example.org/'")
    assert main(["serve", "--max-memory", "10"]) == 2
    assert "256" in capsys.readouterr().err
    assert main(["serve", "--max-answer-bytes", "0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    for option, value in (("--check-timeout", "0"), ("--check-memory", "100"), ("--check-concurrency", "0")):
        assert main(["serve", option, value]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --check-timeout") and err.count("\n") == 1


def test_health_keeps_the_stopped_count_last(server):
    """tests/web/test_load.py reads the stopped count as the last comma-separated field."""
    status, text = _health(server)
    assert status == 200
    assert text.rsplit(",", 1)[1].split()[1] == "stopped"
