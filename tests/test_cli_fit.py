"""Issue 17, item 8: tables fit an 80-column terminal without splitting a word: narrow answers
stay tables (columns wrap between words), wide ones fall back to one block per row."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from rich.console import Console

from treatykg.engine.formats import print_table
from treatykg.engine.store import QueryResult, Term


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "treatykg", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )


def words_of_markdown(text: str) -> set[str]:
    cells = [cell.strip() for line in text.splitlines()[2:] for cell in line.strip("|").split(" | ")]
    return {word for cell in cells for word in cell.replace("\\|", "|").split()}


def test_wide_answer_at_80_columns_keeps_every_word_whole():
    md = cli("query", "criticisms", "--param", "provision=40", "--format", "md")
    words = words_of_markdown(md.stdout)
    assert "accountability" in words and "40(21)(b)" in words
    shown = cli("query", "criticisms", "--param", "provision=40")
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    missing = sorted(word for word in words if word not in shown.stdout)
    assert missing == []  # a word cut in two would be missing
    assert any(line.startswith("quote ") for line in lines)  # the record layout: column, value
    assert "Article 40(21)(b)" in shown.stdout


def result(rows: list[dict[str, str]], variables: list[str]) -> QueryResult:
    return QueryResult("select", variables, [{k: Term("literal", v) for k, v in row.items()} for row in rows])


def render(res: QueryResult, width: int = 80) -> str:
    out = io.StringIO()
    print_table(res, {}, "A title", console=Console(file=out, width=width, highlight=False))
    return out.getvalue()


def test_narrow_columns_stay_a_table_and_wrap_between_words():
    long_text = "an exact quote that is much longer than one column could hold on one line " * 2
    res = result(
        [{"provision": "Article 40(21)(b)", "kind": "criticism", "quote": long_text.strip()}],
        ["provision", "kind", "quote"],
    )
    text = render(res)
    assert "┃ provision" in text  # still a table
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Article 40(21)(b)" in text
    for word in long_text.split():
        assert word in text
    assert "1 row(s)" in text


def test_a_word_longer_than_the_line_stays_whole():
    iri = "https://w3id.org/treatykg/claim/" + "a-very-long-slug-" * 5 + "end"
    res = result([{"claim": iri, "note": "short"}, {"claim": "x", "note": "y"}], ["claim", "note"])
    text = render(res)
    assert iri in text  # on a line of its own, not folded at the 80th column
    assert "── 2" in text
    assert render(res, width=200).count(iri) == 1 and "┃ claim" in render(res, width=200)


def test_cells_are_never_markup():
    res = result([{"label": "[bold]not bold[/bold] [link=http://x]y[/link]"}], ["label"])
    assert "[bold]not bold[/bold] [link=http://x]y[/link]" in render(res)


def test_query_list_fits_80_columns():
    done = cli("query", "--list")
    assert done.returncode == 0
    # Only a value that is one word longer than the line may pass the 80th column, kept whole.
    long = [line.split() for line in done.stdout.splitlines() if len(line) > 80]
    assert all(len(words) <= 2 for words in long), long
    assert "doc1=joint-letter-eu-vote-no," in done.stdout  # a parameter list is never cut in a word


def test_list_documents_fits_80_columns_without_cropping():
    done = cli("list", "documents")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "joint-statement-concluding-session" in done.stdout
    # The kind column is whole on every row (table or record layout), one per document.
    documents = int(lines[0].split()[0])
    assert documents >= 31
    assert sum(1 for line in lines if re.fullmatch(r"kind +document|.* document\s*", line)) == documents
