"""Check new statements against the shapes, in the context of the shipped graph, and report each
problem at the contributor's file and line (``treatykg check``/``add`` and the web ``/check`` page).

Kept apart from :mod:`treatykg.validation.shacl` (which validates a whole graph) because a check
needs what only this layer knows: how statements were read (:mod:`.reader`, for file, line and
column) and what a contribution may say at all (:mod:`.policy`). The check validates only the
part of the graph the new statements touch, which gives the full validation's verdict (tested
over the conformance suite) in a fraction of its time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model.iri import PREFIXES
from ..model.sources import Kind, iter_sources, load_union
from ..util.rdfconv import rdflib_term
from ..validation.shacl import SEVERITY_ORDER, SH, Problem, Report, load_shapes, shorten, validate_graph

_CONTEXT_QUERIES = {
    # Every article's number and parents, for the unique-number check.
    "article-numbers": """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        CONSTRUCT { ?a a tkg:Article ; tkg:number ?n ; tkg:partOf ?c . ?c tkg:partOf ?t . }
        WHERE { ?a a tkg:Article ; tkg:number ?n ; tkg:partOf ?c . ?c tkg:partOf ?t . }""",
}


@dataclass
class CheckReport:
    """The result of checking new statements: problems located in the contributor's files."""

    report: Report
    locations: dict[str, str]  # focus node (short form) -> "file:line" / "file row 3" / "file claims[0]"
    statements: object  # statements.Statements

    def conforms(self, strict: bool = False) -> bool:
        return self.report.conforms(strict)


def _context_graph(statements, store=None, shapes=None):
    """Ontology + vocabularies + the part of the shipped graph that the shapes read when they
    validate the nodes the new statements mention, so the incremental check gives the full
    check's verdict (tested over the conformance suite and over one node of every kind).

    A shape reads, from a focus node: its own triples and the blank nodes it owns (quotes, date
    attestations); the triples of the nodes one step away (a value's rdf:type for ``sh:class``, a
    source document's date, a cross-reference target's type); its ``tkg:partOf`` ancestors
    (chapter checks, cycles, article numbers per treaty); and, for ``sh:inversePath`` and
    ``sh:targetObjectsOf``, the triples pointing *at* it (a safeguard's parts). So for every IRI
    the statements mention this takes its stored triples, its ancestors and the incoming triples
    of those predicates (read from the shapes, not listed by hand); and for every *existing* node
    the statements describe (whose stored triples reach further than the file), also the triples
    of every node one step away from it in either direction, with their ancestors. Graph-wide
    checks get an index instead: stakeholders sharing a name with a mentioned one, and article
    numbers when an article is described. Read from the embedded store, so no Turtle is re-parsed."""
    import pyoxigraph as ox
    from rdflib import RDF, Graph, URIRef

    from ..engine.store import EmbeddedStore

    store = store or EmbeddedStore.open()
    raw = store.raw
    shapes = shapes if shapes is not None else load_shapes()
    triples: list = []
    # The ontology and the SKOS schemes (shapes need subclass axioms and scheme membership),
    # read graph by graph: a pattern lookup per named graph, not a scan of the whole store.
    for source in iter_sources((Kind.ONTOLOGY, Kind.VOCAB)):
        for quad in raw.quads_for_pattern(None, None, None, ox.NamedNode(source.graph_iri)):
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    part_of = ox.NamedNode(PREFIXES["tkg"] + "partOf")
    incoming = [ox.NamedNode(str(p)) for p in _incoming_predicates(shapes)]
    fetched: dict[str, list] = {}

    def own(iri: str) -> list:
        """The IRI's triples and those of the blank nodes it owns (quote selectors), once."""
        if iri not in fetched:
            found, pending = [], [ox.NamedNode(iri)]
            while pending:
                for quad in raw.quads_for_pattern(pending.pop(), None, None, None):
                    found.append(ox.Triple(quad.subject, quad.predicate, quad.object))
                    if isinstance(quad.object, ox.BlankNode):
                        pending.append(quad.object)
            fetched[iri] = found
            triples.extend(found)
        return fetched[iri]

    def with_ancestors(iri: str) -> list:
        """:func:`own` of the IRI and of its tkg:partOf ancestors (a parent's type decides
        sh:class checks; chapter, cycle and article-number checks walk the chain)."""
        found, pending, seen = [], [iri], set()
        while pending:
            node = pending.pop()
            if node in seen:
                continue
            seen.add(node)
            mine = own(node)
            found += mine if node == iri else []
            pending += [t.object.value for t in mine if t.predicate == part_of and isinstance(t.object, ox.NamedNode)]
        return found

    mentioned = {str(t) for triple in statements.graph for t in triple if isinstance(t, URIRef)}
    # The duplicate-name check needs only the existing stakeholders whose normalised name equals a
    # name in the statements, found here in one pass instead of comparing every pair in SHACL.
    mentioned |= _same_name_stakeholders(statements, raw)
    # Problems are kept only for the statements' subjects (and for IRIs the graph does not
    # describe, which have no stored triples to follow), so only an *existing* node the statements
    # describe needs its stored neighbourhood: the nodes its stored triples point to or come from.
    subjects = {str(s) for s in statements.graph.subjects() if isinstance(s, URIRef)}
    neighbours: set[str] = set()
    for iri in sorted(mentioned):
        if not iri.startswith(("http://", "https://")):
            continue
        stored = with_ancestors(iri)
        node = ox.NamedNode(iri)
        for predicate in incoming:
            for quad in raw.quads_for_pattern(None, predicate, node, None):
                triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
                if iri in subjects and isinstance(quad.subject, ox.NamedNode):
                    neighbours.add(quad.subject.value)
        if iri in subjects:
            neighbours.update(t.object.value for t in stored if isinstance(t.object, ox.NamedNode))
    for iri in sorted(neighbours):
        with_ancestors(iri)
    context = Graph()
    context.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    article = URIRef(PREFIXES["tkg"] + "Article")
    described = [URIRef(s) for s in subjects]
    if any((s, RDF.type, article) in statements.graph or (s, RDF.type, article) in context for s in described):
        for triple in raw.query(_CONTEXT_QUERIES["article-numbers"], use_default_graph_as_union=True):
            context.add(tuple(rdflib_term(term) for term in (triple.subject, triple.predicate, triple.object)))
    # A mentioned stakeholder's existing names count for the duplicate check too.
    for iri in sorted(_same_name_stakeholders(statements, raw, extra=context) - set(fetched)):
        for triple in own(iri):
            context.add(tuple(rdflib_term(term) for term in (triple.subject, triple.predicate, triple.object)))
    return context


def _incoming_predicates(shapes) -> set:
    """Predicates whose triples *pointing at* a focus node the shapes read: those of every
    ``sh:inversePath`` (e.g. a safeguard's parts, ``^tkg:partOf``) and ``sh:targetObjectsOf``."""
    from rdflib import URIRef

    inverse, target = URIRef(SH + "inversePath"), URIRef(SH + "targetObjectsOf")
    found = {o for o in shapes.objects(None, inverse) if isinstance(o, URIRef)}
    found |= {o for o in shapes.objects(None, target) if isinstance(o, URIRef)}
    return found


_NAMES = """PREFIX tkg: <https://w3id.org/treatykg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT DISTINCT ?s WHERE {
      ?s a ?t . VALUES ?t { tkg:Organisation tkg:Person } ?s rdfs:label|skos:altLabel ?name .
      BIND (REPLACE(LCASE(STR(?name)), "[(][^)]*[)]|[^a-z0-9]", "") AS ?key)
    }"""
_KEY = re.compile(r"[a-z0-9]+")


def _normalised(name: str) -> str:
    """The key the duplicate-name shape compares: letters and digits, case-folded."""
    return re.sub(r"[(][^)]*[)]|[^a-z0-9]", "", name.lower())


def _same_name_stakeholders(statements, raw, extra=None) -> set[str]:
    """Existing stakeholders whose normalised name is one of the new ones' (or, with ``extra``,
    one that the statements' subjects already have there). The store normalises
    its names itself (the same case folding and pattern as :func:`_normalised`), so the names of
    a large graph are not all brought into Python (0.36 s at 100x). The keys are letters and
    digits only, so they are written into the VALUES clause as plain literals."""
    from rdflib import RDFS, URIRef
    from rdflib.namespace import SKOS

    subjects = {s for s in statements.graph.subjects() if isinstance(s, URIRef)}
    wanted = {
        _normalised(str(o))
        for s, p, o in statements.graph
        if p in (RDFS.label, SKOS.altLabel) and isinstance(s, URIRef)
    }
    if extra is not None:
        for subject in subjects:
            for predicate in (RDFS.label, SKOS.altLabel):
                wanted |= {_normalised(str(o)) for o in extra.objects(subject, predicate)}
    keys = sorted(key for key in wanted if _KEY.fullmatch(key))
    if not keys:
        return set()
    text = _NAMES + "VALUES ?key { " + " ".join(f'"{key}"' for key in keys) + " }"
    return {row["s"].value for row in raw.query(text, use_default_graph_as_union=True)}


def check_statements(paths: Iterable[Path], full: bool = False, store=None) -> CheckReport:
    """Validate new statements in the context of the shipped graph, changing nothing.

    ``full=False`` (the default) validates the statements with only the context they touch
    (:func:`_context_graph`); ``full=True`` validates them with the whole shipped graph. Both keep
    only the problems whose focus node the statements describe, and give the same verdict (tested
    over the conformance suite)."""
    from .policy import refuse_empty
    from .reader import read_statements

    statements = read_statements([Path(p) for p in paths])
    refuse_empty(statements)  # an empty submission is unreadable input (exit 2), not a conforming one
    return validate_statements(statements, full, store)


def validate_statements(statements, full: bool = False, store=None) -> CheckReport:
    """:func:`check_statements` for statements already read (``statements.Statements``),
    including the contribution policy (what a contribution may say, :mod:`treatykg.statements.policy`)."""
    from rdflib import BNode, URIRef

    from .policy import policy_problems

    shapes = load_shapes()
    data = load_union() if full else _context_graph(statements, store, shapes)
    for triple in statements.graph:
        data.add(triple)
    report = validate_graph(data, shapes)
    # Keep problems about the new statements: their subjects, and blank nodes they own (quotes).
    owners: dict[str, str] = {}
    for subject, _, obj in statements.graph:
        if isinstance(obj, BNode) and isinstance(subject, URIRef):
            owners[shorten(str(obj))] = shorten(str(subject))
    subjects = {shorten(str(s)) for s in statements.graph.subjects() if isinstance(s, URIRef)}
    # A blank node that nothing in the file points to is a statement of its own (``[] a tkg:Claim``,
    # or a JSON-LD @id that is not an IRI): its problems are kept too, or it would pass unchecked.
    pointed_at = {o for o in statements.graph.objects() if isinstance(o, BNode)}
    loose = {
        shorten(str(s)): f"_:{s}" for s in statements.graph.subjects() if isinstance(s, BNode) and s not in pointed_at
    }
    # Also keep problems about IRIs the statements point to that the graph does not describe
    # (e.g. a title source that exists nowhere), unless they only repeat, as nested detail, a
    # problem already reported on the statement that uses them.
    described = {shorten(str(s)) for s in data.subjects() if isinstance(s, URIRef)} - subjects
    pointed = {shorten(str(o)) for o in statements.graph.objects() if isinstance(o, URIRef)} - described
    kept, secondary = [], []
    for problem in report.problems:
        focus = owners.get(problem.focus) or loose.get(problem.focus) or problem.focus
        located = Problem(
            problem.severity, focus, problem.path, problem.value, problem.message, problem.shape, problem.result
        )
        if focus in subjects or problem.focus in loose:
            kept.append(located)
        elif focus in pointed:
            secondary.append(located)
    values = {p.value for p in kept}
    kept += [p for p in secondary if p.focus not in values]
    kept += policy_problems(statements, report.report_graph, store)  # what a contribution may say (policy.py)
    locations = {shorten(iri): where for iri, where in statements.origins.items()}
    return CheckReport(Report(problems=kept, report_graph=report.report_graph), locations, statements)


#: Close matches are computed for at most this many distinct unknown values per report.
MAX_SUGGESTED_VALUES = 50


def suggestions(report: CheckReport, store=None) -> dict[Problem, str]:
    """Close matches for values that name something unknown (a provision, a stakeholder, a
    concept): ``uncc:art_99`` -> ``uncc:art_9``; ``concern:boredom`` -> nearest concern."""
    import difflib

    from ..engine.store import EmbeddedStore

    own = {shorten(str(s)) for s in report.statements.graph.subjects()}
    wanted = [
        p
        for p in report.report.problems
        if p.value and ":" in p.value and not p.value.startswith('"') and p.value != p.focus and p.value not in own
    ]
    if not wanted:
        return {}
    store = store or EmbeddedStore.open()
    known: dict[str, list[str]] = {}
    for row in store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER (isIRI(?s)) }").rows:
        short = shorten(row["s"].value)
        if ":" in short and not short.startswith("<"):
            prefix, local = short.split(":", 1)
            known.setdefault(prefix, []).append(local)
    found: dict[Problem, str] = {}
    hints: dict[str, str | None] = {}
    known_sets = {prefix: set(locals_) for prefix, locals_ in known.items()}
    for problem in wanted:
        prefix, local = problem.value.split(":", 1)
        if local in known_sets.get(prefix, ()):
            continue  # the value exists; the problem is something else
        if problem.value not in hints:
            if len(hints) >= MAX_SUGGESTED_VALUES:
                continue  # each distinct value costs a scan of the graph's names: a file cannot ask for unbounded work
            matches = difflib.get_close_matches(local, known.get(prefix, []), n=3, cutoff=0.6)
            hints[problem.value] = (
                "did you mean " + ", ".join(f"{prefix}:{m}" for m in matches) + "?" if matches else None
            )
        if hints[problem.value]:
            found[problem] = hints[problem.value]
    return found


def format_check(report: CheckReport, fmt: str = "text", strict: bool = False, store=None) -> str:
    """The check report as text (one line per problem, with location and suggestion), JSON, or
    the SHACL validation report in Turtle (only the results about the new statements).

    Every format is safe to print on a terminal: the text shows control and bidi characters from
    the statements as visible escapes; JSON and Turtle carry them as ``\\uXXXX`` escapes (the
    same data; ``json.dumps`` alone leaves DEL, C1 controls and bidi overrides raw)."""
    import json

    from ..util.terminal import escape_document, printable

    hints = suggestions(report, store)
    column = _columns(report)
    problems = sorted(
        report.report.problems,
        key=lambda p: (_natural(report.locations.get(p.focus, "")), SEVERITY_ORDER.get(p.severity, 9), p.path or ""),
    )
    if fmt == "json":
        document = {
            "conforms": report.conforms(strict),
            "violations": len(report.report.violations),
            "warnings": len(report.report.warnings),
            "problems": [
                {
                    "location": report.locations.get(p.focus, ""),
                    "focus": p.focus,
                    "severity": p.severity,
                    "field": p.path,
                    "column": column(p),
                    "value": p.value,
                    "expected": p.message,
                    "shape": p.shape,
                    "suggestion": hints.get(p),
                }
                for p in problems
            ],
        }
        return escape_document(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if fmt == "turtle":
        return escape_document(_report_turtle(report, strict))
    lines = []
    for p in problems:
        where = report.locations.get(p.focus) or p.focus
        field = f" [{column(p) or p.path}]" if p.path else ""
        value = f" (value: {p.value})" if p.value and p.value != p.focus else ""
        hint = f" - {hints[p]}" if p in hints else ""
        lines.append(printable(f"{where}: {p.severity}{field} {p.focus}: {p.message}{value}{hint}"))
    counts = f"{len(report.report.violations)} violation(s), {len(report.report.warnings)} warning(s)"
    verdict = "conform" if report.conforms(strict) else "do NOT conform"
    lines.append(f"The statements {verdict}: {counts}.")
    return "\n".join(lines) + "\n"


def _natural(location: str) -> list:
    """A sort key that puts ``mine.yaml:5`` before ``mine.yaml:14`` (line numbers as numbers)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", location)]


def _columns(report: CheckReport):
    """``problem -> template column`` for problems about statements read from a CSV or YAML
    template (``concern``, not ``tkg:concernCategory``); None for the rest (RDF input)."""
    from .templates import column_name

    records = {shorten(iri): record for iri, record in getattr(report.statements, "records", {}).items()}
    return lambda p: column_name(records.get(p.focus), p.path)


def _report_turtle(report: CheckReport, strict: bool) -> str:
    from rdflib import RDF, BNode, Graph, Literal, URIRef

    source = report.report.report_graph
    out = Graph()
    out.bind("sh", SH)
    root = BNode()
    out.add((root, RDF.type, URIRef(SH + "ValidationReport")))
    out.add((root, URIRef(SH + "conforms"), Literal(report.conforms(strict))))
    for problem in report.report.problems:
        if problem.result is None:
            continue
        out.add((root, URIRef(SH + "result"), problem.result))
        for triple in source.triples((problem.result, None, None)):
            out.add(triple)
    return out.serialize(format="turtle")
