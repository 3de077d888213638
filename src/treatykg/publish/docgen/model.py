"""The page model: the objects the templates lay out (a term, a concept, a shape, one value).

Templates only lay out these objects; every decision (what a row says, in which order) is made by
the readers and page modules that build them. Owns the dataclasses and :func:`flatten`.

May import: the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Val:
    """One value on a page: a linked term, a literal, or a group of values (a path, a union).

    ``href`` is always written relative to the output directory ("index.html#Claim"); the
    ``rel`` filter shortens it to "#Claim" on the page it points into.
    """

    text: str = ""
    href: str = ""
    title: str = ""
    code: bool = True
    items: tuple[Val | Inline, ...] = ()
    sep: str = ""
    before: str = ""
    after: str = ""
    kind: str = "val"

    @property
    def sort_key(self) -> tuple[int, str]:
        """Our own terms first, then external ones, each alphabetically."""
        external = 1 if self.href.startswith(("http://", "https://")) or not self.href else 0
        return (external, self.text.lower() + "\x00" + self.text + self.href)


@dataclass(frozen=True)
class Constraint:
    """One SHACL parameter of a shape (``sh:minCount 1``) as a reader-friendly row."""

    key: str  # the SHACL local name, e.g. "minCount"
    label: str  # "at least"
    values: tuple[Val | Inline, ...]


@dataclass(frozen=True)
class Inline:
    """An anonymous shape inside ``sh:or``/``sh:and``/``sh:not``: its path and constraints."""

    path: Val | None
    constraints: tuple[Constraint, ...]
    message: str = ""  # shown next to the part of the rule it explains
    kind: str = "shape"


@dataclass
class Term:
    """A class or property of the ontology, with everything its reference entry shows."""

    iri: str
    local: str
    curie: str
    kind: str
    label: str
    module: str
    definitions: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    deprecated: bool = False
    rows: list[tuple[str, list[Val]]] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        return self.kind == "Class"


@dataclass
class Module:
    """One ontology module (structure, deontic, ...) and its terms."""

    name: str
    iri: str
    title: str
    description: str
    colour: str
    terms: list[Term] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"module-{self.name}"

    @property
    def classes(self) -> list[Term]:
        return [t for t in self.terms if t.is_class]

    @property
    def properties(self) -> list[Term]:
        return [t for t in self.terms if not t.is_class]


@dataclass
class Concept:
    anchor: str
    iri: str
    curie: str
    label: str
    depth: int
    notation: list[str]
    alt_labels: list[str]
    definitions: list[str]
    rows: list[tuple[str, list[Val]]]


@dataclass
class Scheme:
    anchor: str
    iri: str
    curie: str
    label: str
    definitions: list[str]
    rows: list[tuple[str, list[Val]]]
    concepts: list[Concept]


@dataclass
class SparqlCheck:
    anchor: str
    name: str
    message: str
    severity: str
    query: str


@dataclass
class PropertyShapeDoc:
    anchor: str
    name: str
    named: bool
    path: Val
    path_text: str
    severity: str
    constraints: list[Constraint]
    message: str
    description: str
    sparql: list[SparqlCheck]
    elsewhere: str = ""  # set when the shape is described under another node shape


@dataclass
class NodeShapeDoc:
    anchor: str
    curie: str
    targets: list[tuple[str, Val]]
    target_queries: list[str]
    severity: str
    comments: list[str]
    constraints: list[Constraint]
    message: str
    properties: list[PropertyShapeDoc]
    sparql: list[SparqlCheck]
    used_via: list[Val]


@dataclass
class ShapeGroup:
    anchor: str
    title: str
    target: Val | None
    intro: str
    shapes: list[NodeShapeDoc] = field(default_factory=list)
    see_also: list[Val] = field(default_factory=list)


def flatten(val: Val | Inline) -> str:
    """A value as plain text (``tkg:a / tkg:b``), to sort by and to compare."""
    if isinstance(val, Inline):
        return "[" + (flatten(val.path) if val.path else "") + "]"
    inner = val.sep.join(flatten(i) for i in val.items) if val.items else val.text
    return val.before + inner + val.after
