"""The query CLI and API: listing, parameters in every accepted form, clear errors, and hostile
values that cannot change the query."""

from __future__ import annotations

import csv
import io
import json

import pytest

from treatykg.cli import main
from treatykg.engine.catalogue import CannedQuery, Catalogue, CatalogueError
from treatykg.engine.store import Term

UNCC = "https://w3id.org/treatykg/uncc/"


def test_every_query_has_a_complete_header():
    catalogue = Catalogue()
    assert "bypass-mla" in catalogue.queries
    for query in catalogue.queries.values():
        assert query.title and query.question.endswith("?"), query.name
        assert query.columns, f"{query.name}: no '# column:' lines"
        projected = [name for name, _ in query.columns]
        for param in query.params:
            assert f"?{param.name}" in query.text, f"{query.name}: parameter ?{param.name} unused"
            assert param.name in projected, f"{query.name}: parameter ?{param.name} must be projected"


@pytest.mark.parametrize("form", ["art_24", "24", "Article 24", "article 24", UNCC + "art_24"])
def test_provision_parameter_forms(kg, form):
    from treatykg.engine.catalogue import Param, resolve

    param = Param("provision", "provision", "", "")
    assert resolve(kg.store, param, form) == Term("uri", UNCC + "art_24")


def test_point_parameter(kg):
    from treatykg.engine.catalogue import Param, resolve

    param = Param("provision", "provision", "", "")
    assert resolve(kg.store, param, "40(21)(b)").value == UNCC + "art_40__para_21__point_b"


@pytest.mark.parametrize("form", ["electronic-frontier-foundation", "Electronic Frontier Foundation", "EFF", "eff"])
def test_stakeholder_parameter_forms(kg, form):
    from treatykg.engine.catalogue import Param, resolve

    param = Param("stakeholder", "stakeholder", "", "")
    assert resolve(kg.store, param, form).value == "https://w3id.org/treatykg/org/electronic-frontier-foundation"


def test_unknown_provision_is_one_line_with_close_matches(kg):
    from treatykg.engine.catalogue import Param, resolve

    param = Param("provision", "provision", "", "")
    with pytest.raises(CatalogueError) as info:
        resolve(kg.store, param, "art_99")
    message = str(info.value)
    assert "\n" not in message and "no such provision" in message and "art_9" in message


HOSTILE = [
    '"} ; DROP ALL ; #',
    "art_24> } UNION { ?s ?p ?o",
    "<https://w3id.org/treatykg/uncc/art_24> } ; CLEAR ALL",
    "24\n} SELECT * WHERE { ?s ?p ?o",
    "x" * 10_000,
    "{{{{",
    "'; DELETE WHERE { ?s ?p ?o } ; '",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_cannot_change_the_query(kg, value, capsys):
    before = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values()
    assert main(["query", "bypass-mla", "--param", f"nonexistent={value}"]) == 2
    for name, param in (("criticisms", "provision"), ("stakeholder-claims", "stakeholder")):
        if name in Catalogue().queries:
            assert main(["query", name, "--param", f"{param}={value}", "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == err.count("error:") and "Traceback" not in err
    assert kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values() == before


def test_string_values_are_escaped_not_pasted():
    query = CannedQuery.parse(
        "demo",
        "# title: Demo\n# question: Demo?\n# param: text | string | | t\n# column: text | t\nSELECT ?text WHERE { }",
    )
    bound = query.bind({"text": Term("literal", '"} ; DROP ALL ; #\n')})
    assert bound.endswith('VALUES ?text { "\\"} ; DROP ALL ; #\\n" }')


def test_unknown_query_name(capsys):
    assert main(["query", "bypass-mlaa"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: unknown query 'bypass-mlaa'; did you mean 'bypass-mla'?"


def test_query_list(capsys):
    assert main(["query", "--list"]) == 0
    assert "bypass-mla" in capsys.readouterr().out


def test_csv_and_json_carry_full_iris(capsys):
    assert main(["query", "bypass-mla", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "mechanism"
    assert any(row[0] == UNCC + "art_41" for row in rows[1:])
    assert main(["query", "bypass-mla", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"][0] == "mechanism"
    assert {"type": "uri", "value": UNCC + "art_47__para_1"} in [b["mechanism"] for b in doc["results"]["bindings"]]


def test_table_shows_labels(capsys):
    assert main(["query", "bypass-mla", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "| Article 41 |" in out and UNCC not in out


def test_sparql_ask_construct_and_syntax_error(capsys):
    assert main(["sparql", "ASK { <https://w3id.org/treatykg/uncc/art_24> ?p ?o }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True
    assert main(["sparql", "CONSTRUCT WHERE { <https://w3id.org/treatykg/uncc/art_24> ?p ?o }"]) == 0
    assert "<https://w3id.org/treatykg/uncc/art_24>" in capsys.readouterr().out
    assert main(["sparql", "SELECT WHERE {"]) == 2
    assert capsys.readouterr().err.startswith("error: SPARQL syntax error")


def test_readme_catalogue_table_is_current():
    from pathlib import Path

    from treatykg.publish.readme import update_readme

    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.exists():
        pytest.skip("README not present (installed package only)")
    text = readme.read_text(encoding="utf-8")
    assert update_readme(text) == text, "run: python scripts/update_readme.py"


def test_bind_markers_place_the_values_inside_and_give_the_same_rows(kg):
    """`# @bind` lines take the VALUES clause (the engine restricts early); the rows are those of
    the plain trailing VALUES clause."""
    from collections import Counter

    from treatykg.engine.store import Term

    for name, param, iri in [
        ("critics", "provision", "https://w3id.org/treatykg/uncc/art_40"),
        ("criticisms", "provision", "https://w3id.org/treatykg/uncc/art_24"),
        ("stakeholder-claims", "stakeholder", "https://w3id.org/treatykg/org/article-19"),
    ]:
        query = kg.catalogue.get(name)
        bound = query.bind({param: Term("uri", iri)})
        assert not any(line.strip() == "# @bind" for line in bound.splitlines())
        assert bound.count(f"VALUES ?{param} {{ <{iri}> }}") >= 1
        assert not bound.rstrip().splitlines()[-1].startswith("VALUES"), "no trailing clause"
        trailing = query.text.rstrip() + f"\nVALUES ?{param} {{ <{iri}> }}"
        rows = Counter(tuple(sorted(r.items())) for r in kg.sparql(bound).values())
        assert rows and rows == Counter(tuple(sorted(r.items())) for r in kg.sparql(trailing).values()), name


def test_a_page_is_a_slice_of_the_ordered_answer(capsys):
    """--limit/--offset give rows offset..offset+limit of the full ordered answer (decision 47)."""
    assert main(["query", "timeline", "--format", "csv"]) == 0
    whole = capsys.readouterr().out.splitlines()
    assert len(whole) > 12
    assert main(["query", "timeline", "--format", "csv", "--limit", "5", "--offset", "3"]) == 0
    page = capsys.readouterr().out.splitlines()
    assert page[0] == whole[0] and page[1:] == whole[4:9]
    # A parameterised query: the page is a page of the bound answer (LIMIT before the VALUES).
    assert main(["query", "critics", "-p", "provision=24", "--format", "csv"]) == 0
    bound = capsys.readouterr().out.splitlines()
    assert main(["query", "critics", "-p", "provision=24", "--format", "csv", "--limit", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == bound[:3]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--limit", "0", "--limit: expected 1 to"),
        ("--limit", "5 } DROP ALL", "--limit: expected a whole number"),
        ("--offset", "-1", "--offset: expected a whole number"),
    ],
)
def test_bad_page_values_are_one_line_errors(option, value, message, capsys):
    assert main(["query", "timeline", option, value]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1


def test_named_bind_markers_and_basis_variable():
    # A marker may name the variables it binds; a bare marker binds the others. A basis parameter
    # is bound to ?basisAsked, so that the ?basis column can show each link's own basis (issue 15).
    from treatykg.engine.catalogue import CannedQuery, Term

    query = CannedQuery.parse(
        "demo",
        "# title: Demo\n# question: What?\n"
        "# param: provision | provision | art_24 | The provision\n"
        "# param: basis | basis | cited | Which links\n"
        "SELECT ?provision ?basis WHERE {\n  # @bind provision\n  ?x ?y ?provision .\n"
        '  BIND ("cited" AS ?basis)\n  # @bind\n}\n',
    )
    text = query.bind(
        {"provision": Term("uri", "https://w3id.org/treatykg/uncc/art_24"), "basis": Term("literal", "any")}
    )
    assert "  VALUES ?provision { <https://w3id.org/treatykg/uncc/art_24> }\n  ?x ?y ?provision ." in text
    assert text.rstrip().endswith('  VALUES ?basisAsked { "any" }\n}')


def test_basis_parameter_values(kg):
    # cited (the default) keeps the links the sources state; any keeps both; other words fail in
    # one line, exit code 2 on the command line.
    from treatykg.engine.catalogue import CatalogueError

    cited = kg.query("criticisms", provision="47", basis="Cited")
    both = kg.query("criticisms", provision="47", basis="ANY")
    assert {r["basis"] for r in cited} == {"cited"}
    assert {r["basis"] for r in both} == {"cited", "inferred"}
    with pytest.raises(CatalogueError, match="--param basis: expected one of cited, inferred, any"):
        kg.query("criticisms", provision="47", basis="cited } ; DROP ALL ; #")
