"""Issue 17, item 7: ``--labels`` puts a name next to every IRI, in CSV, TSV and JSON, in the
Python API and in the web downloads (where the label cells stay spreadsheet-safe)."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request

import pytest

from treatykg.cli import main
from treatykg.engine.catalogue import labels_for
from treatykg.engine.formats import add_labels
from treatykg.engine.store import EmbeddedStore, QueryResult, Term

from . import servers
from .helpers import write

UNCC = "https://w3id.org/treatykg/uncc/"


def test_csv_labels_sit_next_to_their_iri_columns(capsys):
    args = ["query", "criticisms", "--param", "provision=40", "--format", "csv", "--labels"]
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    header = list(rows[0])
    assert header[:4] == ["provision", "provision_label", "claim", "claim_label"]
    assert "basis_label" not in header and "quote_label" not in header  # literals get none
    assert header.index("concerns_label") == header.index("concerns") + 1
    # One row per claim (issue 17): its concerns are joined, and so are their labels.
    secrecy = next(row for row in rows if row["claim"].endswith("/a19-art-40-20-request-confidentiality"))
    assert secrecy["concerns"] == "https://w3id.org/treatykg/vocab/concern/secrecy"
    assert secrecy["concerns_label"] == "secrecy"
    joined = [row for row in rows if "; " in row["concerns"]]
    assert joined, "no claim about Article 40 raises two concerns"
    for row in joined:
        assert row["concerns_label"].count("; ") == row["concerns"].count("; ")
        assert "https://" not in row["concerns_label"]
    assert {row["provision_label"] for row in rows} == {"Article 40"}
    part = next(row for row in rows if row["part"] == UNCC + "art_40__para_21__point_b")
    assert part["part_label"] == "Article 40(21)(b)"
    assert part["document_label"].startswith("ARTICLE 19")


def test_without_labels_csv_is_unchanged(capsys):
    assert main(["query", "criticisms", "--param", "provision=40", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "provision,claim,part,basis,kind,concerns,document,quote"


def test_tsv_and_json_labels(capsys):
    assert main(["query", "co-signatories", "--format", "tsv", "--labels"]) == 0
    head = capsys.readouterr().out.splitlines()[0].split("\t")
    assert head[:2] == ["?doc1", "?doc1_label"]
    assert main(["query", "co-signatories", "--format", "json", "--labels"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"][:4] == ["doc1", "doc1_label", "doc2", "doc2_label"]
    first = doc["results"]["bindings"][0]
    assert first["doc1_label"] == {"type": "literal", "value": first["doc1_label"]["value"]}
    assert first["doc1_label"]["value"].startswith("Joint letter to the EU")


def test_sparql_labels(capsys):
    text = f"SELECT ?p WHERE {{ VALUES ?p {{ <{UNCC}art_24> <{UNCC}art_47> }} }} ORDER BY ?p"
    assert main(["sparql", text, "--format", "csv", "--labels"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["p", "p_label"], [UNCC + "art_24", "Article 24"], [UNCC + "art_47", "Article 47"]]


def test_api_query_with_labels(kg):
    rows = kg.query("criticisms", labels=True, provision="24")
    assert rows and all(row["provision_label"] == "Article 24" for row in rows)
    assert "claim_label" in rows[0]
    assert "provision_label" not in kg.query("criticisms", provision="24")[0]


def test_label_lookup_binds_iris_and_skips_unsafe_ones(kg):
    hostile = UNCC + "art_24> } } ; DROP ALL ; #"
    labels = labels_for(kg.store, {UNCC + "art_24", hostile, "urn:x:y"})
    assert labels == {UNCC + "art_24": "Article 24"}


def test_add_labels_leaves_unlabelled_iris_unbound():
    result = QueryResult("select", ["x", "n"], [{"x": Term("uri", "https://e.org/a"), "n": Term("literal", "1")}])
    out = add_labels(result, {})
    assert out.variables == ["x", "x_label", "n"]
    assert "x_label" not in out.rows[0]


def test_label_that_is_a_formula_is_defused_in_the_web_download(tmp_path):
    """A contributed label ``=HYPERLINK(...)`` comes out of ``labels=1`` with a leading quote."""
    evil = write(
        tmp_path,
        "evil.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/treatykg/doc/joint-letter-eu-vote-no>"
        ' rdfs:label "=HYPERLINK(\\"http://x\\",\\"y\\")"@en .\n',
    )
    store = EmbeddedStore.open(extra=[(str(evil), "urn:test:evil")])
    label = labels_for(store, {"https://w3id.org/treatykg/doc/joint-letter-eu-vote-no"})
    assert label["https://w3id.org/treatykg/doc/joint-letter-eu-vote-no"].startswith("=HYPERLINK")
    with servers.treatykg("--workers", "1", "--with", str(evil)) as base:
        with urllib.request.urlopen(f"{base}/queries/co-signatories?format=csv&labels=1") as response:
            rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
        assert rows and all(row["doc1_label"].startswith("'=") for row in rows)
        assert rows[0]["doc2_label"].startswith("Joint statement")
        with urllib.request.urlopen(f"{base}/queries/co-signatories?format=csv") as response:
            assert "doc1_label" not in response.read().decode("utf-8").splitlines()[0]
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{base}/queries/co-signatories?format=csv&labels=maybe")
        assert info.value.code == 400
        assert "labels: expected 1 or 0" in info.value.read().decode("utf-8")


def test_joined_iris_are_labelled_one_by_one():
    from treatykg.engine.formats import iri_list

    concern = "https://w3id.org/treatykg/vocab/concern/"
    joined = Term("literal", f"{concern}secrecy; {concern}surveillance")
    result = QueryResult("select", ["concerns"], [{"concerns": joined}])
    out = add_labels(result, {concern + "secrecy": "secrecy"})
    assert out.rows[0]["concerns_label"].value == f"secrecy; {concern}surveillance"
    assert iri_list(Term("literal", "https://example.org/a; https://example.org/b")) == []  # not ours
    assert iri_list(Term("literal", f"{concern}secrecy and more")) == []  # not a list of IRIs
    assert iri_list(Term("uri", concern + "secrecy")) == []
