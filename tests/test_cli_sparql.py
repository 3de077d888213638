"""Issue 17, item 9: ad-hoc SPARQL that forgives (predeclared prefixes, one-line errors with the
position, RDF formats for CONSTRUCT/DESCRIBE, one way to give the query) without opening a
network path."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from treatykg.cli import main
from treatykg.model.iri import PREFIXES

from .helpers import write

UNCC = "https://w3id.org/treatykg/uncc/"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "treatykg", *args], capture_output=True, text=True, env={**os.environ}, timeout=120
    )


def test_project_prefixes_need_no_declaration(capsys):
    assert main(["sparql", "SELECT ?l WHERE { uncc:art_24 rdfs:label ?l }", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["l", "Article 24"]


def test_a_users_own_prefix_wins(capsys):
    text = "PREFIX uncc: <http://example.org/mine/>\nSELECT (uncc:x AS ?v) WHERE {}"
    assert main(["sparql", text, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["v", "http://example.org/mine/x"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { ?s foo:bar ?o }", "error: unknown prefix 'foo' (line 1, column 21)"),
        (
            "SELEKT * WHERE { ?s ?p ?o }",
            "error: SELEKT: expected SELECT, CONSTRUCT, ASK or DESCRIBE (line 1, column 1)",
        ),
        (
            "PREFIX x: <http://x/>\n  INSERT DATA { x:a x:b x:c }",
            "error: INSERT: updates are not accepted here (line 2, column 3)",
        ),
        ("DROP ALL", "error: DROP: updates are not accepted here (line 1, column 1)"),
        ("", "error: the query is empty"),
    ],
)
def test_first_mistakes_are_one_line_with_the_position(capsys, query, message):
    assert main(["sparql", query]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_engine_syntax_errors_count_lines_in_the_users_text(capsys):
    assert main(["sparql", "PREFIX x: <http://x/>\nSELECT * WHERE { ?s ?p ?o . FILTER(?s = ) }"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: SPARQL syntax error at line 2, column 44: expected one of")
    assert err.count("\n") == 1 and len(err) < 240


def test_construct_in_turtle_ntriples_and_jsonld(capsys):
    query = "CONSTRUCT WHERE { uncc:art_24 rdfs:label ?l }"
    assert main(["sparql", query, "--format", "ttl"]) == 0
    turtle = capsys.readouterr().out
    assert "@prefix uncc: <https://w3id.org/treatykg/uncc/> ." in turtle
    assert 'uncc:art_24 rdfs:label "Article 24"@en' in turtle
    assert "@prefix budapest:" not in turtle  # only the prefixes the answer uses
    assert main(["sparql", query, "--format", "nt"]) == 0
    assert capsys.readouterr().out == f'<{UNCC}art_24> <{PREFIXES["rdfs"]}label> "Article 24"@en .\n'
    assert main(["sparql", query, "--format", "jsonld"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["@id"] == UNCC + "art_24"
    assert doc[0][PREFIXES["rdfs"] + "label"] == [{"@language": "en", "@value": "Article 24"}]


def test_describe_in_turtle(capsys):
    assert main(["sparql", "DESCRIBE uncc:art_47", "--format", "ttl"]) == 0
    out = capsys.readouterr().out
    assert "uncc:art_47" in out and '"Article 47"@en' in out


def test_rdf_formats_refuse_a_table_answer_and_csv_refuses_rdf(capsys):
    assert main(["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "ttl"]) == 2
    assert "--format ttl is for CONSTRUCT and DESCRIBE" in capsys.readouterr().err
    assert main(["sparql", "CONSTRUCT WHERE { uncc:art_24 rdfs:label ?l }", "--format", "csv"]) == 2
    assert "a CONSTRUCT or DESCRIBE answer is RDF; use ttl, nt or jsonld" in capsys.readouterr().err


def test_query_given_twice_is_refused(tmp_path, capsys):
    path = write(tmp_path, "q.rq", "ASK {}")
    assert main(["sparql", "ASK {}", "-F", str(path)]) == 2
    assert capsys.readouterr().err == "error: give the query once: as text or with -F FILE, not both\n"
    assert main(["sparql", "-F", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_no_query_names_capital_f():
    done = run_cli("sparql")
    assert done.returncode == 2
    assert "-F FILE" in done.stderr and "-f FILE" not in done.stderr


def test_help_lists_the_prefixes_and_names_capital_f():
    done = run_cli("sparql", "--help")
    assert done.returncode == 0
    assert "predeclared prefixes" in done.stdout
    for name in ("tkg:", "uncc:", "dct:", "prov:"):
        assert name in done.stdout
    assert "https://w3id.org/treatykg/ontology#" in done.stdout
    assert "-F FILE, --file FILE" in done.stdout


def test_predeclared_prefixes_open_no_network_path(capsys):
    """SERVICE and LOAD are still refused, also when hidden behind a project prefix name."""
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE tkg:x { ?s ?p ?o } }",
    ):
        assert main(["sparql", query]) == 2
        assert "uses SERVICE, which fetches a URL" in capsys.readouterr().err
    # none of the predeclared names reads as a fetching keyword to the guard
    from treatykg.engine.adhoc import predeclared
    from treatykg.util.sparqltext import fetching_keyword

    assert fetching_keyword(predeclared("ASK {}") + "ASK {}") is None


def test_web_editor_starts_with_the_project_prefixes():
    from treatykg.web.editor import EXAMPLE_QUERY

    for name, iri in PREFIXES.items():
        assert f"PREFIX {name}: <{iri}>\n" in EXAMPLE_QUERY
    assert "SELECT ?mechanism ?label ?premisedOnRequest WHERE {" in EXAMPLE_QUERY
