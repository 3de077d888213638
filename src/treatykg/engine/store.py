"""The query engines behind one small interface (:class:`Store`, :class:`QueryResult`): the
embedded pyoxigraph store, here, and any remote SPARQL 1.1 endpoint
(:class:`treatykg.engine.remote.RemoteStore`).

The embedded store is loaded from a build cache: the shipped Turtle files plus the triples the
rules derive, as one N-Quads file keyed on a hash of every source file. Building it parses Turtle
with pyoxigraph (not rdflib) and runs the rules there, so neither the first nor any later query
imports rdflib or pyshacl. Callers (catalogue, CLI, API) only see :class:`QueryResult`, so every
one of them works the same against the embedded store and a remote endpoint.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple, Protocol

from .. import __version__
from ..model.rules import DERIVED_GRAPH, rule_files
from ..model.sources import Kind, SourceError, iter_sources

DEFAULT_TIMEOUT = 60.0


class QueryError(Exception):
    """A query that the engine rejected or could not run; ``str()`` is one line."""


class Term(NamedTuple):
    """An RDF term in a result row, engine-neutral (the shape of SPARQL 1.1 JSON results).

    A NamedTuple rather than a dataclass: importing ``dataclasses`` (and ``inspect`` with it)
    costs ~15 ms, a tenth of the query path's budget (issue 9)."""

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


class QueryResult:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or RDF (CONSTRUCT/DESCRIBE)."""

    __slots__ = ("boolean", "form", "ntriples", "rows", "variables")

    def __init__(
        self,
        form: str,  # "select" | "ask" | "graph"
        variables: list[str] | None = None,
        rows: list[dict[str, Term]] | None = None,
        boolean: bool | None = None,
        ntriples: str = "",  # for graph results
    ) -> None:
        self.form = form
        self.variables = variables if variables is not None else []
        self.rows = rows if rows is not None else []
        self.boolean = boolean
        self.ntriples = ntriples

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def __repr__(self) -> str:
        return f"QueryResult({self.form!r}, {len(self.rows)} rows, boolean={self.boolean!r})"

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
    import hashlib

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
    stats, and then the contents are hashed again. The key is the stat list itself, not a hash of
    it: exact, and the warm query path need not import hashlib."""
    parts = [__version__]
    for name, path in files:
        stat = path.stat()
        parts.append(f"{name} {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(parts)


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


def derive_extra(store) -> int:
    """Run the rules again over ``store`` (the shipped dataset plus ``--with`` files) and add, to the
    derived graph, each derived triple no graph holds yet; returns how many were added.

    Without this, a claim in a ``--with`` file that states only ``tkg:about`` had no
    ``tkg:aboutCited`` (the rule ``about-cited.rq`` adds it at build time) and no derived stance:
    queries that read the link's property (``compare``, the criticism picture) missed it while
    others listed it. Triples already present in some graph are skipped, so a query over the union
    default graph does not see a derived triple twice (pyoxigraph's union keeps one solution per
    graph holding the triple)."""
    import pyoxigraph as ox

    derived = ox.NamedNode(DERIVED_GRAPH)
    added = 0
    for rule in rule_files():
        for triple in list(store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True)):
            if next(store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None), None) is None:
                store.add(ox.Quad(triple.subject, triple.predicate, triple.object, derived))
                added += 1
    return added


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
    _remove_stale(directory, keep=target.stem)
    return target


def _remove_stale(directory: Path, keep: str) -> None:
    """Delete cache entries (snapshots and on-disk stores) built from other sources than ``keep``
    (a ``dataset-<fingerprint>`` stem). A process still reading a deleted store keeps its open
    files (POSIX), so this never breaks a running query."""
    import shutil

    fingerprint = keep.removeprefix("dataset-")
    for stale in [*directory.glob("dataset-*"), *directory.glob("with-*")]:
        if fingerprint in stale.name:
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


#: Files given with ``--with`` whose total size exceeds this are compiled, with the shipped
#: dataset, into an on-disk store in the cache (built once, then opened read-only) instead of
#: being loaded in memory on every run: an in-memory store holds every quad with its indexes
#: (~424 MB at 830 k quads, BENCHMARKS.md), and re-parsing a 180 MB file costs seconds each time.
LARGE_EXTRA_BYTES = 64 * 1024 * 1024
#: How many such combined stores the cache keeps (least recently built are removed first).
KEEP_COMBINED_STORES = 3


def cached_store_path(rebuild: bool = False) -> Path:
    """The build cache as an on-disk pyoxigraph store (``dataset-<fingerprint>.oxigraph/``, beside
    the N-Quads snapshot and built from it), for callers that open it read-only: opening takes a
    few milliseconds where loading the snapshot in memory takes ~45 ms (decision 46)."""
    snapshot = cached_dataset_path(rebuild)
    target = snapshot.with_suffix(".oxigraph")
    if rebuild and target.is_dir():
        import shutil

        shutil.rmtree(target)  # a reader keeps its open files; the rename below needs the name
    if not target.is_dir():
        _build_disk_store(target, [(snapshot, None)])
    return target


def cached_combined_store_path(extra: list[tuple[Path | str, str]]) -> Path:
    """An on-disk store holding the shipped dataset and the ``extra`` files, keyed on the sources'
    fingerprint and each extra file's resolved path, size and modification time (like make: a
    changed file is a new key; a 2 GB file is not hashed on every run). Built once, with a spinner
    when it takes more than a second, then opened read-only."""
    import hashlib

    snapshot = cached_dataset_path()
    digest = hashlib.sha256()
    for path, graph in extra:
        resolved = Path(path).resolve()
        stat = resolved.stat()
        digest.update(f"{resolved}\0{stat.st_size}\0{stat.st_mtime_ns}\0{graph}\0".encode())
    fingerprint = snapshot.stem.removeprefix("dataset-")
    target = snapshot.with_name(f"with-{fingerprint}-{digest.hexdigest()[:16]}.oxigraph")
    if not target.is_dir():
        import shutil

        _build_disk_store(target, [(snapshot, None), *[(Path(p), g) for p, g in extra]])
        built = sorted(snapshot.parent.glob("with-*.oxigraph"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in built[KEEP_COMBINED_STORES:]:
            shutil.rmtree(old, ignore_errors=True)
    return target


def _build_disk_store(target: Path, files: list[tuple[Path, str | None]]) -> None:
    """Bulk-load ``files`` ((path, graph IRI for triple formats)) into a new on-disk store built in
    a temporary directory and renamed into place, so a reader never sees a half-built store and a
    broken file leaves the cache as it was (the SourceError names the file)."""
    import gc
    import shutil

    import pyoxigraph as ox

    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)

    def work() -> None:
        store = ox.Store(str(tmp))
        try:
            for path, graph in files:
                _load_file(store, path, graph, bulk=True)
            if len(files) > 1:  # the shipped snapshot and --with files: derive over them too
                derive_extra(store)
            store.optimize()
            store.flush()
        finally:
            del store
            gc.collect()  # close RocksDB before the directory is renamed

    try:
        _with_progress(f"building the on-disk query store {target.name}", work)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        tmp.rename(target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not target.is_dir():
            raise
        # another process renamed its identical copy first: use that one


def _load_file(store, path: Path | str, graph: str | None, bulk: bool = False) -> None:
    """Load one RDF file into ``store``: triples into named graph ``graph``, quads as they are.
    Raises SourceError naming the file for an unknown type, a syntax error or an unreadable file."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
    if fmt is None:
        raise SourceError(path, "unknown RDF file type (use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
    target = {} if fmt.supports_datasets or graph is None else {"to_graph": ox.NamedNode(graph)}
    try:
        (store.bulk_load if bulk else store.load)(path=str(path), format=fmt, **target)
    except SyntaxError as exc:
        raise SourceError(path, f"syntax error: {' '.join(str(exc).split())}") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc}") from exc


def cached_union(derived: bool = False):
    """The shipped ontology + vocabularies + graph (and the derived graph if asked), read from the
    build cache, as (rdflib Graph, pyoxigraph Store) of the same triples, the store holding them
    in its default graph. Validation hands the graph to pySHACL and the store to the SHACL-SPARQL
    evaluator, so neither is converted from the other (~0.2 s; decision 48). Converting terms is
    4x faster than parsing the Turtle sources with rdflib, and gives the same triples (the cache
    is built from exactly those files). Raises SourceError for a broken source (file and line)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from ..model.sources import bind_prefixes
    from ..util.rdfconv import rdflib_term

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
    union = ox.Store()
    default = ox.DefaultGraph()
    kept = []
    for quad in store:
        if quad.graph_name != skip:
            add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
            kept.append(ox.Quad(quad.subject, quad.predicate, quad.object, default))
    union.extend(kept)
    return graph, union


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
    """The pyoxigraph store holding the build cache: in memory for long-lived callers (the API,
    ``check``, the web app: queries run 2-10x faster there), or the cache's on-disk store opened
    read-only for one-shot commands (opening costs milliseconds, loading ~45 ms; decision 46)."""

    describe = "embedded store"

    def __init__(self, store) -> None:
        self._store = store

    @classmethod
    def open(
        cls, rebuild: bool = False, extra: list[tuple[Path | str, str]] | None = None, read_only: bool = False
    ) -> EmbeddedStore:
        """Open the shipped dataset; ``extra`` is a list of (file, named graph IRI) to load beside it.

        ``read_only`` asks for the on-disk store (falling back to memory if the cache directory
        cannot hold one). Extra files larger than ``LARGE_EXTRA_BYTES`` in total always go to an
        on-disk store in the cache, so memory stays bounded whatever the user links in."""
        import pyoxigraph as ox

        extra = extra or []
        if extra and sum(_size(path) for path, _ in extra) > LARGE_EXTRA_BYTES:
            return cls(ox.Store.read_only(str(cached_combined_store_path(extra))))
        if read_only and not extra:
            try:
                return cls(ox.Store.read_only(str(cached_store_path(rebuild))))
            except OSError:
                pass  # e.g. a read-only cache directory without a store: load in memory instead
        store = ox.Store()
        # load, not bulk_load: 2.5x faster on the shipped graph (27 vs 70 ms; BENCHMARKS.md)
        store.load(path=str(cached_dataset_path(rebuild)), format=ox.RdfFormat.N_QUADS)
        cls.load_extra(store, extra)
        return cls(store)

    @staticmethod
    def load_extra(store, extra: list[tuple[Path | str, str]]) -> None:
        """Load each (file, graph IRI) into ``store``: triples into that named graph, quads as they
        are; then derive what the rules give on the user's files too (:func:`derive_extra`)."""
        for path, graph in extra:
            _load_file(store, path, graph)
        if extra:
            derive_extra(store)

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


def _size(path: Path | str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # reported by the loader, with the file's name


def _from_ox(term) -> Term:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    return Term("literal", term.value, term.datatype.value if term.datatype else None, term.language)
