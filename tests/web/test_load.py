"""Load and faults on a real server: a bounded burst of concurrent queries all get correct
answers; a pathological query is stopped by the time limit while other requests keep being
answered; the server stays up."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from treatykg.model.iri import sparql_prefixes

from .conftest import TIMEOUT
from .test_protocol import _request

CLIENTS = 8
REQUESTS = 200
ARTICLES = {  # article -> title, from the graph (confirmed titles)
    "24": "Conditions and safeguards",
    "47": "Law enforcement cooperation",
    "40": "General principles and procedures relating to mutual legal assistance",
}


def _title_query(number: str) -> str:
    return sparql_prefixes(["dct"]) + (
        f"SELECT ?title WHERE {{ <https://w3id.org/treatykg/uncc/art_{number}> dct:title ?title }}"
    )


def _ask_title(server: str, number: str) -> tuple[int, str | None]:
    url = f"{server}/sparql?{urllib.parse.urlencode({'query': _title_query(number)})}"
    status, _, body = _request(url, headers={"Accept": "application/sparql-results+json"})
    if status != 200:
        return status, None
    bindings = json.loads(body)["results"]["bindings"]
    return status, bindings[0]["title"]["value"] if bindings else None


def _client(server: str, index: int) -> list[tuple[str, int, str | None]]:
    numbers = list(ARTICLES)
    out = []
    for i in range(REQUESTS):
        number = numbers[(index + i) % len(numbers)]
        status, title = _ask_title(server, number)
        out.append((number, status, title))
    return out


def test_titles_are_those_of_the_graph(kg):
    for number, title in ARTICLES.items():
        assert kg.sparql(_title_query(number)).values() == [{"title": title}]


def test_burst_of_concurrent_queries_all_answered_correctly(server):
    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for chunk in pool.map(lambda i: _client(server, i), range(CLIENTS)) for r in chunk]
    elapsed = time.monotonic() - started
    assert len(results) == CLIENTS * REQUESTS
    wrong = [(n, s, t) for n, s, t in results if s != 200 or t != ARTICLES[n]]
    assert wrong == [], f"{len(wrong)} wrong answers, e.g. {wrong[:3]}"
    status, _, body = _request(server + "/health")
    assert status == 200 and body.startswith(b"ok")
    print(f"{CLIENTS}x{REQUESTS} requests in {elapsed:.1f} s")


def test_pathological_query_is_stopped_while_others_are_answered(server):
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict = {}

    def runaway() -> None:
        began = time.monotonic()
        url = f"{server}/sparql?{urllib.parse.urlencode({'query': cartesian})}"
        outcome["status"], _, outcome["body"] = _request(url)
        outcome["seconds"] = time.monotonic() - began

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    answered = []
    while thread.is_alive():
        answered.append(_ask_title(server, "47"))
    thread.join()
    assert outcome["status"] == 503
    assert b"time limit" in outcome["body"]
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 5
    assert len(answered) >= 5, "the other worker kept answering while the runaway query ran"
    assert all(a == (200, ARTICLES["47"]) for a in answered)
    # the stopped worker is replaced: the server keeps answering with its full pool
    time.sleep(1.5)
    assert _ask_title(server, "24") == (200, ARTICLES["24"])
    status, _, body = _request(server + "/health")
    stopped = int(body.decode().rsplit(",", 1)[1].split()[0])
    assert status == 200 and stopped >= 1
