"""The canned queries: ``queries/*.rq`` files with a metadata header, and safe parameter binding.

A query file starts with ``# key: value`` header lines (``title``, ``question``, ``param``,
``column``), then plain SPARQL 1.1. Parameters are SPARQL variables of the same name. A value the
user gives is first *resolved* to an RDF term that exists in the dataset (a provision IRI, a
stakeholder IRI, ...) or parsed into a typed literal, then bound by a trailing ``VALUES`` clause
written by the term serialiser. User text is never pasted into query text, so a value such as
``} ; DROP ALL ; #`` can only fail to resolve.

>>> q = CannedQuery.parse("demo", "# title: Demo\\n# question: What?\\n"
...     "# param: provision | provision | art_24 | The provision\\n# column: part | A part\\n"
...     "SELECT ?provision ?part WHERE { ?part <https://w3id.org/treatykg/ontology#partOf> ?provision }")
>>> q.params[0].name, q.params[0].kind, q.params[0].default
('provision', 'provision', 'art_24')
>>> q.bind({"provision": Term("uri", "https://w3id.org/treatykg/uncc/art_24")}).splitlines()[-1]
'VALUES ?provision { <https://w3id.org/treatykg/uncc/art_24> }'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from ..model.iri import PREFIXES, UNCC, EIdError, provision_eid, slugify, sparql_prefixes
from ..model.sources import data_root
from .store import QueryResult, Store, Term

STAKEHOLDER_KINDS = PREFIXES["stkind"].rstrip("/")  # the SKOS scheme of stakeholder kinds

PARAM_KINDS = ("provision", "stakeholder", "document", "string", "integer", "basis", "stakeholder-kind")
#: Parameter kinds whose value may be "any" (no restriction): they are bound to ``?<name>Asked``,
#: which the query tests, so that its own ``?<name>`` column can show each row's value.
ASKED_KINDS = ("basis", "stakeholder-kind")
#: The values a ``basis`` parameter accepts (issue 15: a claim's link to a provision is *cited* where
#: the source names the provision, *inferred* where we linked an unnumbered passage ourselves;
#: canned answers count cited links unless asked for ``any``).
BASIS_VALUES = ("cited", "inferred", "any")
MAX_VALUE_LENGTH = 500
_HEADER = re.compile(r"^#\s*(title|question|param|column)\s*:\s*(.*)$")
_BIND_MARKER = re.compile(r"^([ \t]*)# @bind((?:[ \t]+[a-z][A-Za-z0-9_]*)*)[ \t]*$", re.MULTILINE)
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LIMIT = re.compile(r"^\s*(LIMIT|OFFSET)\b", re.IGNORECASE | re.MULTILINE)
#: The largest page size a caller may ask for (a bigger page is the whole answer: no --limit).
MAX_PAGE = 100_000


class CatalogueError(ValueError):
    """An unknown query, parameter or value; ``str()`` is one line, with close matches."""


class Page(NamedTuple):
    """A slice of a query's ordered rows: ``limit`` rows after skipping ``offset``.

    Listing queries (whose rows grow with the graph) are read a page at a time, as a reader or a
    web page would; the engine can then stop early (decision 47)."""

    limit: int
    offset: int = 0

    @classmethod
    def of(cls, limit: int | str, offset: int | str = 0) -> Page:
        """Checked construction from user input; a bad value is a one-line CatalogueError."""
        values = []
        for name, raw in (("limit", limit), ("offset", offset)):
            text = str(raw).strip()
            if not re.fullmatch(r"\d{1,9}", text):
                raise CatalogueError(f"--{name}: expected a whole number >= 0, got {str(raw)[:40]!r}")
            values.append(int(text))
        if not 1 <= values[0] <= MAX_PAGE:
            raise CatalogueError(f"--limit: expected 1 to {MAX_PAGE}, got {values[0]}")
        return cls(values[0], values[1])


class Param(NamedTuple):
    name: str
    kind: str
    default: str
    description: str

    @property
    def variable(self) -> str:
        """The SPARQL variable the value is bound to: the parameter's name, except for a ``basis``
        parameter, bound to ``?basisAsked`` so that the query's ``?basis`` column can show each
        link's own basis (cited or inferred) while the parameter says which ones to keep. The same
        holds for a ``stakeholder-kind`` parameter (``?kindAsked``, which may be "any")."""
        return self.name + "Asked" if self.kind in ASKED_KINDS else self.name


class CannedQuery(NamedTuple):
    """One ``queries/<name>.rq`` file. (NamedTuples here, not dataclasses: the query path must
    not import ``dataclasses``, ~15 ms; decision 46.)"""

    name: str
    title: str
    question: str
    params: list[Param]
    columns: list[tuple[str, str]]
    text: str  # the SPARQL, without the header

    @classmethod
    def parse(cls, name: str, source: str) -> CannedQuery:
        title = question = ""
        params: list[Param] = []
        columns: list[tuple[str, str]] = []
        body: list[str] = []
        in_header = True
        for line in source.splitlines():
            match = _HEADER.match(line) if in_header else None
            if match:
                key, value = match.groups()
                if key == "title":
                    title = value.strip()
                elif key == "question":
                    question = value.strip()
                elif key == "param":
                    parts = [p.strip() for p in value.split("|")]
                    if len(parts) != 4 or parts[1] not in PARAM_KINDS:
                        raise CatalogueError(f"queries/{name}.rq: bad param line {line!r}")
                    params.append(Param(*parts))
                else:
                    col, _, description = value.partition("|")
                    columns.append((col.strip(), description.strip()))
                continue
            if line.strip() and not line.startswith("#"):
                in_header = False
            body.append(line)
        if not title or not question:
            raise CatalogueError(f"queries/{name}.rq: header needs '# title:' and '# question:'")
        return cls(name, title, question, params, columns, "\n".join(body).strip() + "\n")

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise CatalogueError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bind(self, values: dict[str, Term], page: Page | None = None) -> str:
        """The query text with a VALUES clause binding each resolved parameter, and the LIMIT and
        OFFSET of ``page`` after its ORDER BY.

        By default the clause is appended after the query (SPARQL's trailing VALUES, which joins
        with the finished result). A query may instead mark where the binding belongs with
        comment lines ``# @bind`` inside its patterns: each is replaced by the clause, so the
        engine restricts early (``critics`` at 10x: 10.9 s with a trailing VALUES, 72 ms bound
        inside its two branches, same rows). A marker may name the variables it binds
        (``# @bind basisAsked``); a bare marker binds every parameter no named marker binds, so a
        query can bind one parameter where its patterns start and another inside an inner group.
        Either way no value is spliced into the text unchecked (``_serialise``)."""
        text = self.text if page is None else self._paged(page)
        if not values:
            return text
        variables = {p.name: p.variable for p in self.params}
        values = {variables.get(name, name): term for name, term in values.items()}
        markers = list(_BIND_MARKER.finditer(text))
        if not markers:
            return text.rstrip() + "\n" + _values_clause(values)
        named = {name for m in markers for name in m.group(2).split()}
        unknown = named - {p.variable for p in self.params}
        if unknown:
            raise CatalogueError(f"queries/{self.name}.rq: '# @bind' names unknown parameter(s) {sorted(unknown)}")
        rest = {k: v for k, v in values.items() if k not in named}

        def clause(match: re.Match[str]) -> str:
            names = match.group(2).split()
            chosen = {k: values[k] for k in names if k in values} if names else rest
            return match.group(1) + (_values_clause(chosen) if chosen else "# (not bound)")

        return _BIND_MARKER.sub(clause, text)

    def _paged(self, page: Page) -> str:
        """The text with ``LIMIT``/``OFFSET`` appended: solution modifiers come after ORDER BY and
        before a trailing VALUES clause, which SPARQL joins before slicing (§18.2.4-5), so a page
        of a parameterised query is a page of its bound answer. The numbers are checked ints."""
        if _LIMIT.search(self.text):
            raise CatalogueError(f"query {self.name!r} sets its own LIMIT and cannot be paged")
        offset = f" OFFSET {int(page.offset)}" if page.offset else ""
        return self.text.rstrip() + f"\nLIMIT {int(page.limit)}{offset}"


def _values_clause(values: dict[str, Term]) -> str:
    """``VALUES ?a { t }`` or ``VALUES (?a ?b) { (t u) }``."""
    terms = " ".join(_serialise(term) for term in values.values())
    if len(values) == 1:
        return f"VALUES ?{next(iter(values))} {{ {terms} }}"
    names = " ".join(f"?{name}" for name in values)
    return f"VALUES ({names}) {{ ({terms}) }}"


def _serialise(term: Term) -> str:
    """An RDF term in SPARQL syntax. IRIs are checked against a strict pattern and literals are
    escaped, so no value can leave its term (they come from resolution, not from the user)."""
    if term.kind == "uri":
        if not _SAFE_IRI.match(term.value):
            raise CatalogueError(f"refusing to bind unsafe IRI {term.value!r}")
        return f"<{term.value}>"
    if term.kind == "literal":
        return term.n3()
    raise CatalogueError("blank nodes cannot be bound as parameters")


class Catalogue:
    """All shipped canned queries, and the resolution of parameter values against a store."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or data_root() / "queries"
        self._queries: dict[str, CannedQuery] | None = None
        self._read: dict[str, CannedQuery] = {}  # queries read one by one (see get)

    @property
    def queries(self) -> dict[str, CannedQuery]:
        if self._queries is None:
            self._queries = {
                path.stem: CannedQuery.parse(path.stem, path.read_text(encoding="utf-8"))
                for path in sorted(self.directory.glob("*.rq"))
            }
        return self._queries

    def get(self, name: str) -> CannedQuery:
        """Query ``name``; only its own file is read unless the whole catalogue already was (a CLI
        query should not parse twenty files to run one)."""
        if name in self._read:
            return self._read[name]
        if self._queries is None and _NAME.match(name):
            path = self.directory / f"{name}.rq"
            if path.is_file():
                self._read[name] = CannedQuery.parse(name, path.read_text(encoding="utf-8"))
                return self._read[name]
        if name not in self.queries:
            raise CatalogueError(f"unknown query {name!r}{_suggest(name, list(self.queries))}")
        return self.queries[name]

    def run(
        self, store: Store, name: str, params: dict[str, str] | None = None, page: Page | None = None
    ) -> QueryResult:
        """Resolve ``params`` (defaults for the rest) against ``store`` and run query ``name``;
        ``page`` returns only that slice of the ordered rows."""
        return store.query(self.bound_text(store, name, params, page))

    def bound_text(
        self, store: Store, name: str, params: dict[str, str] | None = None, page: Page | None = None
    ) -> str:
        """The text of query ``name`` with its parameters resolved against ``store`` and bound."""
        query = self.get(name)
        given = dict(params or {})
        for key in given:
            query.param(key)  # unknown parameter names fail here
        bound: dict[str, Term] = {}
        for param in query.params:
            raw = given.get(param.name, param.default)
            if raw == "":
                raise CatalogueError(f"query {name!r} needs --param {param.name}=... ({param.description})")
            bound[param.name] = resolve(store, param, raw)
        return query.bind(bound, page)

    def count(self, store: Store, name: str, params: dict[str, str] | None = None) -> int:
        """How many rows the whole (unpaged) answer has, so a page can say "rows 1-100 of 2,318".

        The bound query becomes a sub-select of a ``COUNT(*)``: a SPARQL sub-select may carry its
        own ORDER BY and trailing VALUES, so only the prologue (PREFIX/BASE lines) moves out."""
        prologue, body = split_prologue(self.bound_text(store, name, params))
        result = store.query(f"{prologue}SELECT (COUNT(*) AS ?rows) WHERE {{\n{body}\n}}")
        return int(result.rows[0]["rows"].value) if result.rows else 0


def split_prologue(text: str) -> tuple[str, str]:
    """``(PREFIX and BASE declarations, the rest)`` of a query, found with the SPARQL tokenizer
    (a ``PREFIX`` inside a comment or string is not a declaration)."""
    from ..util.sparqltext import iter_tokens

    for token in iter_tokens(text, decode=False):
        if token.kind == "KEYWORD" and token.text.upper() not in ("PREFIX", "BASE"):
            return text[: token.start], text[token.start :]
    return text, ""


# --- resolving user values to RDF terms --------------------------------------------------------

_LOOKUPS = {
    "provision": """SELECT DISTINCT ?item ?label WHERE {
        ?item a ?type . { ?item rdfs:label ?label } UNION { ?item skos:altLabel ?label }
        VALUES ?type { tkg:Treaty tkg:Preamble tkg:Chapter tkg:Article tkg:Paragraph tkg:Point }
        FILTER (STRSTARTS(STR(?item), "https://w3id.org/treatykg/uncc")) }""",
    "stakeholder": """SELECT DISTINCT ?item ?label WHERE {
        ?item a ?type . VALUES ?type { tkg:Organisation tkg:Person tkg:Stakeholder }
        { ?item rdfs:label ?label } UNION { ?item skos:altLabel ?label } }""",
    # the kinds a document or claim is grouped by: the top concepts of the scheme (queries fold a
    # narrower kind into its broader one)
    "stakeholder-kind": f"""SELECT DISTINCT ?item ?label WHERE {{
        ?item skos:topConceptOf <{STAKEHOLDER_KINDS}> .
        {{ ?item skos:prefLabel ?label }} UNION {{ ?item skos:altLabel ?label }} }}""",
    "document": """SELECT DISTINCT ?item ?label WHERE {
        ?item a tkg:StatementDocument .
        { ?item rdfs:label ?label } UNION { ?item dct:title ?label } UNION { ?item tkg:sourceFile ?label } }""",
}


def known_entities(store: Store, kind: str) -> dict[str, list[str]]:
    """IRI -> labels of every entity of ``kind`` in the store (a fixed query, no user input)."""
    result = store.query(sparql_prefixes(["tkg", "rdfs", "skos", "dct"]) + _LOOKUPS[kind])
    entities: dict[str, list[str]] = {}
    for row in result.rows:
        entities.setdefault(row["item"].value, []).append(row["label"].value)
    return entities


def resolve(store: Store, param: Param, raw: str) -> Term:
    """Turn what the user typed into an RDF term, or fail with one line and close matches."""
    value = raw.strip()
    if len(value) > MAX_VALUE_LENGTH or "\n" in value or "\r" in value:
        shown = value[:40].replace("\n", "\\n")
        raise CatalogueError(f"--param {param.name}: value too long or multi-line ({shown!r}...)")
    if param.kind == "basis":
        if value.casefold() not in BASIS_VALUES:
            raise CatalogueError(f"--param {param.name}: expected one of {', '.join(BASIS_VALUES)}, got {value[:40]!r}")
        return Term("literal", value.casefold())
    if param.kind == "stakeholder-kind":
        if value.casefold() == "any":
            return Term("literal", "any")
        return _resolve_kind(param, value, known_entities(store, param.kind))
    if param.kind == "string":
        return Term("literal", value)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,9}", value):
            raise CatalogueError(f"--param {param.name}: expected a whole number, got {value!r}")
        return Term("literal", str(int(value)), "http://www.w3.org/2001/XMLSchema#integer")
    entities = known_entities(store, param.kind)
    if param.kind == "provision":
        return _resolve_provision(param, value, entities)
    return _resolve_named(param, value, entities)


def _resolve_provision(param: Param, value: str, entities: dict[str, list[str]]) -> Term:
    if value.rstrip("/") == UNCC.rstrip("/") or value.lower() in ("convention", "uncc", "the convention"):
        return Term("uri", UNCC.rstrip("/"))
    try:
        iri = UNCC + provision_eid(value)
    except EIdError:
        iri = ""
    if iri in entities:
        return Term("uri", iri)
    if iri:
        # A source's own pin-cite kept as an alternative label (the joint letter's "53(h)" for
        # Article 53(3)(h)) finds the provision it names: a reader types what the source wrote.
        aliased = sorted(item for item, names in entities.items() if iri in _label_iris(names))
        if len(aliased) == 1:
            return Term("uri", aliased[0])
    labels = {label: item for item, names in entities.items() for label in names}
    eids = {item[len(UNCC) :]: item for item in entities if item.startswith(UNCC)}
    hint = _suggest(value, list(labels) + list(eids)) or _suggest_relatives(iri, entities)
    what = "no such provision in the graph" if iri else "not a provision reference"
    raise CatalogueError(f"--param {param.name}: {what}: {value!r}{hint}")


def _label_iris(names: list[str]) -> set[str]:
    """The provision IRIs that a provision's labels spell ("Article 53(h)" -> .../art_53__point_h)."""
    out = set()
    for name in names:
        try:
            out.add(UNCC + provision_eid(name))
        except EIdError:
            continue
    return out


def _suggest_relatives(iri: str, entities: dict[str, list[str]]) -> str:
    """For a well-formed reference to a part that does not exist ("47(9)"): the nearest existing
    ancestor (Article 47) and its closest parts at the same level (Article 47(1), ...)."""
    if not iri:
        return ""
    import difflib  # only on the error path

    parts = iri[len(UNCC) :].split("__")
    depth = len(parts)
    while len(parts) > 1:
        parts.pop()
        parent = UNCC + "__".join(parts)
        if parent in entities:
            siblings = [item for item in entities if item.startswith(parent + "__") and item.count("__") == depth - 1]
            close = difflib.get_close_matches(iri, siblings, n=2, cutoff=0.0)
            names = [min(entities[item]) for item in [*close, parent]]
            return "; did you mean " + ", ".join(repr(name) for name in names) + "?"
    return ""


def _resolve_named(param: Param, value: str, entities: dict[str, list[str]]) -> Term:
    if value in entities:
        return Term("uri", value)
    namespace = PREFIXES["doc"] if param.kind == "document" else PREFIXES["stk"]
    candidates = [namespace + value]
    if param.kind == "stakeholder":
        candidates.append(PREFIXES["person"] + value)
    for candidate in candidates:
        if candidate in entities:
            return Term("uri", candidate)
    wanted = value.casefold()
    for item, labels in entities.items():
        if any(label.casefold() == wanted for label in labels) or item.rsplit("/", 1)[-1] == slugify(value):
            return Term("uri", item)
    names = [label for labels in entities.values() for label in labels]
    slugs = [item.rsplit("/", 1)[-1] for item in entities]
    raise CatalogueError(f"--param {param.name}: unknown {param.kind} {value!r}{_suggest(value, names + slugs)}")


def _resolve_kind(param: Param, value: str, entities: dict[str, list[str]]) -> Term:
    """A stakeholder kind by IRI, by the last part of its IRI (``ngo``) or by name."""
    wanted = value.casefold()
    for item, labels in entities.items():
        if wanted in (item.casefold(), item.rsplit("/", 1)[-1].casefold()) or any(
            label.casefold() == wanted for label in labels
        ):
            return Term("uri", item)
    slugs = sorted(item.rsplit("/", 1)[-1] for item in entities)
    raise CatalogueError(
        f"--param {param.name}: unknown stakeholder kind {value[:40]!r}; use any or one of {', '.join(slugs)}"
    )


def _suggest(value: str, choices: list[str]) -> str:
    import difflib  # only on the error path

    matches = difflib.get_close_matches(value, choices, n=3, cutoff=0.5)
    if not matches:
        lowered = value.casefold()
        matches = [c for c in choices if lowered and lowered in c.casefold()][:3]
    if not matches:
        # A misspelt slug ("eff-letr") still shares a word with the right one ("eff-briefing-...").
        words = {w for w in re.split(r"[^a-z0-9]+", value.casefold()) if len(w) >= 3}
        matches = [c for c in choices if words & set(re.split(r"[^a-z0-9]+", c.casefold()))][:3]
    return f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""


class Listing(NamedTuple):
    """A summary row for ``treatykg query --list`` and the README table."""

    name: str
    title: str
    question: str
    params: list[Param]


def listing(catalogue: Catalogue) -> list[Listing]:
    return [Listing(q.name, q.title, q.question, q.params) for q in catalogue.queries.values()]


#: The one label query (fixed text; the IRIs are bound by a VALUES clause written by the checked
#: serialiser, never pasted from a result). rdfs:label first, then skos:prefLabel, then dct:title
#: (documents), English or untagged before other languages.
_LABELS = """SELECT ?iri (MIN(?rdfsLabel) AS ?l1) (MIN(?prefLabel) AS ?l2) (MIN(?title) AS ?l3) WHERE {
  # @bind
  OPTIONAL { ?iri rdfs:label ?rdfsLabel FILTER (LANG(?rdfsLabel) IN ("", "en")) }
  OPTIONAL { ?iri skos:prefLabel ?prefLabel FILTER (LANG(?prefLabel) IN ("", "en")) }
  OPTIONAL { ?iri dct:title ?title FILTER (LANG(?title) IN ("", "en")) }
} GROUP BY ?iri"""
_LABEL_CHUNK = 500


def labels_for(store: Store, iris: set[str]) -> dict[str, str]:
    """rdfs:label (or skos:prefLabel, or dct:title) of each IRI, for human-readable tables and the
    ``--labels`` columns. One fixed query per 500 IRIs; the IRIs (from query results) are bound
    with ``VALUES ?iri { ... }`` through the same checked serialiser as parameters, so an IRI that
    is not a plain http(s) IRI is skipped, never spliced into the text."""
    safe = sorted(iri for iri in iris if _SAFE_IRI.match(iri))
    labels: dict[str, str] = {}
    prologue = sparql_prefixes(["rdfs", "skos", "dct"])
    for start in range(0, len(safe), _LABEL_CHUNK):
        terms = " ".join(_serialise(Term("uri", iri)) for iri in safe[start : start + _LABEL_CHUNK])
        text = prologue + _LABELS.replace("# @bind", f"VALUES ?iri {{ {terms} }}")
        for row in store.query(text).rows:
            label = row.get("l1") or row.get("l2") or row.get("l3")
            if label is not None:
                labels[row["iri"].value] = label.value
    return labels


def labelled(store: Store, result: QueryResult) -> QueryResult:
    """``result`` with a ``<column>_label`` column after every column holding IRIs (issue 17):
    for people who read names, not IRIs, in CSV, TSV and JSON (see :func:`formats.add_labels`)."""
    from .formats import add_labels, result_iris

    iris = result_iris(result)
    return add_labels(result, labels_for(store, iris) if iris else {})
