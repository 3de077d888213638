"""``treatykg docs``: the reference pages are derived from the ontology sources, complete,
well-formed, linked and byte-for-byte reproducible.

Expectations are read from the same Turtle files the generator reads (never hard-coded lists of
terms), so the tests keep holding while the ontology grows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from treatykg.model.iri import PREFIXES, TKG
from treatykg.model.sources import Kind, load_union
from treatykg.publish.docgen import NOTICE, PAGES, build_docs
from treatykg.validation.shacl import shorten

from .helpers import write

SH = PREFIXES["sh"]
SKOS = PREFIXES["skos"]
OWL = PREFIXES["owl"]
SVG = "{http://www.w3.org/2000/svg}"
FILES = sorted([*PAGES, "model.svg", "style.css"])

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements that may not sit inside <p>: a browser would close the paragraph before them.
BLOCK = {"address", "article", "aside", "details", "div", "dl", "figure", "footer", "form", "h1", "h2", "h3"}
BLOCK |= {"h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}


class Page(HTMLParser):
    """Parses a generated page strictly: every element closed in order, no block inside <p>, no
    duplicate id. Records the text under each id, its ancestors' ids and the tags inside it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.stack: list[tuple[str, str | None]] = []
        self.ids: dict[str, dict] = {}
        self.hrefs: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed elements at end: {[tag for tag, _ in self.stack]}")
        for info in self.ids.values():
            info["text"] = " ".join("".join(info["parts"]).split())

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], closes: bool) -> None:
        values = dict(attrs)
        if tag in BLOCK and any(open_tag == "p" for open_tag, _ in self.stack):
            self.errors.append(f"<{tag}> inside <p> at line {self.getpos()[0]}")
        if values.get("href"):
            self.hrefs.append(values["href"] or "")
        for _, open_id in self.stack:
            if open_id:
                self.ids[open_id]["tags"].add(tag)
        element_id = values.get("id")
        if element_id:
            if element_id in self.ids:
                self.errors.append(f"duplicate id {element_id!r}")
            ancestors = [i for _, i in self.stack if i]
            self.ids[element_id] = {"tag": tag, "parts": [], "ancestors": ancestors, "tags": set(), "attrs": values}
        if not closes and tag not in VOID:
            self.stack.append((tag, element_id))

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs, closes=False)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs, closes=True)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            expected = self.stack[-1][0] if self.stack else "nothing"
            self.errors.append(f"</{tag}> at line {self.getpos()[0]} closes {expected}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for _, open_id in self.stack:
            if open_id:
                self.ids[open_id]["parts"].append(data)

    def text(self, element_id: str) -> str:
        assert element_id in self.ids, f"no element with id {element_id!r}"
        return self.ids[element_id]["text"]


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Path]:
    written = build_docs(tmp_path_factory.mktemp("docs"))
    assert written == sorted(written)
    return {path.name: path for path in written}


@pytest.fixture(scope="module")
def pages(docs) -> dict[str, Page]:
    return {name: Page(docs[name].read_text(encoding="utf-8")) for name in PAGES}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_union(kinds=(Kind.ONTOLOGY,))


@pytest.fixture(scope="module")
def model(docs) -> ET.Element:
    return ET.parse(docs["model.svg"]).getroot()


def our_terms(ontology: Graph) -> dict[str, set[str]]:
    """Local names of every tkg: term the ontology types, by kind ("class" / "property")."""
    kinds = {"class": set(), "property": set()}
    for subject, type_ in ontology.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and str(subject).startswith(TKG) and str(subject) != TKG:
            local = str(subject)[len(TKG) :]
            if type_ in (URIRef(OWL + "Class"), RDFS.Class):
                kinds["class"].add(local)
            elif str(type_).endswith("Property"):
                kinds["property"].add(local)
    return kinds


def test_build_writes_every_file_with_a_do_not_edit_header(docs):
    assert sorted(docs) == FILES
    for name, path in docs.items():
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        opener, closer = ("/*", "*/") if name.endswith(".css") else ("<!--", "-->")
        assert first_line == f"{opener} {NOTICE} {closer}", name
        assert "treatykg docs" in first_line and "Do not edit" in first_line
        assert "--" not in NOTICE  # would end the HTML/XML comment early


def test_pages_are_well_formed_html(pages):
    for name, page in pages.items():
        assert page.errors == [], name
        assert len(page.ids) > 20, name


def test_every_internal_link_reaches_an_anchor(docs, pages):
    ids = {name: set(page.ids) for name, page in pages.items()}
    links: list[tuple[str, str]] = [(name, href) for name, page in pages.items() for href in page.hrefs]
    svg_hrefs = [a.get("href") for a in ET.parse(docs["model.svg"]).getroot().iter(SVG + "a")]
    links += [("model.svg", href) for href in svg_hrefs if href]
    checked = 0
    for source, href in links:
        if href.startswith(("http://", "https://")):
            continue
        target, _, fragment = href.partition("#")
        target = target or source
        assert target in docs, f"{source}: link to a file that is not generated: {href}"
        if fragment:
            assert fragment in ids[target], f"{source}: {href} has no anchor in {target}"
            checked += 1
    assert checked > 500  # terms, shapes, concepts, diagram: the pages are densely cross-linked


def test_every_term_of_the_ontology_has_its_anchor(ontology, pages):
    terms = our_terms(ontology)
    assert len(terms["class"]) > 10 and len(terms["property"]) > 40
    index = pages["index.html"]
    for local in terms["class"] | terms["property"]:
        assert local in index.ids, f"tkg:{local} has no entry in index.html"
        assert index.ids[local]["tag"] == "article"
        # Each entry sits in the section of its module (rdfs:isDefinedBy).
        module = ontology.value(URIRef(TKG + local), RDFS.isDefinedBy)
        if module is not None:
            assert f"module-{str(module).rsplit('/', 1)[-1]}" in index.ids[local]["ancestors"]


def test_applies_to_entry_shows_label_definition_and_superproperties(ontology, pages):
    applies_to = URIRef(TKG + "appliesTo")
    text = pages["index.html"].text("appliesTo")
    assert str(ontology.value(applies_to, RDFS.label)) in text
    assert " ".join(str(ontology.value(applies_to, RDFS.comment)).split()) in text
    supers = set(ontology.objects(applies_to, RDFS.subPropertyOf))
    assert URIRef(TKG + "refersTo") in supers
    for parent in supers:
        assert shorten(str(parent)) in text
        # ... and what the parents specialise, as far as the ontology says (eli:refers_to).
        for grandparent in ontology.objects(parent, RDFS.subPropertyOf):
            assert shorten(str(grandparent)) in text
    assert "eli:refers_to" in text
    assert "Superproperties tkg:refersTo" in text


def test_property_entries_show_domain_range_characteristics_inverse(ontology, pages):
    index = pages["index.html"]
    part_of = index.text("partOf")
    assert "Domain tkg:Provision" in part_of and "Range eli:LegalResource" in part_of
    assert "functional" in part_of and "Inverse of tkg:hasPart" in part_of
    # Every stated domain and range appears in the entry, whatever the property.
    for prop in sorted(our_terms(ontology)["property"]):
        text = index.text(prop)
        for predicate in (RDFS.domain, RDFS.range):
            for value in ontology.objects(URIRef(TKG + prop), predicate):
                if isinstance(value, URIRef):
                    assert shorten(str(value)) in text, f"{prop}: {value}"


def test_class_entries_show_alignments_and_the_shapes_that_use_them(pages):
    claim = pages["index.html"].text("Claim")
    assert "schema:Claim (subclass of)" in claim and "prov:Entity (subclass of)" in claim
    assert "tkgsh:ClaimShape (target)" in claim
    hrefs = {a for a in pages["index.html"].hrefs}
    assert "shapes.html#ClaimShape" in hrefs
    assert "http://www.w3.org/ns/prov#Entity" in hrefs  # external terms link to their full IRI


def test_header_metadata_comes_from_the_ontology_node(ontology, pages):
    node = URIRef(TKG.rstrip("#"))
    text = pages["index.html"].text("metadata")
    for predicate in (OWL + "versionInfo", PREFIXES["dct"] + "license", PREFIXES["dct"] + "created"):
        value = ontology.value(node, URIRef(predicate))
        assert value is not None and str(value) in text
    assert f"Namespace {TKG}" in text and "Preferred prefix tkg" in text


def test_shapes_page_shows_the_messages_contributors_see(pages):
    shapes = load_union(kinds=(Kind.SHAPES,))
    page = pages["shapes.html"]
    shape = URIRef(PREFIXES["tkgsh"] + "ClaimShape-wasDerivedFrom")
    message = str(shapes.value(shape, URIRef(SH + "message")))
    assert message.startswith("No claim without a source")
    row = page.text("ClaimShape-wasDerivedFrom")
    assert f"Violation [prov:wasDerivedFrom] focus: {message}" in row
    assert "at least 1" in row and "instance of tkg:StatementDocument" in row
    # Grouped under the class the shape targets.
    assert "group-Claim" in page.ids["ClaimShape-wasDerivedFrom"]["ancestors"]
    assert "ClaimShape" in page.ids["ClaimShape-wasDerivedFrom"]["ancestors"]
    # Every shape message in the sources is on the page, word for word.
    text = " ".join(info["text"] for info in page.ids.values() if info["tag"] == "main")
    for value in shapes.objects(None, URIRef(SH + "message")):
        assert " ".join(str(value).split()) in text


def test_shapes_page_shows_sparql_constraints_in_details(pages):
    page = pages["shapes.html"]
    check = page.ids["ProvisionShape-noCycle"]
    assert {"details", "pre", "code"} <= check["tags"]
    assert "tkg:partOf+" in check["text"] and "its tkg:partOf chain forms a cycle" in check["text"]
    # Anonymous property shapes get the name `treatykg check` prints for them.
    assert "tkg:partOf" in page.text("PreambleShape-partOf")


def test_vocabularies_page_lists_every_scheme_and_concept(pages):
    vocab = load_union(kinds=(Kind.VOCAB,))
    page = pages["vocabularies.html"]
    schemes = set(vocab.subjects(RDF.type, URIRef(SKOS + "ConceptScheme")))
    concepts = set(vocab.subjects(RDF.type, URIRef(SKOS + "Concept")))
    assert len(schemes) >= 10 and len(concepts) > 50
    for scheme in schemes:
        anchor = "scheme-" + str(scheme).rstrip("/").rsplit("/", 1)[-1]
        assert str(vocab.value(scheme, URIRef(SKOS + "prefLabel"))) in page.text(anchor)
    for concept in concepts:
        anchor = shorten(str(concept)).replace(":", "-")
        text = page.text(anchor)
        assert str(vocab.value(concept, URIRef(SKOS + "prefLabel"))) in text
        definition = vocab.value(concept, URIRef(SKOS + "definition"))
        if definition is not None:
            assert " ".join(str(definition).split()) in text
        for predicate, value in vocab.predicate_objects(concept):  # our own annotations, e.g. thresholds
            if str(predicate).startswith(TKG):
                assert " ".join(str(value).split()) in text
    shall = page.text("modality-shall")
    assert "Close match" in shall and "lkif:Obligation" in shall
    assert "tkg:modality" in page.text("scheme-modality")  # which property takes its values


def test_model_svg_draws_our_classes_and_the_properties_between_them(ontology, model):
    assert model.tag == SVG + "svg"
    assert int(model.get("width")) <= 1200
    boxes = {g.get("id"): g for g in model.iter(SVG + "g") if g.get("class") == "class-box"}
    assert "model-Claim" in boxes
    assert [t.text for t in boxes["model-Claim"].iter(SVG + "text")] == ["Claim", "tkg:Claim"]
    assert {f"model-{c}" for c in our_terms(ontology)["class"]} == set(boxes)
    # Object properties whose domain and range are both our classes are labelled arrows.
    classes = {URIRef(TKG + c) for c in our_terms(ontology)["class"]}
    expected = {}
    for prop in our_terms(ontology)["property"]:
        node = URIRef(TKG + prop)
        domains, ranges = set(ontology.objects(node, RDFS.domain)), set(ontology.objects(node, RDFS.range))
        if domains and ranges and domains <= classes and ranges <= classes:
            expected[f"tkg:{prop}"] = str(ontology.value(node, RDFS.label))
    assert "tkg:signedBy" in expected
    # The central relations, whose domain and range the ontology leaves open, are drawn too (issue 17):
    # a claim is about a provision, a provision is part of another, a safeguard applies to one.
    expected |= {"tkg:about": "about", "tkg:partOf": "part of", "tkg:appliesTo": "applies to"}
    labels = {t.get("data-property"): t.text for t in model.iter(SVG + "text") if t.get("class") == "edge-label"}
    assert labels == expected
    assert sum(1 for p in model.iter(SVG + "path") if p.get("class") == "edge property") == len(expected)
    assert any(p.get("class") == "edge subclass" for p in model.iter(SVG + "path"))


def test_model_svg_boxes_do_not_overlap(model):
    rects = []
    for group in model.iter(SVG + "g"):
        if group.get("class") == "class-box":
            rect = group.find(SVG + "rect")
            rects.append(tuple(float(rect.get(k)) for k in ("x", "y", "width", "height")))
    width, height = (float(v) for v in model.get("viewBox").split()[2:])
    for i, (x, y, w, h) in enumerate(rects):
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
        for x2, y2, w2, h2 in rects[i + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "boxes overlap"


def test_model_is_embedded_in_the_index_with_local_links(pages):
    index = pages["index.html"]
    assert "model-Claim" in index.ids and "section-model" in index.ids["model-Claim"]["ancestors"]
    assert "#Claim" in index.hrefs


def test_two_builds_are_byte_identical(docs, tmp_path):
    """Also across processes with different hash seeds, where set order differs."""
    script = (
        "import sys; from pathlib import Path; from treatykg.publish.docgen import build_docs; "
        "build_docs(Path(sys.argv[1]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "a")], check=True, env=env)
    build_docs(tmp_path / "b")
    for name in FILES:
        first = docs[name].read_bytes()
        assert (tmp_path / "a" / name).read_bytes() == first, name
        assert (tmp_path / "b" / name).read_bytes() == first, name


def test_new_terms_appear_without_changes_to_the_generator(tmp_path, monkeypatch):
    """A term added in a new file, with no rdfs:isDefinedBy, still gets an entry and a box."""
    import treatykg.publish.docgen as docgen
    from treatykg.model.sources import SourceFile, iter_sources

    extra = write(
        tmp_path,
        "extra.ttl",
        f"""@prefix tkg: <{TKG}> . @prefix owl: <{OWL}> . @prefix rdfs: <{RDFS}> .
        tkg:Ratification a owl:Class ; rdfs:label "Ratification"@en ; rdfs:comment "A State's consent."@en .
        tkg:ratifies a owl:ObjectProperty ; rdfs:label "ratifies"@en ;
            rdfs:domain tkg:Ratification ; rdfs:range tkg:Treaty .
        """,
    )

    def with_extra(kinds=(Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH)):
        yield from iter_sources(kinds)
        yield SourceFile(path=extra, relative="ontology/extra.ttl", kind=Kind.ONTOLOGY)

    monkeypatch.setattr(docgen, "iter_sources", with_extra)
    written = {p.name: p for p in build_docs(tmp_path / "out")}
    index = Page(written["index.html"].read_text(encoding="utf-8"))
    assert index.errors == []
    assert "Ratification" in index.ids and "ratifies" in index.ids
    assert "module-other" in index.ids["Ratification"]["ancestors"]
    assert "Domain tkg:Ratification" in index.text("ratifies")
    model = ET.parse(written["model.svg"]).getroot()
    labels = {t.get("data-property") for t in model.iter(SVG + "text") if t.get("class") == "edge-label"}
    assert "tkg:ratifies" in labels


# The generator's package (issue 20): each module imports only modules of a lower rank, so the
# readers never depend on a page, and no page on another; and no module is over about 400 lines.
DOCGEN_RANK = {
    "model": 0,
    "graphs": 0,
    "links": 1,
    "diagram_svg": 1,
    "ontology": 2,
    "vocabularies": 2,
    "shapes": 2,
    "site": 3,
    "diagram": 4,
    "page_index": 5,
    "page_vocabularies": 5,
    "page_shapes": 5,
    "__init__": 6,
}


def test_docgen_modules_import_only_lower_layers_and_stay_small():
    import ast

    import treatykg.publish.docgen as docgen

    folder = Path(docgen.__file__).parent
    modules = {path.stem: path for path in folder.glob("*.py")}
    assert set(modules) == set(DOCGEN_RANK), "a new module needs its place in DOCGEN_RANK"
    for name, path in modules.items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        assert ast.get_docstring(tree) and "May import" in ast.get_docstring(tree), f"{name}: no import rule"
        assert len(text.splitlines()) <= 400, f"{name} has {len(text.splitlines())} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported = [node.module] if node.module else [alias.name for alias in node.names]
                for target in imported:
                    assert DOCGEN_RANK[target] < DOCGEN_RANK[name], f"docgen/{name}.py imports .{target}"


def test_a_top_concept_stated_from_the_scheme_side_only_gets_its_entry(tmp_path, monkeypatch):
    """SKOS lets a scheme name its top concepts (skos:hasTopConcept) or a concept say it is one
    (skos:topConceptOf) without skos:inScheme or a type; such a concept is listed, with an anchor."""
    import treatykg.publish.docgen as docgen
    from treatykg.model.sources import SourceFile, iter_sources

    extra = write(
        tmp_path,
        "tops.ttl",
        f"""@prefix skos: <{SKOS}> . @prefix t: <https://w3id.org/treatykg/vocab/tops/> .
        <https://w3id.org/treatykg/vocab/tops> a skos:ConceptScheme ; skos:prefLabel "Tops"@en ;
            skos:hasTopConcept t:first .
        t:first skos:prefLabel "first top"@en .
        t:second skos:topConceptOf <https://w3id.org/treatykg/vocab/tops> ; skos:prefLabel "second top"@en .
        """,
    )

    def with_extra(kinds):
        yield from iter_sources(kinds)
        yield SourceFile(path=extra, relative="ontology/vocab/tops.ttl", kind=Kind.VOCAB)

    monkeypatch.setattr(docgen, "iter_sources", with_extra)
    written = {p.name: p for p in build_docs(tmp_path / "out")}
    page = Page(written["vocabularies.html"].read_text(encoding="utf-8"))
    assert page.errors == []
    scheme = page.text("scheme-tops")
    assert "first top" in scheme and "second top" in scheme
    for anchor, label in (("first", "first top"), ("second", "second top")):
        assert "scheme-tops" in page.ids[anchor]["ancestors"] and label in page.text(anchor)
