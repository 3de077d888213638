"""Issue 17, item 10: statements from spreadsheets. Semicolon (and tab) CSV is read, messages
name the column the user filled in and the file's line, a YAML template exists, and the
templates point at ``treatykg list`` for the slugs that already exist."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from treatykg.cli import main
from treatykg.statements.reader import read_statements
from treatykg.statements.templates import csv_delimiter

from .helpers import write

CLAIM_CSV = Path(__file__).parent / "check_data" / "claim-article-30.csv"


def _rewrite(delimiter: str, text: str) -> str:
    """The template file as a spreadsheet in another locale would save it."""
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append(line)
            continue
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(next(csv.reader([line])))
        out.append(buffer.getvalue())
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_csv_read_as_the_comma_file(tmp_path, delimiter):
    path = write(tmp_path, "claims.csv", _rewrite(delimiter, CLAIM_CSV.read_text(encoding="utf-8")))
    assert delimiter in path.read_text(encoding="utf-8").splitlines()[1]
    ours, reference = read_statements([path]).graph, read_statements([CLAIM_CSV]).graph
    assert len(ours) == len(reference) > 10
    from rdflib.compare import isomorphic

    assert isomorphic(ours, reference)  # the same statements (the quote is a blank node)


def test_semicolon_csv_checks_clean(tmp_path, capsys):
    path = write(tmp_path, "claims.csv", _rewrite(";", CLAIM_CSV.read_text(encoding="utf-8")))
    assert main(["check", str(path)]) == 0
    assert "The statements conform" in capsys.readouterr().out


def test_delimiter_is_judged_on_the_header_only():
    assert csv_delimiter("record,id,label") == ","
    assert csv_delimiter("record;id;label") == ";"
    assert csv_delimiter("record\tid\tlabel") == "\t"
    assert csv_delimiter("record") == ","
    # a semicolon inside a quoted header cell does not make a semicolon file
    assert csv_delimiter('record,id,"a;b"') == ","


def test_messages_name_the_column_and_the_files_line(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    text = (
        CLAIM_CSV.read_text(encoding="utf-8")
        .replace("Article 30,", "Article 99,")
        .replace("surveillance", "survelance")
    )
    path.write_text("# a comment line\n\n" + _rewrite(";", text), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    claim_line = next(n for n, line in enumerate(lines, 1) if line.startswith("claim;"))
    assert claim_line == 6  # two lines added, comments counted
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{claim_line}: Violation [about]" in out
    assert f"{path}:{claim_line}: Violation [concern]" in out
    assert "[tkg:concernCategory]" not in out and "row 2" not in out
    assert main(["check", "--format", "json", str(path)]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert {(p["column"], p["field"]) for p in problems} == {
        ("about", "tkg:about"),
        ("concern", "tkg:concernCategory"),
    }


def test_reading_errors_name_line_and_column(tmp_path, capsys):
    path = write(tmp_path, "noid.csv", "# comment\nrecord;id;label\n\nclaim;;A label\n")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == f"error: {path}:4: id: this field is required\n"


def test_rdf_input_keeps_property_names(tmp_path, capsys):
    path = write(
        tmp_path,
        "claim.ttl",
        "@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n"
        "<https://w3id.org/treatykg/claim/test-ttl> a tkg:Claim ;\n"
        "  tkg:about <https://w3id.org/treatykg/uncc/art_99> .\n",
    )
    assert main(["check", str(path)]) == 1
    assert "Violation [tkg:about]" in capsys.readouterr().out


def test_yaml_template_round_trip(tmp_path, capsys):
    assert main(["template", "claim", "--format", "yaml"]) == 0
    template = capsys.readouterr().out
    assert "claims:\n  - id:" in template
    assert "treatykg list stakeholders" in template and "treatykg list documents" in template
    import yaml

    assert list(yaml.safe_load(template)["claims"][0])[:3] == ["id", "label", "kind"]
    filled = (
        template.replace("  - id:  ", "  - id: test-yaml-claim  ", 1)
        .replace("    label:  ", "    label: A test claim about Article 99  ", 1)
        .replace("    kind:  ", "    kind: criticism  ", 1)
        .replace("    about:  ", "    about: 99  ", 1)
        .replace("    concern:  ", "    concern: weak-safeguards  ", 1)
        .replace("    quote:  ", "    quote: a test quote  ", 1)
        .replace("    document:  ", "    document: joint-letter-eu-vote-no  ", 1)
    )
    path = write(tmp_path, "mine.yaml", filled)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    line = next(n for n, text in enumerate(filled.splitlines(), 1) if text.startswith("  - id:"))
    assert f"{path}:{line}: Violation [about]" in out and "(value: uncc:art_99)" in out


def test_csv_template_points_at_list():
    from treatykg.statements.templates import template_csv

    text = template_csv("document")
    assert "`treatykg list stakeholders`" in text and "`treatykg list documents`" in text


def test_list_documents_and_stakeholders(capsys):
    assert main(["list", "documents", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    slugs = {row["slug"]: row["label"] for row in rows}
    assert "joint-letter-eu-vote-no" in slugs and "eff-briefing-negotiations" in slugs
    assert slugs["eff-briefing-negotiations"].startswith("EFF briefing")
    assert main(["list", "stakeholders", "--format", "json"]) == 0
    people = json.loads(capsys.readouterr().out)
    by_slug = {row["slug"]: row for row in people}
    assert by_slug["access-now"] == {"slug": "access-now", "label": "Access Now", "kind": "organisation"}
    assert any(slug.startswith("person:") and row["kind"] == "person" for slug, row in by_slug.items())
    assert "https://w3id.org" not in json.dumps(people)


def test_listed_slugs_are_what_the_template_accepts(tmp_path, capsys):
    """A person's slug as listed (``person:...``) works in a document's signatories column."""
    assert main(["list", "stakeholders", "--format", "csv"]) == 0
    person = next(r["slug"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["kind"] == "person")
    text = CLAIM_CSV.read_text(encoding="utf-8").replace(",access-now,", f",access-now; {person},")
    path = write(tmp_path, "with-person.csv", text)
    assert main(["check", str(path)]) == 0, capsys.readouterr().out


VOTE_CSV = (
    "record,id,label,title,type,stance,date,issuer,url,date_read,"
    "kind,target,concern,description,locator,document,attributed_to,vote\n"
    "document,vote-record,A record of a vote,A record of a vote,statement,support,2019-11-22,"
    "russian-federation,https://example.org/vote,2026-12-04,,,,,,,,\n"
    "claim,vote-against,Two States voted against,,,,,,,,criticism,a draft resolution,process,"
    "They voted against it.,Second paragraph,vote-record,{voters},{vote}\n"
)


def test_a_recorded_vote_is_a_claim_attributed_to_the_states_that_cast_it(tmp_path, capsys):
    """Issue 18: the `vote` column (tkg:voteCast); only State nodes cast a vote, a bad value names the column."""
    from rdflib import URIRef

    from treatykg.model.iri import PREFIXES

    good = write(tmp_path, "vote.csv", VOTE_CSV.format(voters="canada;ukraine", vote="against"))
    assert main(["check", str(good)]) == 0, capsys.readouterr().out
    graph = read_statements([good]).graph
    claim = URIRef(PREFIXES["claim"] + "vote-against")
    assert set(graph.objects(claim, URIRef(PREFIXES["tkg"] + "voteCast"))) == {URIRef(PREFIXES["vote"] + "against")}
    capsys.readouterr()
    by_ngo = write(tmp_path, "ngo.csv", VOTE_CSV.format(voters="canada;human-rights-watch", vote="against"))
    assert main(["check", str(by_ngo)]) == 1
    out = capsys.readouterr().out
    assert "[attributed_to]" in out and "cast by States" in out and "human-rights-watch" in out
    unknown = write(tmp_path, "maybe.csv", VOTE_CSV.format(voters="canada", vote="maybe"))
    assert main(["check", str(unknown)]) == 1
    assert "[vote]" in capsys.readouterr().out
