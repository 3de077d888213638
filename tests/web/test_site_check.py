"""The check page (issue 17, item 5): templates to download, a report that wraps instead of
scrolling sideways, and the columns or keys a contributor filled in named in its lines."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from treatykg.statements import templates as statements

from .test_pages import _html, _multipart
from .test_protocol import _request


def _bad_csv() -> str:
    """The claim template with one row filled in by column name (the template grows columns), with an
    unknown article and a misspelt concern."""
    template = statements.template_csv("claim")
    header = next(line for line in template.splitlines() if line.startswith("record,"))
    columns = header.split(",")
    values = {
        "record": "claim",
        "id": "my-claim",
        "label": "A test claim",
        "kind": "criticism",
        "about": "99",
        "concern": "surveillanse",
        "description": "in our words",
        "document": "joint-letter-eu-vote-no",
    }
    row = ",".join(values.get(column, "") for column in columns)
    empty = "claim" + "," * (len(columns) - 1)
    assert empty in template
    return template.replace(empty, row)


BAD_CSV = _bad_csv()


def test_check_page_offers_the_templates(server):
    status, page = _html(server, "/check")
    assert status == 200
    assert '<a href="/check/template/claim.csv" download>CSV</a>' in page
    assert '<a href="/check/template/stakeholder.ttl" download>Turtle</a>' in page
    status, headers, body = _request(server + "/check/template/claim.csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert 'filename="treatykg-claim.csv"' in headers["Content-Disposition"]
    assert body.decode() == statements.template_csv("claim")  # the same as `treatykg template claim`
    status, headers, body = _request(server + "/check/template/claim.ttl")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert list(ox.parse(body, format=ox.RdfFormat.TURTLE)) == []  # only prefixes and comments
    assert b"# claim:my-new-claim a tkg:Claim ;" in body
    uncommented = b"\n".join(
        line[2:] if (line.startswith(b"# ") and b":" in line[:12]) or line.startswith(b"#     ") else line
        for line in body.splitlines()
    )
    triples = list(ox.parse(uncommented, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value.endswith("#concernCategory") for t in triples)  # the skeleton is valid Turtle
    status, _, _ = _request(server + "/check/template/claim.exe")
    assert status == 404
    if hasattr(statements, "template_yaml"):
        assert '<a href="/check/template/claim.yaml" download>YAML</a>' in page
        status, _, body = _request(server + "/check/template/claim.yaml")
        assert status == 200 and body.decode() == statements.template_yaml("claim")
    else:  # the YAML template comes with `treatykg template --format yaml` (another branch)
        assert "claim.yaml" not in page


def test_check_report_wraps_and_names_fields(server):
    body, media = _multipart({"file": ("mine.csv", BAD_CSV.encode())})
    status, _, page = _request(server + "/check", body, {"Content-Type": media, "Accept": "text/html"})
    page = page.decode()
    assert status == 200 and "Problems found" in page
    lines = page.split('<ol class="report-lines">')[1].split("</ol>")[0]
    assert lines.count("<li>") == 4
    assert '<span class="badge severity-violation">Violation</span>' in lines
    assert "did you mean concern:surveillance?" in lines
    # the report text is still there, folded, and wraps (no sideways scrolling)
    assert "<details><summary>The report as text" in page
    status, _, css = _request(server + "/static/style.css")
    assert b"pre#report { white-space: pre-wrap; overflow-wrap: anywhere; }" in css
    assert b"ol.report-lines li { margin: .3rem 0; overflow-wrap: anywhere; }" in css
    if not hasattr(statements, "column_name") and "[concern]" not in page:
        pytest.skip("column names in check reports come with the statements change on another branch")
    assert "concern" in lines.split("did you mean concern:surveillance?")[0].rsplit("<li>", 1)[1].split("</code>")[0]


def test_report_lines_name_the_template_column(monkeypatch):
    """With the statements module's column map (statements.column_name, another branch's), a CSV or
    YAML line names the column; a Turtle line keeps the property."""
    from treatykg.web.check_page import report_lines

    def column_name(record, path):
        return {"claim": {"tkg:concernCategory": "concern"}}.get(record or "", {}).get(path or "")

    monkeypatch.setattr(statements, "column_name", column_name, raising=False)
    report = (
        "mine.csv row 1: Violation [tkg:concernCategory] claim:my-claim: A claim needs a concern.\n"
        "mine.yaml line 4: Violation [tkg:concernCategory] claim:my-claim: A claim needs a concern.\n"
        "pasted.ttl:26: Violation [tkg:concernCategory] claim:my-claim: A claim needs a concern.\n"
        "The statements do NOT conform: 3 violation(s), 0 warning(s)."
    )
    lines = report_lines(report)
    assert [line["field"] for line in lines] == [
        "concern (tkg:concernCategory)",
        "concern (tkg:concernCategory)",
        "tkg:concernCategory",
        "",
    ]
    assert lines[0]["where"] == "mine.csv row 1" and lines[2]["where"] == "pasted.ttl:26"
    assert lines[3]["message"].startswith("The statements do NOT conform")
