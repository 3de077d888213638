"""Render query results: SPARQL 1.1 CSV/TSV/JSON results (full IRIs) for machines, and tables with
labels ("Article 40(21)") for people. Shared by the CLI and, later, the web app."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Final

from ..model.iri import BASE
from ..util.terminal import printable
from .store import QueryResult, Term

FORMATS: Final = ("table", "csv", "tsv", "json", "md")
#: Formats for the RDF a CONSTRUCT or DESCRIBE query answers (``treatykg sparql --format``).
GRAPH_FORMATS: Final = ("ttl", "nt", "jsonld")


def graph_text(result: QueryResult, fmt: str) -> str:
    """A CONSTRUCT/DESCRIBE answer in ``fmt``: Turtle (with the project's prefixes that occur in
    it), N-Triples, or JSON-LD; ``table``/``md`` give N-Triples as before, ``json`` JSON-LD.
    Written by pyoxigraph, which the query path loads anyway (rdflib stays unimported)."""
    if fmt in ("table", "md", "nt"):
        return result.ntriples
    if fmt in ("csv", "tsv"):
        raise ValueError(f"--format {fmt}: a CONSTRUCT or DESCRIBE answer is RDF; use ttl, nt or jsonld")
    import pyoxigraph as ox

    from ..model.iri import PREFIXES

    triples = list(ox.parse(result.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    used = {name: iri for name, iri in PREFIXES.items() if f"<{iri}" in result.ntriples}
    target = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.JSON_LD
    text = ox.serialize(triples, format=target, prefixes=used).decode("utf-8")
    if fmt != "ttl":  # pyoxigraph writes JSON-LD on one line; people and diffs read it indented
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    return text


#: One of our IRIs in a joined list: no spaces or characters that IRIs may not hold.
_LIST_IRI = re.compile(r"^https://w3id\.org/treatykg/[^\s<>\"{}|\\^`;]+$")
#: How the canned queries join several IRIs in one cell: ``"; "`` (``criticisms``' ``concerns``,
#: issue 17) or a space (``document-claims``); labels of a list are joined with ``"; "``.
LIST_SEPARATOR: Final = "; "
_SPLIT = re.compile(r";?\s+")


def iri_list(term: Term | None) -> list[str]:
    """The IRIs of a literal that holds one or more of our IRIs joined with ``"; "`` or spaces (a
    canned query's one row per claim, its concerns joined), else ``[]``. Why: such a cell holds names for
    people too (labels, links), though SPARQL results can carry it only as one string. Only our own
    IRIs (``https://w3id.org/treatykg/``) count, so a literal that is some web address is text."""
    if term is None or term.kind != "literal" or not term.value.startswith(BASE):
        return []
    parts = _SPLIT.split(term.value.strip())
    return parts if all(_LIST_IRI.match(part) for part in parts) else []


def result_iris(result: QueryResult) -> set[str]:
    """Every IRI a result shows: IRI terms and the IRIs of joined lists (see :func:`iri_list`)."""
    found: set[str] = set()
    for row in result.rows:
        for term in row.values():
            if term.kind == "uri":
                found.add(term.value)
            else:
                found.update(iri_list(term))
    return found


def _label_of(term: Term, labels: dict[str, str]) -> str | None:
    """The label of an IRI term, or the labels of a joined list (an IRI without a label stands for
    itself there); None for anything else or an IRI without a label."""
    if term.kind == "uri":
        return labels.get(term.value)
    parts = iri_list(term)
    if not any(part in labels for part in parts):
        return None
    return LIST_SEPARATOR.join(labels.get(part, part) for part in parts)


def add_labels(result: QueryResult, labels: dict[str, str]) -> QueryResult:
    """A copy of ``result`` with a column ``<name>_label`` right after every column that holds an
    IRI (or a joined list of IRIs, :func:`iri_list`) in some row, holding the IRI's label (the
    labels of the list, joined alike; unbound where an IRI has none). The IRI column stays as
    it is, so a program can still join on it; the result is still SPARQL 1.1 CSV/TSV/JSON."""
    if result.form != "select":
        return result
    iri_columns = {v for row in result.rows for v, t in row.items() if t.kind == "uri" or iri_list(t)}
    variables: list[str] = []
    added: dict[str, str] = {}
    for variable in result.variables:
        variables.append(variable)
        name = f"{variable}_label"
        if variable in iri_columns and name not in result.variables:
            variables.append(name)
            added[variable] = name
    rows = []
    for row in result.rows:
        new: dict[str, Term] = {}
        for variable in result.variables:
            term = row.get(variable)
            if term is None:
                continue
            new[variable] = term
            label = _label_of(term, labels) if variable in added else None
            if label is not None:
                new[added[variable]] = Term("literal", label)
        rows.append(new)
    return QueryResult("select", variables, rows)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: a header of variable names, IRIs and lexical forms."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([row[v].value if v in row else "" for v in result.variables])
    return out.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` header, terms in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(row[v].n3().replace("\t", "\\t") if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.form == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    doc = {
        "head": {"vars": result.variables},
        "results": {"bindings": [{k: t.to_json() for k, t in row.items()} for row in result.rows]},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (the W3C's first results format; some clients want only it)."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("  </head>")
    if result.form == "ask":
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in result.rows:
            out.append("    <result>")
            for name, term in row.items():
                if term.kind == "uri":
                    value = f"<uri>{escape(term.value)}</uri>"
                elif term.kind == "bnode":
                    value = f"<bnode>{escape(term.value)}</bnode>"
                elif term.lang:
                    value = f"<literal xml:lang={quoteattr(term.lang)}>{escape(term.value)}</literal>"
                elif term.datatype:
                    value = f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
                else:
                    value = f"<literal>{escape(term.value)}</literal>"
                out.append(f"      <binding name={quoteattr(name)}>{value}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _cell(result: QueryResult, row: dict, variable: str, labels: dict[str, str]) -> str:
    term = row.get(variable)
    if term is None:
        return ""
    return _label_of(term, labels) or term.value


def to_markdown(result: QueryResult, labels: dict[str, str]) -> str:
    """A Markdown table with labels, for docs and READMEs."""
    if result.form == "ask":
        return f"{'yes' if result.boolean else 'no'}\n"
    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    for row in result.rows:
        cells = [_cell(result, row, v, labels).replace("|", "\\|").replace("\n", " ") for v in result.variables]
        lines.append(printable("| " + " | ".join(cells) + " |"))
    return "\n".join(lines) + "\n"


def print_table(result: QueryResult, labels: dict[str, str], title: str | None = None, console=None) -> None:
    """A table with labels that fits the terminal (plain text when not on a terminal).

    Cells hold data anyone may have contributed, so each is a ``rich.text.Text`` (never parsed as
    console markup: a label ``[/]`` or ``[link=...]`` prints as written) with control and bidi
    characters shown as escapes (:func:`treatykg.util.terminal.printable`)."""
    from rich.console import Console

    console = console or Console(highlight=False)
    if result.form == "ask":
        console.print("yes" if result.boolean else "no")
        return
    rows = [[_cell(result, row, v, labels) for v in result.variables] for row in result.rows]
    print_rows(console, list(result.variables), rows, title)
    console.print(f"{len(result.rows)} row(s)", style="dim", markup=False)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def print_rows(console, headers: list[str], rows: list[list[str]], title: str | None = None) -> None:
    """Rows as a table when every column can be as wide as its longest word, else as records
    (one block per row, ``column  value``), as ``gh`` and ``csvlook`` do: a word (an IRI, a
    slug, "Article 40(21)(b)") is never split across lines, whatever the terminal's width.

    Columns get at least their longest word; rich then wraps longer cells between words."""
    from rich.table import Table
    from rich.text import Text

    headers = [printable(h) for h in headers]
    rows = [[printable(cell) for cell in row] for row in rows]
    minimum = [max([len(h), *(_longest_word(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    # A rich table with the default box: a border and a space either side of each column.
    available = console.width - (3 * len(headers) + 1)
    if sum(minimum) <= available:
        table = Table(title=Text(title) if title else None, show_lines=False)
        for header, width in zip(headers, _widths(minimum, rows, headers, available), strict=True):
            table.add_column(Text(header), width=width, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
        return
    print_records(console, headers, rows, title)


def _widths(minimum: list[int], rows: list[list[str]], headers: list[str], available: int) -> list[int]:
    """Column widths: each at least its longest word, the room left shared in proportion to what
    each column still wants (rich's own sharing can squeeze a column below its longest word)."""
    wanted = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    if sum(wanted) <= available:
        return wanted
    widths = list(minimum)
    # Short cells ("Article 40(21)(b)", a date, a kind) first get their whole width, narrowest
    # first, so that only long text wraps; what room is left goes to the long columns.
    for i in sorted(range(len(widths)), key=lambda i: wanted[i]):
        if wanted[i] <= 24 and sum(widths) - widths[i] + wanted[i] <= available:
            widths[i] = wanted[i]
    room = available - sum(widths)
    extra = [w - m for w, m in zip(wanted, widths, strict=True)]
    total = sum(extra) or 1
    return [m + room * e // total for m, e in zip(widths, extra, strict=True)]


def print_records(console, headers: list[str], rows: list[list[str]], title: str | None = None) -> None:
    """Each row as a block of ``column  value`` lines, values wrapped between words to the
    terminal's width (a word longer than the line stays whole on a line of its own)."""
    import textwrap

    from rich.text import Text

    key_width = min(max(len(h) for h in headers), 24)
    value_width = max(console.width - key_width - 2, 20)
    if title:
        console.print(Text(title, style="bold"), soft_wrap=True)
    for number, row in enumerate(rows, 1):
        console.print(Text(f"\u2500\u2500 {number} ", style="dim"), soft_wrap=True)
        for header, cell in zip(headers, row, strict=True):
            if not cell:
                continue
            lines = textwrap.wrap(cell, value_width, break_long_words=False, break_on_hyphens=False) or [""]
            key = header.ljust(key_width)
            for index, line in enumerate(lines):
                console.print(Text(f"{key if index == 0 else ' ' * key_width}  {line}"), soft_wrap=True)
