"""Spreadsheet-safe cells for the CSV and TSV downloads of the web pages.

A label such as ``=HYPERLINK("http://x","y")`` is a fine RDF literal and a formula to Excel,
LibreOffice and Google Sheets, which run it when the file is opened (CSV injection). The
canned-query downloads of the pages are made for spreadsheets, so there every cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, as
OWASP's "CSV Injection" advice says; numbers typed as numbers stay numbers. The SPARQL result
formats stay exact: ``/sparql?format=csv`` and ``treatykg query --format csv`` are SPARQL 1.1
CSV for programs, byte for byte what the data says.
"""

from __future__ import annotations

import re

from ..engine.store import QueryResult, Term

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC_TYPES = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "negativeInteger",
        "nonPositiveInteger",
    )
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(term: Term) -> Term:
    """``term`` with a leading ``'`` if a spreadsheet would read its value as a formula.

    >>> safe_cell(Term("literal", '=HYPERLINK("http://x","y")')).value
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell(Term("literal", "-5", XSD + "integer")).value
    '-5'
    >>> safe_cell(Term("literal", "-5")).value
    "'-5"
    """
    value = term.value
    if not value.startswith(FORMULA_STARTS):
        return term
    if term.kind == "literal" and term.datatype in _NUMERIC_TYPES and _NUMBER.fullmatch(value):
        return term
    return term._replace(value="'" + value)


def spreadsheet_safe(result: QueryResult) -> QueryResult:
    """A copy of ``result`` whose cells are all :func:`safe_cell`."""
    rows = [{name: safe_cell(term) for name, term in row.items()} for row in result.rows]
    return QueryResult(result.form, list(result.variables), rows, boolean=result.boolean, ntriples=result.ntriples)


#: What ``?labels=`` accepts on a download (anything else is a 400, as an unknown format is).
LABEL_SWITCH = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


def wants_labels(value: str | None) -> bool:
    """Whether a download asked for ``<column>_label`` columns (``labels=1``); ValueError for a
    value that is no switch. The label cells go through :func:`spreadsheet_safe` like the rest:
    a label is contributed text and may start with ``=``."""
    if value is None:
        return False
    try:
        return LABEL_SWITCH[value.strip().lower()]
    except KeyError:
        raise ValueError(f"labels: expected 1 or 0, got {value[:20]!r}") from None
