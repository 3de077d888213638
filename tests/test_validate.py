"""``treatykg validate``: the shipped graph conforms; broken input is reported with file and line."""

from __future__ import annotations

from pathlib import Path

from treatykg.cli import main
from treatykg.model.sources import SourceError, parse_turtle

from .helpers import write


def test_shipped_graph_conforms(shipped_report):
    assert shipped_report.violations == [], "\n".join(
        f"{p.focus} {p.path}: {p.message}" for p in shipped_report.violations[:20]
    )


def test_broken_turtle_is_reported_with_its_line(tmp_path: Path):
    bad = write(
        tmp_path,
        "broken.ttl",
        "@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n"
        '<https://w3id.org/treatykg/uncc/art_24> tkg:number "24" .\n'
        '<https://w3id.org/treatykg/uncc/art_25> tkg:number "25" \n'  # missing full stop
        '<https://w3id.org/treatykg/uncc/art_26> tkg:number "26" .\n',
    )
    try:
        parse_turtle(bad)
    except SourceError as exc:
        assert exc.path == bad
        assert exc.line in (3, 4)
        assert str(exc).startswith(f"{bad}:{exc.line}: syntax error")
    else:
        raise AssertionError("broken Turtle was accepted")


def test_cli_exit_2_on_broken_file(tmp_path: Path, capsys):
    bad = write(tmp_path, "broken.ttl", "<urn:example:a> <urn:example:b> .\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad}:1:") and "\n" not in err


def test_cli_exit_2_on_missing_file(tmp_path: Path, capsys):
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 2
    assert "nope.ttl: cannot read file" in capsys.readouterr().err


def test_cli_exit_1_and_grouped_report_on_violation(tmp_path: Path, capsys):
    bad = write(
        tmp_path,
        "claim.ttl",
        "@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/treatykg/claim/x-art-99> a tkg:Claim ; rdfs:label "x"@en ;\n'
        "    tkg:about <https://w3id.org/treatykg/uncc/art_99> .\n",
    )
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "claim:x-art-99\n" in out
    assert "No claim without a source" in out
    assert "exists in the graph" in out  # the unknown article
    assert out.rstrip().endswith("does NOT conform: 5 violation(s), 1 warning(s).")


def test_cli_exit_0_on_shipped_graph(capsys):
    assert main(["validate"]) == 0
    assert "The graph conforms: 0 violation(s)" in capsys.readouterr().out
