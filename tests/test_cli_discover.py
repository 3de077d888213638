"""Issue 17, item 6: finding one's way around the command line (version, describing a query,
listing in machine formats, a short usage, suggestions, and which page of how many rows)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from treatykg import __version__
from treatykg.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``treatykg`` command in a child process (its own stdout and stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "treatykg", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", **(env or {})},
        timeout=120,
    )


def test_version():
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"treatykg {__version__}"


def test_query_without_a_name_is_a_short_usage_on_stderr():
    done = run("query")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("usage: treatykg query NAME")
    assert "--describe" in done.stderr and "--list" in done.stderr
    assert len(done.stderr.splitlines()) <= 4  # short: not the whole catalogue


def test_describe_names_question_parameters_defaults_and_columns(capsys):
    assert main(["query", "criticisms", "--describe"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("criticisms: What the debate says about a provision")
    assert "Which claims (criticisms, observations, support, demands)" in out
    assert "--param provision=<provision> (default: art_24)" in out
    assert "--param basis=<basis> (default: cited)" in out
    columns = out.split("columns:")[1].split()
    assert "claim" in columns and "concerns" in columns and "quote" in columns


def test_describe_as_json(capsys):
    assert main(["query", "co-signatories", "--describe", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["name"] == "co-signatories"
    assert [p["name"] for p in doc["parameters"]][:2] == ["doc1", "doc2"]
    assert doc["parameters"][0]["default"] == "joint-letter-eu-vote-no"
    assert {c["name"] for c in doc["columns"]} >= {"doc1", "doc2"}


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_list_in_machine_formats(capsys, fmt):
    assert main(["query", "--list", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
    else:
        lines = out.splitlines()
        assert lines[0] == "| name | question | parameters |"
        rows = [{"name": line.split("`")[1]} for line in lines[2:]]
    names = [row["name"] for row in rows]
    assert "bypass-mla" in names and "criticisms" in names
    assert len(names) == len(set(names)) >= 20
    if fmt != "md":
        criticisms = next(row for row in rows if row["name"] == "criticisms")
        assert "provision=art_24" in criticisms["parameters"]


def test_unknown_document_suggests_a_slug_sharing_a_word(capsys):
    assert main(["query", "document-claims", "--param", "document=eff-letr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown document 'eff-letr'; did you mean" in err
    # Every suggestion shares the word "eff" (EFF's documents; several since issue 19).
    suggested = err.split("did you mean", 1)[1]
    assert "EFF" in suggested or "eff-" in suggested


def test_misspelt_provision_suggests_the_article(capsys):
    assert main(["query", "criticisms", "--param", "provision=Artcle 24"]) == 2
    err = capsys.readouterr().err
    assert "not a provision reference: 'Artcle 24'; did you mean 'Article 24'" in err


def test_limit_says_which_rows_of_how_many_on_stderr():
    whole = run("query", "timeline", "--format", "csv")
    total = len(list(csv.reader(io.StringIO(whole.stdout)))) - 1
    assert total > 5
    done = run("query", "timeline", "--format", "csv", "--limit", "3", "--offset", "2")
    assert done.returncode == 0
    assert len(list(csv.reader(io.StringIO(done.stdout)))) == 4  # header + 3: stdout stays data
    assert done.stderr.strip() == f"rows 3\u20135 of {total:,}"


def test_offset_past_the_end_says_so():
    done = run("query", "timeline", "--format", "csv", "--limit", "3", "--offset", "5000")
    assert done.returncode == 0
    assert "past the last of" in done.stderr and "5,000" in done.stderr
    assert "of 5,000 rows" not in done.stderr


def test_missing_paragraph_suggests_its_article_and_a_sibling(capsys):
    assert main(["query", "criticisms", "--param", "provision=47(9)"]) == 2
    err = capsys.readouterr().err
    assert "no such provision in the graph: '47(9)'; did you mean" in err
    assert "'Article 47'" in err and "'Article 47(1)'" in err
    assert "Article 24" not in err
