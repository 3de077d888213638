"""OWL quality checks: the OWL 2 DL rules as SPARQL "violation" queries, and two reasoners.

There is no pure-Python OWL API with an OWL 2 DL profile checker, so the typing constraints and
global restrictions of OWL 2 DL that can go wrong in a hand-written Turtle ontology are written as
SPARQL queries in ``ontology/qc/*-violation.rq``, one rule per file, following the Ontology
Development Kit: *a query that returns rows is a failure*. Each file starts with a comment that
names the rule and the section of the OWL 2 Structural Specification or RDF mapping it comes from;
:meth:`QcQuery.title` and :meth:`QcQuery.header` read it back for error messages.

The queries run over the merged ontology (terms, axioms, concept schemes), not over the curated
graph: OWL 2 DL is a property of the ontology. Consistency of the data is the reasoners' job:

* :func:`owlrl_check` computes the OWL 2 RL closure (``owlrl``, pure Python) of ontology, schemes
  and graph and lists every clash it finds (an individual of ``owl:Nothing``, members of disjoint
  classes, ``owl:sameAs`` against ``owl:differentFrom``, two IRIs merged by a functional property,
  and the inconsistency messages owlrl itself records);
* :func:`hermit_check` runs HermiT (via ``owlready2``, needs ``java``) on the ontology and schemes
  and lists unsatisfiable classes, or the inconsistency. HermiT is complete for OWL 2 DL, so it
  also finds class-level contradictions that OWL 2 RL rules cannot see.

>>> [q.name for q in qc_queries()][:2]
['datatype-violation', 'imports-violation']
>>> graph = load_ontology()
>>> [v.query.name for v in check_profile(graph)]
[]
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..model.iri import PREFIXES
from ..model.sources import Kind, data_root, iter_sources, load_union, parse_turtle

#: ``owl:equivalentClass`` / ``owl:equivalentProperty`` axioms the ontology may contain, as
#: (subject, property, object) IRIs. Empty on purpose: no external term we align with means
#: exactly what ours does (docs/decisions.md, "linking and OWL quality"), so every alignment is a
#: sub-class or sub-property axiom, or a SKOS mapping. Adding an equivalence means adding it here,
#: with a decision entry that says why it truly holds.
EQUIVALENCE_ALLOW_LIST: frozenset[tuple[str, str, str]] = frozenset()

_OWL = PREFIXES["owl"]
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"  # owlrl's namespace for inconsistency messages


def qc_dir() -> Path:
    """``ontology/qc/``, where the violation queries live (shipped with the ontology)."""
    return data_root() / "ontology" / "qc"


@dataclass(frozen=True)
class QcQuery:
    """One ``*-violation.rq`` file: a SPARQL SELECT whose every row is a failure."""

    path: Path

    @property
    def name(self) -> str:
        """The file name without ``.rq``: ``property-kind-violation``."""
        return self.path.stem

    @cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def header(self) -> str:
        """The leading comment block (rule and specification section), without the ``#``."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line[1:].strip())
        return "\n".join(lines)

    @property
    def title(self) -> str:
        """The ``# title:`` line, a one-line statement of what a row means."""
        for line in self.header.splitlines():
            if line.startswith("title:"):
                return line.removeprefix("title:").strip()
        return self.name


def qc_queries(directory: Path | None = None) -> list[QcQuery]:
    """Every ``*-violation.rq`` file, sorted by name."""
    return [QcQuery(path) for path in sorted((directory or qc_dir()).glob("*-violation.rq"))]


@dataclass(frozen=True)
class Violation:
    """The rows one QC query returned; ``report()`` is the failure message."""

    query: QcQuery
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def report(self) -> str:
        """schema.org's ``assertNoMatch`` style: the rule, then every offending row, prefixed."""
        lines = [f"{self.query.name}: {len(self.rows)} row(s): {self.query.title}", "  " + " | ".join(self.columns)]
        lines += ["  " + " | ".join(row) for row in self.rows]
        return "\n".join(lines)


def load_ontology():
    """Ontology modules, axioms and SKOS schemes merged into one rdflib Graph (the DL check's input)."""
    return load_union(kinds=(Kind.ONTOLOGY, Kind.VOCAB))


def _short(graph, term) -> str:
    """A readable cell: prefixed name for IRIs, N3 for anything else."""
    from rdflib import URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # pragma: no cover - rdflib refuses some IRIs as prefixed names
            return f"<{term}>"
    return term.n3()


def run_query(graph, query: QcQuery) -> Violation | None:
    """Run one QC query; None when it returns no row (the rule holds)."""
    result = graph.query(query.text)
    columns = tuple(str(v) for v in result.vars)
    rows = tuple(tuple(_short(graph, cell) for cell in row) for row in result)
    return Violation(query, columns, rows) if rows else None


def check_profile(graph, queries: Iterable[QcQuery] | None = None) -> list[Violation]:
    """Run every QC query over ``graph``; the violations found, in query order."""
    found = []
    for query in qc_queries() if queries is None else queries:
        violation = run_query(graph, query)
        if violation is not None:
            found.append(violation)
    return found


def assert_no_match(graph, query: QcQuery) -> None:
    """Raise AssertionError with the offending rows if ``query`` returns any row."""
    violation = run_query(graph, query)
    if violation is not None:
        raise AssertionError(violation.report())


def module_files() -> dict[str, list[str]]:
    """Each ``owl:Ontology`` IRI declared in ``ontology/*.ttl`` and the files that declare it.

    The ontology header imports module IRIs (``.../ontology/debate``); this is how they resolve
    to our own files instead of the web.
    """
    from rdflib import RDF, URIRef

    declared: dict[str, list[str]] = {}
    for source in iter_sources(kinds=(Kind.ONTOLOGY,)):
        graph = parse_turtle(source.path)
        for ontology in graph.subjects(RDF.type, URIRef(_OWL + "Ontology")):
            declared.setdefault(str(ontology), []).append(source.relative)
    return declared


def unresolved_imports() -> list[str]:
    """Problems with ``owl:imports``: a target that no local file declares, or more than one does."""
    from rdflib import URIRef

    files = module_files()
    graph = load_union(kinds=(Kind.ONTOLOGY,))
    problems = []
    for ontology, target in sorted(graph.subject_objects(URIRef(_OWL + "imports"))):
        where = files.get(str(target), [])
        if len(where) != 1:
            problems.append(f"{ontology} imports {target}, declared in {len(where)} local file(s): {where}")
    return problems


def imports_closure(root: str) -> list[str]:
    """The ontology IRIs reachable from ``root`` by ``owl:imports`` (``root`` first)."""
    from rdflib import URIRef

    graph = load_union(kinds=(Kind.ONTOLOGY,))
    seen = [root]
    for ontology in seen:
        for target in graph.objects(URIRef(ontology), URIRef(_OWL + "imports")):
            if str(target) not in seen:
                seen.append(str(target))
    return seen


@dataclass
class ReasonerReport:
    """What a reasoner run found, and how long it took (seconds, wall clock)."""

    reasoner: str
    seconds: float
    triples: int
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        head = f"{self.reasoner}: {len(self.problems)} problem(s) in {self.seconds:.1f} s over {self.triples} triples"
        return "\n".join([head, *("  " + p for p in self.problems)])


# Clashes read from the OWL 2 RL closure. owlrl already adds an error message for most of them
# (rules cax-dw, cax-adc, cls-nothing2, eq-diff1..3), but asking for them directly keeps the check
# independent of owlrl's wording and catches merged IRIs, which OWL 2 RL does not call an error.
_CLOSURE_CLASHES: dict[str, str] = {
    "member of owl:Nothing": f"""
        SELECT ?x WHERE {{ ?x a <{_OWL}Nothing> . FILTER (?x != <{_OWL}Nothing>) }}""",
    "member of two disjoint classes": f"""
        SELECT ?x ?c ?d WHERE {{
          {{ ?c <{_OWL}disjointWith> ?d }}
          UNION
          {{ ?all a <{_OWL}AllDisjointClasses> ; <{_OWL}members> ?list .
            ?list <{PREFIXES["rdf"]}rest>*/<{PREFIXES["rdf"]}first> ?c .
            ?list <{PREFIXES["rdf"]}rest>*/<{PREFIXES["rdf"]}first> ?d . FILTER (?c != ?d) }}
          ?x a ?c , ?d .
        }}""",
    "owl:sameAs and owl:differentFrom": f"""
        SELECT ?x ?y WHERE {{ ?x <{_OWL}sameAs> ?y ; <{_OWL}differentFrom> ?y . }}""",
    "two IRIs inferred to be the same individual (a functional property with two values?)": f"""
        SELECT ?x ?y WHERE {{ ?x <{_OWL}sameAs> ?y . FILTER (isIRI(?x) && isIRI(?y) && STR(?x) < STR(?y)) }}""",
    "owlrl inconsistency message": f"""
        SELECT ?message WHERE {{ ?node a <{_ERR}ErrorMessage> ; <{_ERR}error> ?message . }}""",
}


def owlrl_check(graph) -> ReasonerReport:
    """OWL 2 RL closure of a copy of ``graph`` (left untouched), then every clash in it.

    owlrl records an inconsistency as a node ``[] a err:ErrorMessage ; err:error "..."`` in the
    agent-ont namespace (``owlrl.Namespaces.ERRNS``), added after the closure; the
    ``_CLOSURE_CLASHES`` queries read those and the clashes themselves.
    """
    import owlrl
    from rdflib import Graph

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    seconds = time.perf_counter() - started
    problems = []
    for what, query in _CLOSURE_CLASHES.items():
        for row in closure.query(query):
            problems.append(f"{what}: " + ", ".join(str(cell) for cell in row))
    return ReasonerReport("owlrl (OWL 2 RL)", seconds, len(graph), sorted(set(problems)))


class ReasonerUnavailableError(RuntimeError):
    """HermiT cannot run here (no ``java`` binary, or owlready2 missing)."""


def hermit_check(graph, java: str | None = None) -> ReasonerReport:
    """Classify ``graph`` with HermiT (owlready2) and report inconsistency and unsatisfiable classes.

    The graph is written as N-Triples to a temporary file, because owlready2 reads files, not
    rdflib graphs. ``owl:imports`` triples are dropped: the graph already holds every module, and
    owlready2 would otherwise try to download the module IRIs. Each call uses its own owlready2
    ``World``, so runs do not leak into each other.
    """
    from rdflib import Graph, URIRef

    java = java or shutil.which("java")
    if java is None:
        raise ReasonerUnavailableError("HermiT needs a java binary on PATH")
    try:
        import owlready2
    except ImportError as exc:  # pragma: no cover - owlready2 is a test dependency
        raise ReasonerUnavailableError("owlready2 is not installed") from exc

    tbox = Graph()
    imports = URIRef(_OWL + "imports")
    for triple in graph:
        if triple[1] != imports:
            tbox.add(triple)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="treatykg-hermit-") as tmp:
        path = Path(tmp) / "ontology.nt"
        tbox.serialize(path.as_posix(), format="nt", encoding="utf-8")
        owlready2.JAVA_EXE = java
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        started = time.perf_counter()
        try:
            with ontology:
                owlready2.sync_reasoner_hermit([ontology], infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            problems.append("the ontology is inconsistent")
        except owlready2.OwlReadyJavaError as exc:
            problems.append("HermiT refused the ontology: " + " ".join(str(exc).split())[:600])
        seconds = time.perf_counter() - started
        if not problems:
            nothing = _OWL + "Nothing"
            problems += [
                f"unsatisfiable class: {cls.iri}" for cls in world.inconsistent_classes() if cls.iri != nothing
            ]
        world.close()
    return ReasonerReport("HermiT (owlready2)", seconds, len(tbox), sorted(problems))


def with_snippet(graph, turtle: str):
    """A copy of ``graph`` plus a Turtle snippet written with the project's prefixes (for tests)."""
    from rdflib import Graph

    copy = Graph()
    for triple in graph:
        copy.add(triple)
    header = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())
    copy.parse(data=header + turtle, format="turtle")
    return copy


def violations_for(graph, names: Sequence[str]) -> list[Violation]:
    """Run only the QC queries with these names (``property-kind-violation``...)."""
    wanted = set(names)
    return check_profile(graph, [q for q in qc_queries() if q.name in wanted])
