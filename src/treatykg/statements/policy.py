"""What a contribution may say: new debate entities and links from them, nothing about curated ones.

SHACL shapes say whether statements are *well formed*; they cannot say whether a contributor may
make them. A conforming three-line file ``uncc:art_24__para_1 tkg:appliesTo uncc:art_41`` would
otherwise rewrite the curated treaty (and empty the headline ``unsafeguarded-powers`` query), and
``owl:sameAs`` or ``owl:Nothing`` would change what every reasoner concludes. So every triple of a
submission is decided here, one by one, before anything is stored:

- **Subjects** are new IRIs in the contribution namespaces (``claim:``, ``doc:``, ``stk:`` (org/),
  ``person:``, ``event:``) with a slug local name, or blank nodes such an IRI owns (quote
  selectors, date attestations). A subject the curated graph, the ontology or a vocabulary already
  describes is refused, and so is one an *earlier* submission describes: a submission may only
  describe what it creates itself, so it can be withdrawn with ``treatykg remove`` without
  leaving half an entity behind (to change a contributed entity, remove the submission and add a
  corrected one).
- **Types** are the classes a contribution may create (:data:`CREATABLE_CLASSES`), and
  ``oa:TextQuoteSelector`` or ``tkg:InferredLink`` on a blank node.
- **Predicates** are the debate module's properties (read from the ontology, so a new property
  there is allowed without a code change) and the label, description and provenance properties the
  templates and the curated debate data use (:data:`STANDARD_PREDICATES`); properties the tool
  derives or writes itself (``tkg:criticises``, ``tkg:stanceOnConvention``, ``tkg:contentHash``)
  and everything in the OWL, RDFS, RDF and SHACL namespaces that makes an axiom are refused.
- **Objects** may point at curated nodes (that is the point of a claim), but never at an OWL,
  RDFS, RDF, SHACL or XSD term, an ontology term or a shape (``owl:Nothing``, ``tkg:Provision``).

Each refused triple becomes one violation naming it in short form (``uncc:art_24__para_1
tkg:appliesTo uncc:art_41``), reported by ``check`` and ``add`` alike, so ``check`` gives the verdict
``add`` acts on. An empty submission is refused as unreadable input (:func:`refuse_empty`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.iri import BASE, GRAPH_BASE, PREFIXES
from ..model.sources import SourceError

_TKG, _RDF, _RDFS, _OWL = PREFIXES["tkg"], PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"]

#: The namespaces (prefixes of :data:`treatykg.model.iri.OWN`) whose IRIs a contribution may create.
CONTRIB_PREFIXES: tuple[str, ...] = ("claim", "doc", "stk", "person", "event")
CONTRIB_NAMESPACES: tuple[str, ...] = tuple(PREFIXES[p] for p in CONTRIB_PREFIXES)
#: A new entity's local name: one path segment (``doc:a/b``, ``event:`` alone or ``claim:x?y`` are
#: not entities of the namespace). The slug's exact form (lowercase, hyphens) is the shapes' to
#: report (``ClaimShape``, ``StakeholderShape``), with their own message.
_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")

#: Classes a contribution may instantiate on a new IRI.
CREATABLE_CLASSES: frozenset[str] = frozenset(
    _TKG + name for name in ("Claim", "Demand", "StatementDocument", "Organisation", "Person", "Event")
)
#: Classes a contribution may give a blank node it owns.
#: Quote selectors, locator selectors (where a claim is made in a document we do not quote), and
#: the qualification of a claim's inferred link to a provision (confidence
#: and reason, decision 57): a contributor may say that they linked a passage themselves.
BLANK_NODE_CLASSES: frozenset[str] = frozenset(
    {PREFIXES["oa"] + "TextQuoteSelector", _TKG + "LocatorSelector", _TKG + "InferredLink"}
)

#: Properties a contribution may use besides the debate module's own: labels, descriptions,
#: provenance and the quote selector's text, as the templates and the curated debate data use them.
STANDARD_PREDICATES: frozenset[str] = frozenset(
    PREFIXES[prefix] + local
    for prefix, local in (
        ("rdf", "type"),
        ("rdf", "value"),  # a selector's value (Web Annotation), e.g. a locator's heading
        ("rdfs", "label"),
        ("rdfs", "comment"),
        ("skos", "altLabel"),
        ("skos", "note"),
        ("dct", "title"),
        ("dct", "alternative"),
        ("dct", "description"),
        ("dct", "issued"),
        ("dct", "date"),
        ("dct", "source"),
        ("foaf", "page"),
        ("prov", "wasDerivedFrom"),
        ("prov", "wasAttributedTo"),
        ("prov", "wasAssociatedWith"),
        ("prov", "actedOnBehalfOf"),
        ("org", "hasMember"),
        ("oa", "exact"),
        ("oa", "prefix"),
        ("oa", "suffix"),
        ("tkg", "documentSymbol"),
    )
)
#: Debate-module properties only the tool writes: derived by rules, or the submission's own hash.
TOOL_ONLY_PREDICATES: frozenset[str] = frozenset(
    _TKG + name for name in ("criticises", "stanceOnConvention", "contentHash")
)
#: Namespaces whose terms make axioms or name the vocabulary itself; never a contribution's
#: predicate (except rdf:type and the labels above) nor an object.
AXIOM_NAMESPACES: tuple[str, ...] = (_OWL, _RDFS, _RDF, PREFIXES["sh"], PREFIXES["xsd"])
#: Our own terms that are never a contribution's object except as a type: ontology terms, shapes.
TERM_NAMESPACES: tuple[str, ...] = (*AXIOM_NAMESPACES, _TKG, PREFIXES["tkgsh"], GRAPH_BASE)

DEBATE_MODULE = BASE + "ontology/debate"
CONTRIB_GRAPH = GRAPH_BASE + "contrib/"

#: The rule behind each refusal, reported as the problem's shape (``tkgsh:ContributionPolicy-subject``).
RULE_BASE = PREFIXES["tkgsh"] + "ContributionPolicy-"

# A fixed query (no user input in it): the properties the debate module declares.
_DEBATE_PROPERTIES = f"""PREFIX owl: <{_OWL}> PREFIX rdfs: <{_RDFS}>
    SELECT DISTINCT ?p WHERE {{
      ?p rdfs:isDefinedBy <{DEBATE_MODULE}> ; a ?kind .
      VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty }}
    }}"""


@dataclass(frozen=True)
class Refusal:
    """One triple a contribution may not state, and why (``rule`` names the part of the policy)."""

    subject: object  # rdflib term
    predicate: object
    obj: object
    rule: str  # "subject" | "blank-node" | "predicate" | "type" | "object"
    reason: str


def refuse_empty(statements) -> None:
    """An empty submission (an empty file, a JSON-LD document whose every node the parser drops)
    says nothing; storing it would add provenance about nothing. Refused as unreadable input
    (exit 2), naming the files."""
    if len(statements.graph) == 0:
        names = ", ".join(str(p) for p in statements.files) or "(no files)"
        raise SourceError(names, "no statements found (the file is empty, or every node in it was dropped)")


def allowed_predicates(raw) -> frozenset[str]:
    """The properties a contribution may use: the debate module's (read from the ontology in the
    store, so a property added there is allowed without a code change) minus the tool-only ones,
    plus :data:`STANDARD_PREDICATES`."""
    rows = raw.query(_DEBATE_PROPERTIES, use_default_graph_as_union=True)
    debate = {row["p"].value for row in rows}
    return frozenset((debate - TOOL_ONLY_PREDICATES) | STANDARD_PREDICATES)


def _existing_descriptions(raw, iris: Iterable[str]) -> dict[str, str]:
    """For each IRI a stored file already describes (as a subject): ``"curated"`` when a shipped
    file does (ontology, vocabularies, curated graph), else ``"contrib:<submission id>"``. Read from
    the named graph of each quad, so a submission is told apart from the curated files without
    re-parsing anything; the derived graph (rule output, tkgraph:derived) is neither."""
    import pyoxigraph as ox

    from ..model.sources import Kind, iter_sources

    curated = {
        source.graph_iri
        for source in iter_sources((Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH))
        if not source.relative.startswith("contrib/")
    }
    found: dict[str, str] = {}
    for iri in iris:
        for quad in raw.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            if graph in curated:
                found[iri] = "curated"
                break
            if graph.startswith(CONTRIB_GRAPH):
                found.setdefault(iri, "contrib:" + graph[len(CONTRIB_GRAPH) :])
    return found


def _owned_blank_nodes(graph, node) -> set:
    """The blank nodes ``node`` owns: objects of its triples, and theirs, transitively."""
    from rdflib import BNode

    owned: set = set()
    frontier = [node]
    while frontier:
        for obj in graph.objects(frontier.pop(), None):
            if isinstance(obj, BNode) and obj not in owned:
                owned.add(obj)
                frontier.append(obj)
    return owned


def _is_new_entity_iri(iri: str) -> bool:
    for namespace in CONTRIB_NAMESPACES:
        if iri.startswith(namespace):
            return bool(_LOCAL.fullmatch(iri[len(namespace) :]))
    return False


def refusals(graph, raw) -> list[Refusal]:
    """Every triple of ``graph`` (a submission) the policy refuses, in a stable order. ``raw`` is
    the pyoxigraph store of the shipped dataset with the stored contributions (the build cache)."""
    from rdflib import RDF, BNode, URIRef

    from ..validation.shacl import shorten

    predicates = allowed_predicates(raw)
    iri_subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    existing = _existing_descriptions(raw, sorted(iri_subjects))
    subject_problem: dict[str, str] = {}
    for iri in iri_subjects:
        if existing.get(iri) == "curated":
            subject_problem[iri] = (
                "the subject is curated (a shipped graph, the ontology or a vocabulary describes it); a contribution "
                "may only describe new claims, documents, stakeholders and events, and link to curated ones"
            )
        elif iri in existing:
            submission = existing[iri].removeprefix("contrib:")
            subject_problem[iri] = (
                f"the subject was created by submission {submission!r}; a submission may only "
                "describe what it creates (remove that submission and add a corrected one to change it)"
            )
        elif not _is_new_entity_iri(iri):
            subject_problem[iri] = (
                "the subject is not a new entity IRI: contributions create IRIs under "
                + ", ".join(f"{p}:" for p in CONTRIB_PREFIXES)
                + " whose local name is one path segment"
            )
        elif not any(str(t) in CREATABLE_CLASSES for t in graph.objects(URIRef(iri), RDF.type)):
            subject_problem[iri] = "the subject does not say what new entity it is: give it rdf:type " + " or ".join(
                sorted(shorten(c) for c in CREATABLE_CLASSES)
            )
    # Blank nodes are allowed only where a permitted new entity owns them (directly or nested).
    owned: set = set()
    for iri in iri_subjects - subject_problem.keys():
        owned |= _owned_blank_nodes(graph, URIRef(iri))

    found: list[Refusal] = []
    # A refused subject is one refusal naming its first triple and counting the rest (with those of
    # the blank nodes it owns): the reader learns which entity may not be described, not the same
    # sentence once per property.
    refused_owned: set = set()
    for iri, reason in subject_problem.items():
        node = URIRef(iri)
        triples = sorted(graph.triples((node, None, None)), key=lambda t: (str(t[1]), str(t[2])))
        nested = _owned_blank_nodes(graph, node) - owned
        refused_owned |= nested
        more = len(triples) - 1 + sum(1 for b in nested for _ in graph.triples((b, None, None)))
        suffix = f" (and {more} more triple(s) about it)" if more > 0 else ""
        found.append(Refusal(*triples[0], "subject", reason + suffix))
    for s, p, o in graph:
        predicate = str(p)
        if (isinstance(s, URIRef) and str(s) in subject_problem) or s in refused_owned:
            continue
        if isinstance(s, BNode) and s not in owned:
            reason = "a blank node that no permitted new entity of this submission owns"
            found.append(Refusal(s, p, o, "blank-node", reason))
            continue
        if predicate in TOOL_ONLY_PREDICATES:
            found.append(
                Refusal(s, p, o, "predicate", f"{shorten(predicate)} is written or derived by treatykg, never stated")
            )
            continue
        if predicate not in predicates:
            reason = (
                "is an OWL, RDFS, RDF or SHACL term: contributions state facts, never axioms"
                if predicate.startswith(AXIOM_NAMESPACES)
                else "is not a property a contribution may use (the debate module's properties, labels, "
                "descriptions and provenance)"
            )
            found.append(Refusal(s, p, o, "predicate", f"{shorten(predicate)} {reason}"))
            continue
        if predicate == _RDF + "type":
            allowed = BLANK_NODE_CLASSES if isinstance(s, BNode) else CREATABLE_CLASSES
            if str(o) not in allowed:
                names = ", ".join(sorted(shorten(c) for c in allowed))
                found.append(Refusal(s, p, o, "type", f"a contribution may only create {names}"))
            continue
        if isinstance(o, URIRef) and str(o).startswith(TERM_NAMESPACES):
            found.append(
                Refusal(s, p, o, "object", f"{shorten(str(o))} is an ontology, RDFS, OWL or SHACL term, not data")
            )
    return sorted(found, key=lambda r: (str(r.subject), str(r.predicate), str(r.obj)))


def short_triple(refusal: Refusal) -> str:
    """The refused triple as a reader writes it: ``uncc:art_24__para_1 tkg:appliesTo uncc:art_41``."""
    return " ".join(_short_term(term) for term in (refusal.subject, refusal.predicate, refusal.obj))


def _short_term(term) -> str:
    from rdflib import BNode, Literal

    from ..validation.shacl import shorten

    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Literal):
        text = str(term)
        text = text if len(text) <= 40 else text[:37] + "..."
        suffix = f"@{term.language}" if term.language else f"^^{shorten(str(term.datatype))}" if term.datatype else ""
        return '"' + text.replace("\n", " ").replace('"', '\\"') + '"' + suffix
    return shorten(str(term))


def policy_problems(statements, report_graph=None, store=None) -> list:
    """The policy's refusals as validation problems (severity Violation): one per refused triple,
    or one per refused subject (naming its first triple), focused on the subject (a blank node's
    owner, where it has one) so the report locates it in the contributor's file. When
    ``report_graph`` (the SHACL report) is given, each problem is also added to it as an
    ``sh:ValidationResult``, so ``check --format turtle`` lists it too."""
    from rdflib import RDF, BNode, Literal, URIRef

    from ..engine.store import EmbeddedStore
    from ..validation.shacl import Problem, shorten

    graph = statements.graph
    store = store or EmbeddedStore.open()
    owners: dict = {}
    for subject, _, obj in graph:
        if isinstance(obj, BNode) and obj != subject:
            owners.setdefault(obj, subject)
    problems = []
    sh = PREFIXES["sh"]
    for refusal in refusals(graph, store.raw):
        focus_node, seen = refusal.subject, set()
        while isinstance(focus_node, BNode) and focus_node in owners and focus_node not in seen:
            seen.add(focus_node)  # blank nodes may own each other in a cycle
            focus_node = owners[focus_node]
        focus = shorten(str(focus_node)) if not isinstance(focus_node, BNode) else "[]"
        if focus == "[]":  # a blank node nothing owns has no line of its own: locate it by file
            statements.origins.setdefault("[]", ", ".join(str(p) for p in statements.files))
        message = f"refused: {short_triple(refusal)}: {refusal.reason}"
        shape_iri = RULE_BASE + refusal.rule
        result = None
        if report_graph is not None:
            result = BNode()
            report_graph.add((result, RDF.type, URIRef(sh + "ValidationResult")))
            report_graph.add((result, URIRef(sh + "resultSeverity"), URIRef(sh + "Violation")))
            report_graph.add((result, URIRef(sh + "focusNode"), focus_node))
            report_graph.add((result, URIRef(sh + "resultPath"), refusal.predicate))
            report_graph.add((result, URIRef(sh + "value"), refusal.obj))
            report_graph.add((result, URIRef(sh + "sourceShape"), URIRef(shape_iri)))
            report_graph.add((result, URIRef(sh + "resultMessage"), Literal(message)))
        value = _short_term(refusal.obj)
        problems.append(
            Problem("Violation", focus, shorten(str(refusal.predicate)), value, message, shorten(shape_iri), result)
        )
    return problems
