"""Issue 17, item 11: ``export`` takes the format from ``-o``'s extension, refuses a
``--format`` that contradicts it, and writes RDF/XML."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from treatykg.cli import main

UNCC = "https://w3id.org/treatykg/uncc/"
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def test_extension_names_the_format(tmp_path, capsys):
    out = tmp_path / "dataset.nt"
    assert main(["export", "-o", str(out)]) == 0
    assert capsys.readouterr().err.strip().endswith("bytes, nt)")
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("<") and first.endswith(" .") and "@prefix" not in out.read_text(encoding="utf-8")
    graph = Graph().parse(out, format="nt")
    assert (URIRef(UNCC + "art_47"), LABEL, Literal("Article 47", lang="en")) in graph


def test_rdfxml_from_the_extension(tmp_path, capsys):
    out = tmp_path / "dataset.rdf"
    assert main(["export", "-o", str(out)]) == 0
    assert capsys.readouterr().err.strip().endswith("bytes, rdfxml)")
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF')
    graph = Graph().parse(out, format="xml")
    assert (URIRef(UNCC + "art_47"), LABEL, Literal("Article 47", lang="en")) in graph
    assert (URIRef(UNCC + "art_24"), LABEL, Literal("Article 24", lang="en")) in graph


def test_a_contradicting_format_is_refused_and_nothing_written(tmp_path, capsys):
    out = tmp_path / "dataset.nt"
    assert main(["export", "--format", "ttl", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: -o {out} names N-Triples but --format ttl asks for Turtle; drop --format or name the file .ttl\n"
    )
    assert not out.exists()


def test_agreeing_format_and_unknown_extension_are_fine():
    from treatykg.cli.dataset import _export_format

    assert _export_format("jsonld", "x.json") == ("jsonld", None)
    assert _export_format("rdfxml", "x.owl") == ("rdfxml", None)
    assert _export_format(None, "x.txt") == ("ttl", None)
    assert _export_format("nq", "x.txt") == ("nq", None)
    assert _export_format(None, None) == ("ttl", None)


def test_help_names_the_extensions(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert ".rdf/.xml/.owl RDF/XML" in out and "rdfxml" in out
    assert "validation failed" not in out  # export validates nothing: no exit code 1
