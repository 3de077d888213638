"""Operator options of ``treatykg serve``: ``--allow-update`` (updates kept in memory, seen by
every later query) and ``--allow-service`` (federated queries to a second real ``oxigraph
serve``); and bad options are one-line errors."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from treatykg.cli import main

from .. import servers
from .test_protocol import _request

ELI_ACT = "http://data.europa.eu/eli/dir/2016/680/oj"


@pytest.fixture(scope="module")
def remote():
    """A second store holding one triple about an EU act, as another legal-data graph would."""
    with servers.oxigraph() as base:
        triple = f'<{ELI_ACT}> <http://data.europa.eu/eli/ontology#title> "Law Enforcement Directive" .\n'
        _request(f"{base}/store?default", triple.encode(), {"Content-Type": "application/n-triples"}, "POST")
        yield base


@pytest.fixture(scope="module")
def open_server(_private_build_cache):
    with servers.treatykg("--allow-update", "--allow-service", "--timeout", "5") as base:
        yield base


def _select(server: str, query: str) -> list[dict]:
    status, _, body = _request(
        f"{server}/sparql?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_federated_query_joins_our_graph_with_a_remote_one(open_server, remote):
    query = f"""PREFIX tkg: <https://w3id.org/treatykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?claim ?provision ?act ?title WHERE {{
  ?claim tkg:allegesConflictWith ?act ; tkg:about ?provision .
  SERVICE <{remote}/query> {{ ?act <http://data.europa.eu/eli/ontology#title> ?title }}
}} ORDER BY ?claim ?provision"""
    rows = _select(open_server, query)
    assert "https://w3id.org/treatykg/uncc/art_40" in {row["provision"] for row in rows}
    assert {row["act"] for row in rows} == {ELI_ACT}
    assert {row["title"] for row in rows} == {"Law Enforcement Directive"}


def test_update_is_applied_and_kept_in_memory(open_server):
    update = 'INSERT DATA { GRAPH <urn:test:notes> { <urn:test:a> <urn:test:says> "hello" } }'
    status, _, _ = _request(f"{open_server}/sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 204
    assert _select(open_server, "SELECT ?o WHERE { <urn:test:a> <urn:test:says> ?o }") == [{"o": "hello"}]
    status, _, body = _request(f"{open_server}/sparql", headers={"Accept": "text/turtle"})
    assert b"sd:SPARQL11Update" in body and b"sd:BasicFederatedQuery" in body


def test_bad_serve_options_are_one_line_errors(capsys, tmp_path):
    assert main(["serve", "--workers", "0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --workers, --timeout and --max-rows must be positive"
    missing = tmp_path / "missing.ttl"
    assert main(["serve", "--with", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {missing}: no such file"
