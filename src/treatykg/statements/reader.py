"""Read new statements a contributor brings, and remember where each node came from.

Inputs: Turtle, TriG, JSON-LD (RDF as is) and the spreadsheet-friendly templates in CSV and YAML
(one row/record per claim, document or stakeholder; see ``treatykg template``). Every node gets an
*origin* (file and line; for a template, the line its record starts on), so a validation problem
can be reported where the contributor can fix it, naming the template column
(:func:`treatykg.statements.templates.column_name`).
Files over :data:`MAX_STATEMENT_BYTES` are refused before they are read. A CSV template may be
comma-, semicolon- or tab-separated (:func:`~treatykg.statements.templates.csv_delimiter`), as
spreadsheets save it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.sources import SourceError

#: New statements are small; anything larger is refused with a clear error instead of being parsed.
MAX_STATEMENT_BYTES = 5 * 1024 * 1024

RDF_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
    ".nq": "nquads",
}
TEMPLATE_FORMATS = (".csv", ".yaml", ".yml")


@dataclass
class Statements:
    """New statements as one rdflib Graph, with the origin of each subject."""

    graph: object  # rdflib.Graph
    origins: dict[str, str] = field(default_factory=dict)  # subject IRI -> "file:line"
    files: list[Path] = field(default_factory=list)
    #: subject IRI -> the template record it was written from (claim, document, stakeholder), so a
    #: problem with ``tkg:concernCategory`` can name the column the user filled in (``concern``).
    records: dict[str, str] = field(default_factory=dict)

    def origin(self, node: str, default: str = "") -> str:
        return self.origins.get(node, default)


def read_statements(paths: list[Path]) -> Statements:
    """Read every file into one graph. Raises SourceError (exit 2) for unreadable input, and for
    nothing else: whatever a contributor's file makes a parser do, the caller gets one line naming
    the file (the web ``/check`` page and ``add`` rely on this)."""
    from rdflib import Graph

    statements = Statements(graph=Graph(), files=[Path(p) for p in paths])
    for path in statements.files:
        try:
            _read_one(path, statements)
        except SourceError:
            raise
        except RecursionError:
            raise SourceError(path, "cannot be read: it nests too deeply") from None
        except MemoryError:
            # Not bad input but a resource limit (a sandboxed /check child, a small machine):
            # callers answer it as such (503 on the web), never as "your file is broken" (400).
            raise
        except Exception as exc:  # a parser failing in a way nobody foresaw is still bad input
            raise SourceError(path, f"cannot be read ({type(exc).__name__})") from None
    return statements


def _read_one(path: Path, statements: Statements) -> None:
    from ..model.inputs import check_terms

    suffix = path.suffix.lower()
    if suffix not in RDF_FORMATS and suffix not in TEMPLATE_FORMATS:
        known = ", ".join([*RDF_FORMATS, *TEMPLATE_FORMATS])
        raise SourceError(path, f"unknown file type {suffix or '(none)'!r}; expected one of {known}")
    text = _read_text(path, template=suffix in TEMPLATE_FORMATS)
    if suffix in RDF_FORMATS:
        graph = _read_rdf(path, text, RDF_FORMATS[suffix], statements)
    else:
        from .templates import read_template

        scratch = read_template(path, text, is_csv=suffix == ".csv")
        graph = scratch.graph
        for node, where in scratch.origins.items():
            statements.origins.setdefault(node, where)
        for node, record in scratch.records.items():
            statements.records.setdefault(node, record)
    if not len(graph):
        # Nothing to check would read as "conforms": an empty file, a template without rows, or
        # JSON-LD whose nodes the processor drops (an @id that is not an IRI, terms without a context).
        raise SourceError(path, "contains no statements (no triples could be read from it)")
    check_terms(path, graph, text)
    for triple in graph:
        statements.graph.add(triple)


def _read_text(path: Path, template: bool) -> str:
    from ..model.inputs import read_text

    return read_text(path, MAX_STATEMENT_BYTES, template=template)


def _read_rdf(path: Path, text: str, fmt: str, statements: Statements):
    """Parse one RDF file (nothing fetched, see :mod:`treatykg.model.inputs`) and record where each
    subject is first named, for locating problems."""
    from rdflib import BNode, URIRef

    from ..model.inputs import parse_rdf

    graph = parse_rdf(path, text, fmt, base=path.resolve().as_uri())
    for prefix, namespace in graph.namespaces():
        statements.graph.bind(prefix, namespace, override=False)
    index = _first_lines(text)
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef) and str(subject) not in statements.origins:
            line = _find_line(index, str(subject), graph)
            statements.origins[str(subject)] = f"{path}:{line}" if line else str(path)
        elif isinstance(subject, BNode):
            statements.origins.setdefault(f"_:{subject}", str(path))  # a blank node statement of its own
    return graph


#: What can name a subject on a line: ``<iri>``, a JSON string ``"iri"``, a prefixed name.
_NAME = re.compile(r'<[^<>\s"]*>|"[^"\s]*"|[A-Za-z][\w-]*:[\w%-]*(?:\.[\w%-]+)*')


def _first_lines(text: str) -> dict[str, int]:
    """Every IRI-like token of the file with the first line it occurs on, in one pass (looking
    each subject up in every line was quadratic: a 670 KB file took two minutes)."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for token in _NAME.findall(line):
            found.setdefault(token, number)
    return found


def _find_line(index: dict[str, int], iri: str, graph) -> int | None:
    """The first line where the subject appears, as <iri>, a prefixed name, or a JSON-LD @id."""
    forms = [f"<{iri}>", f'"{iri}"']
    for prefix, namespace in graph.namespaces():
        if prefix and iri.startswith(str(namespace)):
            forms.append(f"{prefix}:{iri[len(str(namespace)) :]}")
    lines = [index[form] for form in forms if form in index]
    return min(lines) if lines else None
