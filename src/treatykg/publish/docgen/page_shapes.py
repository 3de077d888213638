"""The shapes page (``shapes.html``): the SHACL shapes grouped by the class they check, with each
``sh:message`` as a contributor sees it in ``treatykg check``.

Owns the grouping (a shape naming several classes sits under the most general one; shapes on a
property's values under that property; shapes applied only through ``sh:node`` as shared shapes),
the group anchors, and each node and property shape's entry.

May import: :mod:`.graphs`, :mod:`.model`, :mod:`.shapes` (and :mod:`.site` for its types), rdflib,
:mod:`treatykg.model.iri`.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from ...model.iri import PREFIXES, TKG
from .graphs import NS_RDFS, NS_SH, curie_of, dedent_query, local_name, slug, texts_of, unique_anchor, uri
from .model import NodeShapeDoc, PropertyShapeDoc, ShapeGroup, Val
from .shapes import SPARQL_TYPE, TARGETS

if TYPE_CHECKING:
    from jinja2 import Environment

    from .site import Site

PAGE = "shapes.html"


def render(env: Environment, site: Site, common: dict) -> str:
    """The page's HTML."""
    groups = ShapesPage(site).shape_groups()
    return env.get_template(PAGE).render(page=PAGE, title="SHACL shapes", groups=groups, **common)


class ShapesPage:
    """The shapes page's content, from the shapes read once (:class:`~.shapes.Shapes`)."""

    def __init__(self, site: Site) -> None:
        self.sg = site.sources.shapes
        self.shapes = site.shapes
        self.links = site.links
        self.ontology = site.ontology
        self.terms = site.ontology.terms
        self.modules = site.ontology.modules

    def shape_groups(self) -> list[ShapeGroup]:
        """Node shapes grouped by the class they check (a shape naming several classes sits under
        the most general one and is cross-referenced from the others). Shapes that target the
        values of a property are grouped by that property; shapes with no target of their own
        (scheme membership, quotes) are listed as shared shapes, applied through ``sh:node``."""
        from rdflib import URIRef

        sg = self.sg
        referenced = {o for o in sg.objects(None, uri(NS_SH + "node")) if isinstance(o, URIRef)}
        primary: dict[Any, str | None] = {}
        for shape in self.shapes.node_shapes:
            targets = sorted(str(o) for o in sg.objects(shape, uri(NS_SH + "targetClass")) if isinstance(o, URIRef))
            primary[shape] = self._most_general(targets) if targets else None
        groups: dict[tuple[str, str], ShapeGroup] = {}

        def group_for(key: tuple[str, str]) -> ShapeGroup:
            if key not in groups:
                kind, iri = key
                term = self.terms.get(iri)
                name = term.label if term else curie_of(iri)
                if kind == "class":
                    groups[key] = ShapeGroup(
                        anchor="", title=name[:1].upper() + name[1:], target=self.links.link(uri(iri)), intro=""
                    )
                elif kind in ("objects", "subjects"):
                    properties = iri.split()  # a shape may target the values of several properties
                    names = " and ".join(self.terms[p].label if p in self.terms else curie_of(p) for p in properties)
                    title = f"Values of {names}" if kind == "objects" else f"Subjects of {names}"
                    links = tuple(self.links.link(uri(p)) for p in properties)
                    groups[key] = ShapeGroup(anchor="", title=title, target=Val(items=links, sep=", "), intro="")
                elif kind == "shared":
                    groups[key] = ShapeGroup(
                        anchor="",
                        title="Shared shapes",
                        target=None,
                        intro="Shapes with no target of their own: other shapes apply them to a value with sh:node.",
                    )
                else:
                    groups[key] = ShapeGroup(
                        anchor="",
                        title="Other shapes",
                        target=None,
                        intro="Shapes whose targets a SPARQL query selects across classes.",
                    )
            return groups[key]

        for shape in self.shapes.node_shapes:
            key = self._group_key(shape, primary, referenced)
            group_for(key).shapes.append(self._node_shape_doc(shape))
            for target in sorted(str(o) for o in sg.objects(shape, uri(NS_SH + "targetClass"))):
                if key != ("class", target):
                    group_for(("class", target)).see_also.append(self.links.link(shape))
        module_index = {m.name: i for i, m in enumerate(self.modules)}
        kinds = ("class", "objects", "subjects", "shared", "other")

        def order(item: tuple[tuple[str, str], ShapeGroup]) -> tuple:
            (kind, iri), group = item
            term = self.terms.get(iri)
            return (kinds.index(kind), module_index.get(term.module, 99) if term else 99, group.title.lower(), iri)

        used = set(self.shapes.used_shape_anchors)
        ordered = []
        for (kind, iri), group in sorted(groups.items(), key=order):
            suffix = "-".join(slug(local_name(i)) for i in iri.split())
            prefix = "group-" if kind == "class" else f"group-{kind}-"
            group.anchor = unique_anchor(prefix + suffix if iri else "group-" + kind, used)
            group.see_also = sorted(set(group.see_also), key=lambda v: v.sort_key)
            ordered.append(group)
        return ordered

    def _group_key(self, shape, primary: dict[Any, str | None], referenced: set) -> tuple[str, str]:
        """Where a node shape is described: ("class", IRI), ("objects"/"subjects", property IRI),
        ("shared", "") or ("other", "")."""
        sg = self.sg
        if primary.get(shape):
            return ("class", primary[shape] or "")
        # A helper shape named after another (ClaimShape-sourceDateCheck) goes with it.
        match = re.match(r"^(.*Shape)-", self.shapes.shape_anchor[shape])
        base = uri(PREFIXES["tkgsh"] + match.group(1)) if match else None
        if base is not None and primary.get(base):
            return ("class", primary[base] or "")
        for predicate, kind in ((NS_SH + "targetObjectsOf", "objects"), (NS_SH + "targetSubjectsOf", "subjects")):
            properties = sorted(str(o) for o in sg.objects(shape, uri(predicate)))
            if properties:
                return (kind, " ".join(properties))
        for target in sorted(sg.objects(shape, uri(NS_SH + "target")), key=self.shapes.shape_key):
            found = SPARQL_TYPE.findall(str(sg.value(target, uri(NS_SH + "select")) or ""))
            if found and TKG + found[0] in self.terms:
                return ("class", TKG + found[0])
        return ("shared", "") if shape in referenced else ("other", "")

    def _most_general(self, targets: list[str]) -> str:
        """Of several target classes, the one the others specialise (Stakeholder over Person)."""
        for target in targets:
            others = [t for t in targets if t != target]
            if not any(t in self.ontology.ancestors(target, NS_RDFS + "subClassOf") for t in others):
                return target
        return targets[0]

    def _node_shape_doc(self, shape) -> NodeShapeDoc:
        from rdflib import URIRef

        sg = self.sg
        targets: list[tuple[str, Val]] = []
        for predicate, label in TARGETS:
            for value in sorted(sg.objects(shape, uri(predicate)), key=str):
                targets.append((label, self.links.link(value, sg)))
        queries = sorted(
            str(sg.value(t, uri(NS_SH + "select")) or "") for t in sg.objects(shape, uri(NS_SH + "target"))
        )
        holders = self.shapes.property_holders()
        properties = []
        for prop in sorted(sg.objects(shape, uri(NS_SH + "property")), key=self._property_sort_key):
            doc = self._property_shape_doc(prop, shape)
            owner = self.shapes.property_owner.get(prop, shape)
            if owner != shape and prop in holders:  # one row per shape, so each anchor exists once
                doc.elsewhere = f"shapes.html#{doc.anchor}"
            properties.append(doc)
        owners = []
        for via in sorted({s for s in sg.subjects(uri(NS_SH + "node"), shape)}, key=self.shapes.shape_key):
            if via in self.shapes.shape_anchor:
                anchor = self.shapes.shape_anchor[via]
                owners.append(
                    Val(
                        text=f"tkgsh:{anchor}" if not isinstance(via, URIRef) else curie_of(str(via)),
                        href=f"shapes.html#{anchor}",
                    )
                )
        return NodeShapeDoc(
            anchor=self.shapes.shape_anchor[shape],
            curie=curie_of(str(shape)),
            targets=targets,
            target_queries=[dedent_query(q) for q in queries if q],
            severity=self.shapes.severity(shape),
            comments=texts_of(sg, shape, (NS_RDFS + "comment", NS_SH + "description")),
            constraints=self.shapes.constraints(shape),
            message=self.shapes.message(shape),
            properties=properties,
            sparql=self.shapes.sparql(shape),
            used_via=sorted(set(owners), key=lambda v: v.sort_key),
        )

    def _property_sort_key(self, prop) -> tuple:
        path = self.sg.value(prop, uri(NS_SH + "path"))
        order = self.sg.value(prop, uri(NS_SH + "order"))
        return (
            float(order) if order is not None else math.inf,
            self.shapes.path_text(path),
            self.shapes.shape_key(prop),
        )

    def _property_shape_doc(self, prop, holder) -> PropertyShapeDoc:
        from rdflib import URIRef

        sg = self.sg
        path = sg.value(prop, uri(NS_SH + "path"))
        anchor = self.shapes.shape_anchor.get(prop, "")
        name = curie_of(str(prop)) if isinstance(prop, URIRef) else f"tkgsh:{anchor}" if anchor else "(anonymous)"
        return PropertyShapeDoc(
            anchor=anchor,
            name=name,
            named=isinstance(prop, URIRef),
            path=self.shapes.path_value(path) if path is not None else Val(text="(no path)", code=False),
            path_text=self.shapes.path_text(path),
            severity=self.shapes.severity(prop),
            constraints=self.shapes.constraints(prop),
            message=self.shapes.message(prop),
            description=" ".join(texts_of(sg, prop, (NS_SH + "description", NS_RDFS + "comment", NS_SH + "name"))),
            sparql=self.shapes.sparql(prop),
        )
