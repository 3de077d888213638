"""Attacks from the review of issue 14 (after the four hardening branches were merged).

Each test reproduces what an attacker or an unlucky operator did and asserts the safe outcome:
the exit code and the one line an operator reads, the submission still stored, zero requests at
a listener the test runs on 127.0.0.1. Processes are real (``python -m treatykg``), counts and
times are bounded, and nothing is sent anywhere but 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from treatykg.cli import main

from .. import servers
from ..helpers import write
from .test_contrib_attacks import PREFIXES, VALID_CLAIM
from .test_endpoint_attacks import Listener

# --- 1. serve: numbers that pass "> 0" but cannot be used ---------------------------------------------

#: Options an operator can mistype; before the review each started a server (the port wrapped
#: modulo 65536; NaN seconds made every query a 500 with a traceback in the log).
UNUSABLE = {
    "port too large": (["--port", "99999"], "--port 99999"),
    "port negative": (["--port", "-1"], "--port -1"),
    "timeout NaN": (["--port", "0", "--timeout", "nan"], "--timeout nan"),
    "timeout infinite": (["--port", "0", "--timeout", "inf"], "--timeout inf"),
    "body timeout NaN": (["--port", "0", "--body-timeout", "nan"], "--body-timeout nan"),
    "check timeout NaN": (["--port", "0", "--check-timeout", "nan"], "--check-timeout nan"),
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_serve_refuses_unusable_numbers_with_one_line(name):
    options, named = UNUSABLE[name]
    process = subprocess.Popen(
        [sys.executable, "-m", "treatykg", "serve", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=60)  # bounded: a server that started would hang here
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"serve {' '.join(options)} started a server instead of refusing the option")
    assert process.returncode == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {named}"), err
    assert "Traceback" not in err and out == ""


# --- 2. remove: withdrawing what another submission links to --------------------------------------------

NEW_DOCUMENT = """\
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix doctype: <https://w3id.org/treatykg/vocab/document-type/> .
@prefix stance: <https://w3id.org/treatykg/vocab/stance/> .
doc:test-review-letter a tkg:StatementDocument ;
    rdfs:label "Test: a review fixture letter"@en ;
    tkg:documentType doctype:joint-letter ;
    tkg:overallStance stance:amend-or-reject ;
    dct:issued "2025-03-14"^^xsd:date ;
    tkg:signedBy stk:access-now ;
    tkg:sourceFile "test-review-letter.txt" .
"""


def test_removing_a_submission_another_links_to_is_refused(tmp_path, monkeypatch, capsys):
    """A claim added later is derived from a document an earlier submission created. Removing the
    earlier one alone left the claim without a source: ``treatykg validate`` failed from then on.
    Now the removal is refused with one line naming the dependant, and both stay stored; removed
    in the right order, both go."""
    contrib = tmp_path / "contrib"
    monkeypatch.setenv("TREATYKG_CONTRIB_DIR", str(contrib))
    document = write(tmp_path, "letter.ttl", PREFIXES + NEW_DOCUMENT)
    claim = write(
        tmp_path,
        "claim.ttl",
        PREFIXES + VALID_CLAIM.replace("doc:article19-analysis-2024-10", "doc:test-review-letter"),
    )
    assert main(["add", str(document)]) == 0
    assert main(["add", str(claim)]) == 0
    (first,) = [p.stem for p in contrib.glob("*-letter.ttl")]
    (second,) = [p.stem for p in contrib.glob("*-claim.ttl")]
    before = {p.name: p.read_bytes() for p in contrib.glob("*.ttl")}
    capsys.readouterr()

    assert main(["remove", first]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: submission '{first}' cannot be removed: {second}") and "\n" not in err
    assert {p.name: p.read_bytes() for p in contrib.glob("*.ttl")} == before
    assert main(["validate"]) == 0  # the graph still conforms

    assert main(["remove", second]) == 0
    assert main(["remove", first]) == 0
    assert not list(contrib.glob("*.ttl"))


# --- 3. dataset clauses and IRI functions fetch nothing ---------------------------------------------------


def test_dataset_clauses_and_iri_functions_fetch_nothing(tmp_path):
    """FROM, FROM NAMED, default-graph-uri, named-graph-uri, DESCRIBE and IRI() name a URL without
    SERVICE or LOAD, so the guard lets them through: they must not make the engine fetch it, with
    or without the worker sandbox. Checked on the bare engine (no sandbox) and through a real
    server (guard, protocol and workers), against a listener that counts requests."""
    with Listener() as listener:
        url = listener.url
        queries = [
            f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }} LIMIT 1",
            f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
            f"SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }} LIMIT 1",
            f"DESCRIBE <{url}>",
            f'SELECT (IRI("{url}") AS ?x) (STRLEN(STR(IRI("{url}x"))) AS ?n) WHERE {{}}',
            f"ASK {{ <{url}> ?p ?o }}",
        ]
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
        for text in queries:
            answer = store.query(text)
            if not isinstance(answer, ox.QueryBoolean):
                list(answer)
        list(store.query("SELECT * { ?s ?p ?o }", default_graph=[ox.NamedNode(url)], named_graphs=[ox.NamedNode(url)]))
        assert listener.hits == []

        with servers.treatykg("--workers", "1") as base:
            statuses = []
            for text in queries:
                params = {"query": text, "default-graph-uri": url, "named-graph-uri": url}
                request = urllib.request.Request(
                    f"{base}/sparql?{urllib.parse.urlencode(params)}",
                    headers={"Accept": "application/sparql-results+json, text/turtle"},
                )
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
        assert statuses == [200] * len(queries)
        assert listener.hits == []


def test_the_review_fixture_claim_alone_conforms(tmp_path, monkeypatch):
    """The dependency test above fails because of the removal order, not a bad fixture."""
    monkeypatch.setenv("TREATYKG_CONTRIB_DIR", str(tmp_path / "contrib"))
    path = write(tmp_path, "letter.ttl", PREFIXES + NEW_DOCUMENT)
    assert main(["check", str(path)]) == 0


# --- 4. what check accepts, validate accepts: names in other scripts ---------------------------------------

PERSON = """\
@prefix stkind: <https://w3id.org/treatykg/vocab/stakeholder-kind/> .
@prefix person: <https://w3id.org/treatykg/person/> .
{iri} a tkg:Person ;
    rdfs:label "{name}"@{lang} ;
    tkg:stakeholderKind stkind:individual-expert ;
    prov:wasDerivedFrom doc:joint-letter-eu-vote-no .
"""


def test_names_in_other_scripts_are_not_all_the_same_name(tmp_path, monkeypatch, capsys):
    """The duplicate-name shape compared names by their Latin letters and digits, so every name
    written only in another script had the same (empty) key: two people named in Chinese and in
    Cyrillic were "the same stakeholder". The incremental check skipped empty keys, so each was
    accepted and added, and ``treatykg validate`` then failed on both: the check said yes where
    the full validation said no. Now an empty key is compared with nothing, in the shape and the
    check alike, while a real duplicate (Latin letters) is still refused."""
    contrib = tmp_path / "contrib"
    monkeypatch.setenv("TREATYKG_CONTRIB_DIR", str(contrib))
    people = {
        "wang": ("person:test-review-wang", "王伟", "zh"),
        "ivanov": ("person:test-review-ivanov", "Иван Иванов", "ru"),
    }
    for name, (iri, label, lang) in people.items():
        path = tmp_path / f"{name}.ttl"
        path.write_text(PREFIXES + PERSON.format(iri=iri, name=label, lang=lang), encoding="utf-8")
        assert main(["check", str(path)]) == 0
        assert main(["add", str(path)]) == 0
    assert len(list(contrib.glob("*.ttl"))) == 2
    capsys.readouterr()
    assert main(["validate"]) == 0, capsys.readouterr().out

    duplicate = write(
        tmp_path,
        "duplicate.ttl",
        PREFIXES + PERSON.format(iri="person:test-review-access", name="ACCESS-NOW", lang="en"),
    )
    assert main(["check", str(duplicate)]) == 1
    assert "has the same name as https://w3id.org/treatykg/org/access-now" in capsys.readouterr().out
