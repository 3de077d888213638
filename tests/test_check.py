"""``treatykg check``, ``template``, ``add`` and ``remove``: a new user writes a claim about
Article 30 in the CSV template, learns exactly what is wrong, fixes it, adds it, and finds it in
``treatykg query criticisms --param provision=30``; nothing is ever half-written."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from pathlib import Path

import pytest

from treatykg.cli import main

from .helpers import tree_digest, write

DATA = Path(__file__).parent / "check_data"
CLAIM_CSV = DATA / "claim-article-30.csv"


def test_template_is_a_valid_csv_header(capsys):
    assert main(["template", "claim"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]
    header = next(csv.reader(io.StringIO(lines[0])))
    assert header[:3] == ["record", "id", "label"] and "quote" in header and "document" in header


def test_new_user_flow(tmp_path, contrib, capsys):
    broken = write(
        tmp_path,
        "claims.csv",
        CLAIM_CSV.read_text(encoding="utf-8")
        .replace("Article 30,", "Article 99,")
        .replace("surveillance,", "survelance,"),
    )
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    # the file's line (comment lines counted) and the column the user filled in
    assert f"{broken}:4: Violation [about]" in out and "did you mean uncc:art_9" in out
    assert "(value: concern:survelance) - did you mean concern:surveillance?" in out
    assert not contrib.exists() or not list(contrib.glob("*.ttl"))

    assert main(["check", str(CLAIM_CSV)]) == 0
    assert main(["add", str(CLAIM_CSV), "--source-note", "test", "--author", "Tester"]) == 0
    added = capsys.readouterr().out
    assert "added submission" in added
    assert main(["query", "criticisms", "--param", "provision=30", "--format", "csv"]) == 0
    assert "https://w3id.org/treatykg/claim/test-art-30-no-warrant" in capsys.readouterr().out
    assert main(["validate"]) == 0

    assert main(["add", str(CLAIM_CSV)]) == 2
    assert "already added as submission" in capsys.readouterr().err

    submission = next(contrib.glob("*.ttl")).stem
    assert main(["remove", submission]) == 0
    assert main(["query", "criticisms", "--param", "provision=30", "--format", "csv"]) == 0
    assert "test-art-30" not in capsys.readouterr().out


def test_failed_check_stores_nothing(tmp_path, contrib, capsys):
    assert main(["add", str(CLAIM_CSV)]) == 0
    before = tree_digest(contrib)
    bad = write(
        tmp_path,
        "bad.csv",
        CLAIM_CSV.read_text(encoding="utf-8")
        .replace("test-art-30-no-warrant", "test-other")
        .replace("Article 30,", "Article 99,"),
    )
    assert main(["add", str(bad)]) == 1
    assert tree_digest(contrib) == before


def test_crash_while_writing_leaves_no_file(contrib, monkeypatch):
    from rdflib import Graph

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Graph, "serialize", explode)
    assert main(["add", str(CLAIM_CSV)]) == 130
    assert not list(contrib.glob("*.ttl")) and not list(contrib.glob(".*.tmp"))


def test_concurrent_adds_do_not_corrupt_each_other(tmp_path, contrib):
    from treatykg.statements.contrib import add
    from treatykg.statements.reader import read_statements

    files = []
    for index in range(4):
        path = tmp_path / f"sub{index}.csv"
        path.write_text(
            CLAIM_CSV.read_text(encoding="utf-8").replace("test-art-30", f"test-art-30-{index}"), encoding="utf-8"
        )
        files.append(path)
    errors = []

    def worker(path):
        try:
            add(read_statements([path]), [path])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stored = list(contrib.glob("*.ttl"))
    assert len(stored) == 4  # one complete file per submission, none lost or merged
    from rdflib import Graph

    for path in stored:
        assert len(Graph().parse(path)) > 10  # each file is complete Turtle


def test_oversized_file_is_refused_before_parsing(tmp_path, capsys):
    big = tmp_path / "huge.ttl"
    with big.open("w", encoding="utf-8") as handle:
        line = '<urn:example:s> <urn:example:p> "' + "x" * 1000 + '" .\n'
        for _ in range(50 * 1024):
            handle.write(line)
    assert big.stat().st_size > 50 * 1024 * 1024
    assert main(["check", str(big)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {big}: file is 50.") and "limited to 5 MB" in err


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_report_formats(tmp_path, fmt, capsys):
    bad = write(tmp_path, "bad.csv", CLAIM_CSV.read_text(encoding="utf-8").replace("Article 30,", "Article 99,"))
    assert main(["check", "--format", fmt, str(bad)]) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        doc = json.loads(out)
        assert doc["conforms"] is False and doc["violations"] == 1
        problem = doc["problems"][0]
        assert problem["location"].endswith("bad.csv:4") and problem["field"] == "tkg:about"
        assert problem["column"] == "about"
        assert problem["suggestion"].startswith("did you mean uncc:art_9")
    else:
        from rdflib import Graph, Literal, URIRef

        report = Graph().parse(data=out, format="turtle")
        sh = "http://www.w3.org/ns/shacl#"
        assert (None, URIRef(sh + "conforms"), Literal(False)) in report
        assert (
            None,
            URIRef(sh + "focusNode"),
            URIRef("https://w3id.org/treatykg/claim/test-art-30-no-warrant"),
        ) in report


def test_unreadable_inputs_exit_2(tmp_path, capsys):
    cases = {
        "broken.ttl": "<urn:example:a> <urn:example:b> .\n",
        "broken.jsonld": '{"@id": "urn:example:a", ',
        "list.yaml": "- just\n- a list\n",
        "norecord.csv": "id,label\nx,y\n",
        "file.docx": "binary",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        assert main(["check", str(path)]) == 2, name
        err = capsys.readouterr().err
        assert err.startswith(f"error: {path}") and err.count("\n") == 1, err


def test_yaml_template_locations(tmp_path, capsys):
    path = write(
        tmp_path,
        "claims.yaml",
        "claims:\n"
        "  - id: test-yaml-claim\n    label: Test claim\n    kind: criticism\n    about: 99\n"
        "    concern: [weak-safeguards]\n    quote: a test quote\n    document: joint-letter-eu-vote-no\n"
        "    description: A test.\n",
    )
    assert main(["check", str(path)]) == 1
    assert f"{path}:2: Violation [about]" in capsys.readouterr().out


def test_incremental_and_full_give_the_same_problems(tmp_path):
    from treatykg.statements.check import check_statements

    bad = write(tmp_path, "bad.csv", CLAIM_CSV.read_text(encoding="utf-8").replace("Article 30,", "Article 99,"))
    for path in (CLAIM_CSV, bad):
        fast = check_statements([path])
        full = check_statements([path], full=True)
        key = lambda r: sorted((p.focus, p.shape, p.severity, p.path or "") for p in r.report.problems)  # noqa: E731
        assert key(fast) == key(full)
        assert fast.conforms() == full.conforms()


def test_check_changes_nothing(contrib):
    from treatykg.model.sources import data_root

    graph_dir = data_root() / "graph"
    before = {p: p.stat().st_mtime_ns for p in graph_dir.rglob("*.ttl")}
    assert main(["check", str(CLAIM_CSV)]) == 0
    assert {p: p.stat().st_mtime_ns for p in graph_dir.rglob("*.ttl")} == before
    assert os.environ["TREATYKG_CONTRIB_DIR"] == str(contrib)


def test_same_file_name_in_the_same_second_is_not_overwritten(tmp_path, contrib):
    import datetime as dt

    from treatykg.statements.contrib import add
    from treatykg.statements.reader import read_statements

    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    paths = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "claims.csv"
        path.write_text(
            CLAIM_CSV.read_text(encoding="utf-8").replace("test-art-30", f"test-art-30-{folder}"), encoding="utf-8"
        )
        paths.append(path)
    first = add(read_statements([paths[0]]), [paths[0]], now=now)
    second = add(read_statements([paths[1]]), [paths[1]], now=now)
    assert first.path != second.path and first.path.exists() and second.path.exists()


def test_incremental_context_covers_existing_nodes_of_every_kind(tmp_path):
    """Defect 13 of issue 14, as a class: the incremental check's context must hold whatever the
    shapes read about a node (neighbours' types and dates, ancestors, incoming links such as a
    safeguard's parts). One statement about two existing nodes of every type in the graph
    (provisions, safeguards, documents, stakeholders, claims, events, Budapest articles, EU acts)
    must give exactly the problems ``--full`` gives. Called below the contribution policy (which
    may refuse curated subjects), since this tests the context, not what may be contributed."""
    from treatykg.engine.store import EmbeddedStore
    from treatykg.statements.check import validate_statements
    from treatykg.statements.reader import read_statements

    rows = (
        EmbeddedStore.open()
        .query(
            """SELECT ?type (MIN(STR(?node)) AS ?first) (MAX(STR(?node)) AS ?last) WHERE {
             ?node a ?type . FILTER (isIRI(?node))
             FILTER (!STRSTARTS(STR(?node), "https://w3id.org/treatykg/ontology")
                     && !STRSTARTS(STR(?node), "https://w3id.org/treatykg/vocab")
                     && !STRSTARTS(STR(?node), "http://www.w3.org/")) } GROUP BY ?type"""
        )
        .rows
    )
    nodes = sorted({row[key].value for row in rows for key in ("first", "last")})
    assert len(nodes) > 30
    for probe in ("https://w3id.org/treatykg/uncc/art_24", "https://w3id.org/treatykg/uncc/art_40__para_21"):
        nodes.append(probe)  # safeguards with parts and cross-references: the cases first reported
    path = write(
        tmp_path,
        "existing.ttl",
        "".join(f'<{node}> <http://www.w3.org/2000/01/rdf-schema#comment> "test"@en .\n' for node in nodes),
    )
    statements = read_statements([path])
    key = lambda r: sorted((p.focus, p.shape, p.severity, p.path or "", p.value or "") for p in r.report.problems)  # noqa: E731
    fast, full = validate_statements(statements), validate_statements(statements, full=True)
    assert key(fast) == key(full)
    assert fast.conforms() == full.conforms()
