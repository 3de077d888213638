"""The query engines behind one small interface: the embedded pyoxigraph store and any remote
SPARQL 1.1 endpoint.

The embedded store is loaded from a build cache: the shipped Turtle files plus the triples the
rules derive, as one N-Quads file keyed on a hash of every source file. Building it parses Turtle
with pyoxigraph (not rdflib) and runs the rules there, so neither the first nor any later query
imports rdflib or pyshacl. Callers (catalogue, CLI, API) only see :class:`QueryResult`, so every
one of them works the same against the embedded store and a remote endpoint.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import __version__
from .rules import DERIVED_GRAPH, rule_files
from .sources import Kind, SourceError, iter_sources

DEFAULT_TIMEOUT = 60.0


class QueryError(Exception):
    """A query that the engine rejected or could not run; ``str()`` is one line."""


@dataclass(frozen=True)
class Term:
    """An RDF term in a result row, engine-neutral (the shape of SPARQL 1.1 JSON results)."""

    kind: str  # "uri" | "literal" | "bnode"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    def n3(self) -> str:
        """The term in N-Triples/Turtle syntax (used by TSV output)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = json.dumps(self.value, ensure_ascii=False)
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{self.datatype}>"
        return text


@dataclass
class QueryResult:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or RDF (CONSTRUCT/DESCRIBE)."""

    form: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str = ""  # for graph results

    def values(self) -> list[dict[str, str]]:
        """Rows as plain dicts of strings (IRIs in full, literals by lexical form)."""
        return [{name: term.value for name, term in row.items()} for row in self.rows]


class Store(Protocol):
    """What every engine offers. ``describe`` names the engine for messages."""

    describe: str

    def query(self, text: str, timeout: float | None = None) -> QueryResult: ...


# --- build cache --------------------------------------------------------------------------------


def cache_dir() -> Path:
    """``$TREATYKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/treatykg``, else ``~/.cache/treatykg``."""
    explicit = os.environ.get("TREATYKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "treatykg"


def _source_files() -> list[tuple[str, Path]]:
    files = [(s.relative, s.path) for s in iter_sources((Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH))]
    return files + [(f"rules/{p.name}", p) for p in rule_files()]


def source_fingerprint(files: list[tuple[str, Path]] | None = None) -> str:
    """A hash of every file the dataset is built from (content and path) and of the version, so
    the cache is rebuilt whenever anything it derives from changes, and never otherwise."""
    digest = hashlib.sha256(__version__.encode())
    for name, path in files if files is not None else _source_files():
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _stat_key(files: list[tuple[str, Path]]) -> str:
    """A cheap key from each file's path, size and modification time (no file is read). It only
    *finds* the content fingerprint recorded for the same stats; any change to a file changes its
    stats, and then the contents are hashed again."""
    digest = hashlib.sha256(__version__.encode())
    for name, path in files:
        stat = path.stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def _cache_target(directory: Path) -> Path:
    """The cache file for the current sources: by stat key when the sources are unchanged since
    the last run (no file read), by content fingerprint otherwise (recorded for next time)."""
    files = _source_files()
    key = _stat_key(files)
    index = directory / "index.json"
    try:
        known = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    fingerprint = known.get(key) if isinstance(known, dict) else None
    if not fingerprint or not (directory / f"dataset-{fingerprint}.nq").exists():
        fingerprint = source_fingerprint(files)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tmp = index.with_name(f".index.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({key: fingerprint}), encoding="utf-8")
            tmp.replace(index)
        except OSError:
            pass  # a read-only cache directory still works, it is just not faster
    return directory / f"dataset-{fingerprint}.nq"


def build_dataset_store():
    """Parse the shipped files into a fresh in-memory pyoxigraph store, one named graph per file,
    and add the derived graph. Raises SourceError naming the file (and line) of a broken file."""
    import pyoxigraph as ox

    store = ox.Store()
    for source in iter_sources((Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH)):
        try:
            store.load(path=str(source.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(source.graph_iri))
        except SyntaxError as exc:
            raise SourceError(source.path, f"syntax error: {exc}", getattr(exc, "lineno", None)) from exc
    derived = ox.NamedNode(DERIVED_GRAPH)
    for rule in rule_files():
        triples = list(store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True))
        store.extend(ox.Quad(t.subject, t.predicate, t.object, derived) for t in triples)
    return store


def cached_dataset_path(rebuild: bool = False) -> Path:
    """The N-Quads build cache for the current sources, built (atomically) if missing or stale."""
    import pyoxigraph as ox

    directory = cache_dir()
    target = _cache_target(directory)
    if target.exists() and not rebuild:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    store = _with_progress("building the query cache from the sources", build_dataset_store)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    store.dump(output=str(tmp), format=ox.RdfFormat.N_QUADS)
    tmp.replace(target)
    for stale in directory.glob("dataset-*.nq"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


def cached_union_graph(derived: bool = False):
    """The shipped ontology + vocabularies + graph (and the derived graph if asked) as one rdflib
    Graph, read from the build cache: 4x faster than parsing the Turtle sources with rdflib, and
    the same triples (the cache is built from exactly those files). Raises SourceError for a
    broken source, naming its file and line."""
    import pyoxigraph as ox
    from rdflib import Graph

    from .rdfconv import rdflib_term
    from .sources import bind_prefixes

    store = ox.Store()
    store.load(path=str(cached_dataset_path()), format=ox.RdfFormat.N_QUADS)
    skip = None if derived else ox.NamedNode(DERIVED_GRAPH)
    graph = Graph()
    bind_prefixes(graph)
    seen: dict = {}

    def convert(term):
        key = (type(term), term.value if not isinstance(term, ox.Literal) else str(term))
        found = seen.get(key)
        if found is None:
            found = seen[key] = rdflib_term(term)
        return found

    add = graph.add
    for quad in store:
        if quad.graph_name != skip:
            add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph


def _with_progress(message: str, work):
    """Run ``work()``; on a terminal, show a spinner on stderr if it takes more than a second."""
    import sys
    import threading

    if not sys.stderr.isatty():
        return work()
    done = threading.Event()

    def spin() -> None:
        if done.wait(1.0):
            return
        from rich.console import Console

        with Console(stderr=True).status(message):
            done.wait()

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        return work()
    finally:
        done.set()
        thread.join()


# --- engines --------------------------------------------------------------------------------------


class EmbeddedStore:
    """The in-memory pyoxigraph store, loaded from the build cache (N-Quads load is ~10 ms)."""

    describe = "embedded store"

    def __init__(self, store) -> None:
        self._store = store

    @classmethod
    def open(cls, rebuild: bool = False, extra: list[tuple[Path | str, str]] | None = None) -> EmbeddedStore:
        """Open the shipped dataset; ``extra`` is a list of (file, named graph IRI) to load beside it."""
        import pyoxigraph as ox

        store = ox.Store()
        # load, not bulk_load: 2.5x faster on the shipped graph (27 vs 70 ms; BENCHMARKS.md)
        store.load(path=str(cached_dataset_path(rebuild)), format=ox.RdfFormat.N_QUADS)
        cls.load_extra(store, extra or [])
        return cls(store)

    @staticmethod
    def load_extra(store, extra: list[tuple[Path | str, str]]) -> None:
        """Load each (file, graph IRI) into ``store``: triples into that named graph, quads as they are."""
        import pyoxigraph as ox

        for path, graph in extra:
            fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
            if fmt is None:
                raise SourceError(path, "unknown RDF file type (use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
            try:
                if fmt.supports_datasets:
                    store.load(path=str(path), format=fmt)
                else:
                    store.load(path=str(path), format=fmt, to_graph=ox.NamedNode(graph))
            except SyntaxError as exc:
                raise SourceError(path, f"syntax error: {exc}") from exc
            except OSError as exc:
                raise SourceError(path, f"cannot read file: {exc}") from exc

    @property
    def raw(self):
        """The underlying pyoxigraph.Store (for tests and benchmarks)."""
        return self._store

    def query(self, text: str, timeout: float | None = None) -> QueryResult:
        import pyoxigraph as ox

        try:
            result = self._store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {' '.join(str(exc).split())}") from exc
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                row = {}
                for name in variables:
                    term = solution[name]
                    if term is not None:
                        row[name] = _from_ox(term)
                rows.append(row)
            return QueryResult("select", variables, rows)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        text_out = result.serialize(format=ox.RdfFormat.N_TRIPLES)
        return QueryResult("graph", ntriples=text_out.decode("utf-8") if text_out else "")


def _from_ox(term) -> Term:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    return Term("literal", term.value, term.datatype.value if term.datatype else None, term.language)


class RemoteStore:
    """Any SPARQL 1.1 Protocol endpoint, through SPARQLWrapper. The endpoint must expose our named
    graphs as its default graph (union), as ``oxigraph serve --union-default-graph`` or Fuseki's
    ``unionDefaultGraph`` do; see the README."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise QueryError(f"--endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout
        self.describe = f"endpoint {endpoint}"

    def query(self, text: str, timeout: float | None = None) -> QueryResult:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setRequestMethod("postdirectly")  # application/sparql-query body: no URL length limit
        client.setTimeout(int(timeout or self.timeout))
        client.setQuery(text)
        try:
            if client.queryType.upper() in ("CONSTRUCT", "DESCRIBE"):
                # SPARQLWrapper has no N-Triples return format; ask for it by header, read raw.
                client.addCustomHttpHeader("Accept", "application/n-triples")
                raw = client.query().response.read()
                return QueryResult("graph", ntriples=raw.decode("utf-8"))
            client.setReturnFormat(JSON)
            data = client.query().convert()
        except SPARQLWrapperException as exc:
            raise QueryError(f"{self.describe}: {' '.join(str(exc).split())}") from exc
        except OSError as exc:
            raise QueryError(f"{self.describe}: cannot connect ({exc})") from exc
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        variables = list(data["head"].get("vars", []))
        rows = []
        for binding in data["results"]["bindings"]:
            row = {}
            for name, value in binding.items():
                kind = "uri" if value["type"] == "uri" else "bnode" if value["type"] == "bnode" else "literal"
                row[name] = Term(kind, value["value"], value.get("datatype"), value.get("xml:lang"))
            rows.append(row)
        return QueryResult("select", variables, rows)
