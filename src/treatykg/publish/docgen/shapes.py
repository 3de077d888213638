"""Reading the shapes: the SHACL graph as the shapes page and the other pages need it.

Owns :class:`Shapes`: an anchor for every shape a reader can link to (anonymous property shapes
named as ``treatykg check`` names them, ``PreambleShape-partOf``), which shapes target, constrain
or query each term (the "Used by shapes" rows of the index), which concept scheme a property's
values must come from, and a shape's path, constraints, SPARQL checks, severity and message as
page values. How the shapes are grouped and laid out is the shapes page's business
(:mod:`.page_shapes`).

May import: rdflib, :mod:`.graphs`, :mod:`.links`, :mod:`.model`, :mod:`treatykg.model.iri`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ...model.iri import PREFIXES, TKG
from .graphs import (
    NS_RDF,
    NS_SH,
    NS_SKOS,
    Sources,
    curie_of,
    dedent_query,
    local_name,
    node_key,
    rdf_list,
    slug,
    texts_of,
    unique_anchor,
    uri,
)
from .links import Links
from .model import Constraint, Inline, SparqlCheck, Val, flatten

# SHACL: what a node shape targets, and the constraint parameters in the order they are listed.
# SHACL: what a node shape targets, and the constraint parameters in the order they are listed.
TARGETS: tuple[tuple[str, str], ...] = (
    (NS_SH + "targetClass", "instances of"),
    (NS_SH + "targetNode", "the node"),
    (NS_SH + "targetSubjectsOf", "subjects of"),
    (NS_SH + "targetObjectsOf", "objects of"),
)
CONSTRAINTS: tuple[tuple[str, str], ...] = (
    ("minCount", "at least"),
    ("maxCount", "at most"),
    ("qualifiedMinCount", "at least (qualified)"),
    ("qualifiedMaxCount", "at most (qualified)"),
    ("qualifiedValueShape", "qualified values"),
    ("nodeKind", "node kind"),
    ("datatype", "datatype"),
    ("class", "instance of"),
    ("node", "conforms to"),
    ("hasValue", "has value"),
    ("in", "one of"),
    ("languageIn", "language in"),
    ("uniqueLang", "unique language"),
    ("pattern", "matches"),
    ("flags", "pattern flags"),
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minInclusive", "min (inclusive)"),
    ("maxInclusive", "max (inclusive)"),
    ("minExclusive", "min (exclusive)"),
    ("maxExclusive", "max (exclusive)"),
    ("equals", "equals"),
    ("disjoint", "disjoint with"),
    ("lessThan", "less than"),
    ("lessThanOrEquals", "less than or equal to"),
    ("closed", "closed"),
    ("ignoredProperties", "ignored properties"),
    ("or", "any of"),
    ("and", "all of"),
    ("xone", "exactly one of"),
    ("not", "not"),
)
CONSTRAINT_LABELS = dict(CONSTRAINTS)
# SHACL predicates that are not constraints, or that are shown elsewhere on the page.
SH_NOT_CONSTRAINTS = {
    "path",
    "message",
    "severity",
    "name",
    "description",
    "order",
    "group",
    "property",
    "sparql",
    "target",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "deactivated",
    "prefixes",
    "declare",
    "select",
    "ask",
    "defaultValue",
}
SH_LISTS = {"in", "languageIn", "ignoredProperties", "or", "and", "xone"}
SPARQL_TERM = re.compile(r"\btkg:([A-Za-z_][A-Za-z0-9_]*)")
SPARQL_TYPE = re.compile(r"\ba(?:/rdfs:subClassOf\*)?\s+tkg:([A-Za-z_][A-Za-z0-9_]*)")


class Shapes:
    """The shapes graph read once: every linkable shape's anchor, and which shapes use each term.

    Attributes the pages read: ``node_shapes`` (sorted), ``shape_anchor`` (shape -> anchor on
    ``shapes.html``, anonymous shapes included), ``property_owner`` (the node shape a shared
    property shape is described under), ``used_shape_anchors``, ``usage`` (term IRI -> the shapes
    that target, constrain or query it), ``property_schemes`` / ``scheme_properties`` (which
    scheme a property's values come from) and ``scheme_shapes`` (the shapes checking a scheme).
    """

    def __init__(self, sources: Sources, links: Links, terms: dict) -> None:
        self.sg = sources.shapes
        self.links = links
        self.terms = terms
        self._read_anchors()
        self._read_usage()

    def _read_anchors(self) -> None:
        """Anchors for every shape a reader can link to. An anonymous property shape is named after
        its node shape and path (``PreambleShape-partOf``), the name ``treatykg check`` prints."""
        from rdflib import RDF, BNode, URIRef

        sg = self.sg
        top = {s for s in sg.subjects(RDF.type, uri(NS_SH + "NodeShape")) if isinstance(s, URIRef)}
        for predicate, _ in TARGETS:
            top |= {s for s in sg.subjects(uri(predicate), None) if isinstance(s, URIRef)}
        top |= {s for s in sg.subjects(uri(NS_SH + "target"), None) if isinstance(s, URIRef)}
        self.node_shapes = sorted(top, key=str)
        used: set[str] = set()
        self.shape_anchor: dict[Any, str] = {}

        def named_anchor(iri: str) -> str:
            if iri.startswith(PREFIXES["tkgsh"]):
                return slug(iri[len(PREFIXES["tkgsh"]) :])
            curie = curie_of(iri)
            return "shape-" + slug(curie.replace(":", "-") if curie != iri else local_name(iri))

        named = set(self.node_shapes)
        named |= {s for s in sg.subjects(RDF.type, uri(NS_SH + "PropertyShape")) if isinstance(s, URIRef)}
        named |= {o for o in sg.objects(None, uri(NS_SH + "property")) if isinstance(o, URIRef)}
        named |= {o for o in sg.objects(None, uri(NS_SH + "sparql")) if isinstance(o, URIRef)}
        named |= {s for s in sg.subjects(RDF.type, uri(NS_SH + "SPARQLConstraint")) if isinstance(s, URIRef)}
        for shape in sorted(named, key=str):
            self.shape_anchor[shape] = unique_anchor(named_anchor(str(shape)), used)
            self.links.anchors[str(shape)] = "shapes.html#" + self.shape_anchor[shape]
        # Anonymous property shapes and SPARQL constraints, under the first node shape holding them.
        self.property_owner: dict[Any, Any] = {}
        for shape in self.node_shapes:
            blanks = [p for p in sg.objects(shape, uri(NS_SH + "property")) if isinstance(p, BNode)]
            for blank in sorted(blanks, key=lambda b: self.shape_key(b)):
                if blank in self.shape_anchor:
                    continue
                path = sg.value(blank, uri(NS_SH + "path"))
                local = local_name(str(path)) if isinstance(path, URIRef) else "path"
                self.shape_anchor[blank] = unique_anchor(f"{self.shape_anchor[shape]}-{slug(local)}", used)
                self.property_owner[blank] = shape
            for owner in [shape, *sorted(sg.objects(shape, uri(NS_SH + "property")), key=self.shape_key)]:
                blanks = [c for c in sg.objects(owner, uri(NS_SH + "sparql")) if isinstance(c, BNode)]
                for blank in sorted(blanks, key=self.shape_key):
                    if blank not in self.shape_anchor:
                        self.shape_anchor[blank] = unique_anchor(f"{self.shape_anchor[owner]}-sparql", used)
        for prop, shapes in self.property_holders().items():
            if prop not in self.property_owner:
                self.property_owner[prop] = shapes[0]
        self.used_shape_anchors = used

    def property_holders(self) -> dict[Any, list]:
        """Each property shape and the node shapes holding it (``sh:property``), sorted."""
        holders: dict[Any, list] = {}
        for shape in self.node_shapes:
            for prop in self.sg.objects(shape, uri(NS_SH + "property")):
                holders.setdefault(prop, []).append(shape)
        return {prop: sorted(shapes, key=str) for prop, shapes in holders.items()}

    def shape_key(self, node) -> str:
        """A stable sort key for a (possibly anonymous) shape: its content, not its blank-node id."""
        from rdflib import BNode

        if not isinstance(node, BNode):
            return str(node)
        parts = []
        for p, o in sorted(self.sg.predicate_objects(node), key=lambda po: (str(po[0]), node_key(po[1]))):
            parts.append(f"{p}={self.shape_key(o) if isinstance(o, BNode) else o}")
        return "[" + ";".join(parts) + "]"

    def _walk(self, node, seen: set | None = None) -> Iterable[tuple[str, Any]]:
        """Every (predicate, object) under a shape, descending into anonymous nodes and lists."""
        from rdflib import BNode

        seen = set() if seen is None else seen
        if node in seen:
            return
        seen.add(node)
        for p, o in sorted(self.sg.predicate_objects(node), key=lambda po: (str(po[0]), node_key(po[1]))):
            yield str(p), o
            if isinstance(o, BNode) and o not in self.shape_anchor:  # those are reported under their own name
                yield from self._walk(o, seen)

    def _path_terms(self, node) -> list[str]:
        """The properties a SHACL path walks (``a/b``, ``a|b``, ``^a``, ``a*`` ...), in order."""
        from rdflib import URIRef

        if isinstance(node, URIRef):
            return [str(node)]
        terms: list[str] = []
        for member in rdf_list(self.sg, node):  # a sequence path
            terms += self._path_terms(member)
        for alternatives in self.sg.objects(node, uri(NS_SH + "alternativePath")):
            for member in rdf_list(self.sg, alternatives):
                terms += self._path_terms(member)
        for predicate in ("inversePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
            for inner in self.sg.objects(node, uri(NS_SH + predicate)):
                terms += self._path_terms(inner)
        return terms

    def _read_usage(self) -> None:
        """Which shapes target or constrain each term, and which scheme each property's values
        must come from (a property shape ``sh:node`` a shape demanding ``skos:inScheme``)."""
        from rdflib import Literal, URIRef

        sg = self.sg
        usage: dict[str, set[tuple[str, str]]] = {}

        def note(term: str, relation: str, shape) -> None:
            if term in self.terms and shape in self.shape_anchor:
                usage.setdefault(term, set()).add(
                    (relation, str(shape) if isinstance(shape, URIRef) else "_" + self.shape_anchor[shape])
                )

        self.concept_shape_scheme: dict[str, str] = {}
        for shape in self.node_shapes:
            for prop in sg.objects(shape, uri(NS_SH + "property")):
                if sg.value(prop, uri(NS_SH + "path")) == uri(NS_SKOS + "inScheme"):
                    scheme = sg.value(prop, uri(NS_SH + "hasValue"))
                    if isinstance(scheme, URIRef):
                        self.concept_shape_scheme[str(shape)] = str(scheme)

        self.scheme_properties: dict[str, set[str]] = {}
        self.scheme_shapes: dict[str, set[str]] = {}
        self.property_schemes: dict[str, set[str]] = {}
        for shape, scheme in self.concept_shape_scheme.items():
            self.scheme_shapes.setdefault(scheme, set()).add(shape)

        shapes_with_anchor = sorted(self.shape_anchor, key=lambda s: self.shape_anchor[s])
        for shape in shapes_with_anchor:
            for p, o in self._walk(shape):
                name = p[len(NS_SH) :] if p.startswith(NS_SH) else ""
                if name in ("targetClass", "targetSubjectsOf", "targetObjectsOf") and isinstance(o, URIRef):
                    note(str(o), "target", shape)
                elif name == "class" and isinstance(o, URIRef):
                    note(str(o), "value class", shape)
                elif name == "hasValue" and isinstance(o, URIRef):
                    note(str(o), "value", shape)
                elif name == "path":
                    for term in self._path_terms(o):
                        note(term, "path", shape)
                elif name == "node" and isinstance(o, URIRef) and str(o) in self.concept_shape_scheme:
                    scheme = self.concept_shape_scheme[str(o)]
                    direct = sg.value(shape, uri(NS_SH + "path"))
                    if isinstance(direct, URIRef):
                        self.property_schemes.setdefault(str(direct), set()).add(scheme)
                        self.scheme_properties.setdefault(scheme, set()).add(str(direct))
                elif name == "select" and isinstance(o, Literal):
                    for local in SPARQL_TERM.findall(str(o)):
                        note(TKG + local, "SPARQL", shape)
        # Terms used only in anonymous nested shapes are attributed to the shape that holds them.
        self.usage: dict[str, list[Val]] = {}
        for term, entries in usage.items():
            vals = set()
            for relation, key in entries:
                if key.startswith("_"):
                    anchor = key[1:]
                    vals.add(
                        Val(
                            text=f"tkgsh:{anchor}", href=f"shapes.html#{anchor}", title=relation, after=f" ({relation})"
                        )
                    )
                else:
                    link = self.links.link(uri(key))
                    vals.add(Val(text=link.text, href=link.href, title=relation, after=f" ({relation})"))
            self.usage[term] = sorted(vals, key=lambda v: (v.text.lower(), v.after))

    def severity(self, node) -> str:
        """``Violation`` (the SHACL default), ``Warning`` or ``Info``."""
        value = self.sg.value(node, uri(NS_SH + "severity"))
        return local_name(str(value)) if value is not None else "Violation"

    def message(self, node) -> str:
        """The shape's ``sh:message`` (English first), as ``treatykg check`` prints it."""
        texts = texts_of(self.sg, node, (NS_SH + "message",))
        return texts[0] if texts else ""

    def path_value(self, node) -> Val:
        """A SHACL property path as written in SPARQL: ``a/b``, ``a|b``, ``^a``, ``a*``."""
        from rdflib import BNode

        sg = self.sg
        if not isinstance(node, BNode):
            return self.links.link(node, sg)
        first = sg.value(node, uri(NS_RDF + "first"))
        if first is not None:
            return Val(items=tuple(self.path_value(p) for p in rdf_list(sg, node)), sep=" / ")
        alternatives = sg.value(node, uri(NS_SH + "alternativePath"))
        if alternatives is not None:
            items = tuple(self.path_value(p) for p in rdf_list(sg, alternatives))
            return Val(items=items, sep=" | ", before="(", after=")")
        for predicate, before, after in (
            ("inversePath", "^", ""),
            ("zeroOrMorePath", "", "*"),
            ("oneOrMorePath", "", "+"),
            ("zeroOrOnePath", "", "?"),
        ):
            inner = sg.value(node, uri(NS_SH + predicate))
            if inner is not None:
                return Val(items=(self.path_value(inner),), before=before, after=after)
        return Val(text="(complex path)", code=False)

    def path_text(self, node) -> str:
        """The path as plain text (to sort property shapes by)."""
        if node is None:
            return ""
        return flatten(self.path_value(node))

    def constraints(self, node) -> list[Constraint]:
        """The shape's SHACL parameters as rows, in :data:`CONSTRAINTS` order; lists and nested
        anonymous shapes (``sh:or``, ``sh:qualifiedValueShape``) are read into their parts."""
        from rdflib import BNode, URIRef

        sg = self.sg
        by_key: dict[str, list] = {}
        for predicate, value in sg.predicate_objects(node):
            name = str(predicate)[len(NS_SH) :] if str(predicate).startswith(NS_SH) else ""
            if not name or name in SH_NOT_CONSTRAINTS:
                continue
            by_key.setdefault(name, []).append(value)
        known = [key for key, _ in CONSTRAINTS]
        result = []
        for key in sorted(by_key, key=lambda k: (known.index(k) if k in known else len(known), k)):
            values: list[Val | Inline] = []
            for value in sorted(by_key[key], key=lambda v: self.shape_key(v) if isinstance(v, BNode) else str(v)):
                if key in SH_LISTS and isinstance(value, BNode):
                    members = rdf_list(sg, value)
                    if key in ("or", "and", "xone"):
                        values.extend(self._inline(m) for m in members)
                    else:
                        values.extend(self.links.link(m, sg) for m in members)
                elif isinstance(value, BNode):
                    values.append(self._inline(value))
                elif isinstance(value, URIRef):
                    values.append(self.links.link(value, sg))
                else:
                    values.append(Val(text=str(value)))
            result.append(Constraint(key=key, label=CONSTRAINT_LABELS.get(key, key), values=tuple(values)))
        return result

    def _inline(self, node) -> Val | Inline:
        from rdflib import URIRef

        if isinstance(node, URIRef):
            return self.links.link(node, self.sg)
        path = self.sg.value(node, uri(NS_SH + "path"))
        return Inline(
            path=self.path_value(path) if path is not None else None,
            constraints=tuple(self.constraints(node)),
            message=self.message(node),
        )

    def sparql(self, node) -> list[SparqlCheck]:
        """The shape's SHACL-SPARQL constraints with their query, message and severity."""
        sg = self.sg
        checks = []
        for constraint in sorted(sg.objects(node, uri(NS_SH + "sparql")), key=self.shape_key):
            query = sg.value(constraint, uri(NS_SH + "select")) or sg.value(constraint, uri(NS_SH + "ask")) or ""
            anchor = self.shape_anchor.get(constraint, "")
            checks.append(
                SparqlCheck(
                    anchor=anchor,
                    name=curie_of(str(constraint))
                    if anchor and not anchor.endswith("-sparql")
                    else "SPARQL constraint",
                    message=self.message(constraint),
                    severity=self.severity(constraint),
                    query=dedent_query(str(query)),
                )
            )
        return checks
