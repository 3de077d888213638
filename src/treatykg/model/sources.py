"""Find the shipped ontology, graph and query files, and load them as named graphs.

The same files are found in a source checkout (``ontology/``, ``graph/``, ``queries/`` at the
repository root) and in an installed wheel (``treatykg/data/...``), so every command behaves the
same after ``pip install .`` as in development. Each file becomes one named graph whose IRI is
derived from its path, so an export in TriG or N-Quads says where every triple was authored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from .iri import GRAPH_BASE, PREFIXES

#: Files larger than this are refused before parsing, so a hostile or mistaken input cannot
#: exhaust memory. The whole shipped graph is well under 1 MB.
MAX_INPUT_BYTES = 20 * 1024 * 1024


class Kind(str, Enum):
    """What a source file holds; decides which commands load it."""

    ONTOLOGY = "ontology"  # OWL terms and axioms
    VOCAB = "vocab"  # SKOS concept schemes
    SHAPES = "shapes"  # SHACL shapes (validation only, not part of the exported dataset)
    GRAPH = "graph"  # curated instance data


class SourceError(Exception):
    """An input file that cannot be read or parsed; ``str()`` is one line naming file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        name = path if isinstance(path, str) else str(self.path)  # a URL stays a URL (no "http:/")
        where = f"{name}:{line}" if line else name
        # File names and parser messages can carry a contributor's bytes: one printable line.
        from ..util.terminal import printable

        super().__init__(printable(f"{where}: {message}"))


class SourceFile(NamedTuple):
    """One shipped Turtle file and the named graph it becomes."""

    path: Path
    relative: str  # e.g. "convention/articles.ttl" under graph/, "ontology/structure.ttl"
    kind: Kind

    @property
    def graph_iri(self) -> str:
        """``https://w3id.org/treatykg/graph/<relative path without .ttl>``."""
        return GRAPH_BASE + self.relative.removesuffix(".ttl")


def data_root() -> Path:
    """The directory holding ``ontology/``, ``graph/`` and ``queries/``.

    Installed wheels carry them in ``treatykg/data``; a source checkout has them at the repository
    root, two levels above the package (``src/treatykg``).
    """
    package = Path(__file__).resolve().parents[1]
    packaged = package / "data"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = package.parents[1]
    if (checkout / "ontology").is_dir():
        return checkout
    raise FileNotFoundError("treatykg data files not found (neither treatykg/data nor a source checkout)")


def _kind_of(relative: str) -> Kind:
    if relative.startswith("ontology/shapes/"):
        return Kind.SHAPES
    if relative.startswith("ontology/vocab/"):
        return Kind.VOCAB
    if relative.startswith("ontology/"):
        return Kind.ONTOLOGY
    return Kind.GRAPH


#: Where contributions live inside a source checkout (and the one place under the data root that
#: never holds curated files, whichever contribution directory is in use).
CHECKOUT_CONTRIB = "graph/contrib"


def is_checkout(root: Path) -> bool:
    """True when ``root`` is a source checkout (the repository: ``pyproject.toml`` and
    ``src/treatykg`` beside the data), False for an installed package's ``treatykg/data``. Only a
    checkout may hold contributions in its own tree: an installed tree belongs to pip, and the next
    ``pip install`` deletes whatever was written into it, without a word."""
    return (root / "pyproject.toml").is_file() and (root / "src" / "treatykg").is_dir()


def contrib_dir_for(root: Path, environ: Mapping[str, str]) -> Path:
    """The contribution directory for data root ``root``: ``$TREATYKG_CONTRIB_DIR`` if set; else
    ``graph/contrib/`` in a source checkout; else the user's data directory by platform convention
    (``~/.local/share/treatykg/contrib`` on Linux, ``~/Library/Application Support/treatykg/contrib``
    on macOS, the local application data folder on Windows; platformdirs decides)."""
    explicit = environ.get("TREATYKG_CONTRIB_DIR")
    if explicit:
        return Path(explicit)
    if is_checkout(root):
        return root / CHECKOUT_CONTRIB
    import platformdirs

    return platformdirs.user_data_path("treatykg", appauthor=False) / "contrib"


def contrib_dir() -> Path:
    """Where ``treatykg add`` stores submissions and every reader (iter_sources, hence the build
    cache fingerprint, export, serve, validate) finds them: see :func:`contrib_dir_for`."""
    return contrib_dir_for(data_root(), os.environ)


def contrib_files(directory: Path) -> list[Path]:
    """The stored submissions in ``directory``: ``<id>.ttl`` files, sorted. Temporary files of a
    writer (``.<id>.ttl.<pid>.tmp``) and any other hidden file are never read."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.ttl") if not p.name.startswith(".") and p.is_file())


def iter_sources(kinds: Iterable[Kind] = (Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH)) -> Iterator[SourceFile]:
    """Every shipped Turtle file of the given kinds, in a stable (sorted) order, then the
    contributed submissions (:func:`contrib_dir`)."""
    wanted = set(kinds)
    root = data_root()  # already resolved
    contrib = contrib_dir().resolve()
    # Contributions inside the tree are skipped by their relative path: resolving every file instead
    # cost ~5 ms of a warm query's start (decision 46). graph/contrib/ is never curated, even when
    # $TREATYKG_CONTRIB_DIR points elsewhere (then its files are simply not in use).
    skipped = [CHECKOUT_CONTRIB + "/"]
    if contrib.is_relative_to(root):
        skipped.append(contrib.relative_to(root).as_posix() + "/")
    skipped_prefixes = tuple(skipped)
    for top in ("ontology", "graph"):
        for path in sorted((root / top).rglob("*.ttl")):
            rel_to_root = path.relative_to(root).as_posix()
            if rel_to_root.startswith(skipped_prefixes):
                continue
            kind = _kind_of(rel_to_root)
            if kind not in wanted:
                continue
            # Graph files are named without the "graph/" top directory: convention/articles.
            relative = rel_to_root.removeprefix("graph/")
            yield SourceFile(path=path, relative=relative, kind=kind)
    if Kind.GRAPH in wanted:
        # The shipped contributions (graph/contrib/ of the data root: added through `treatykg add`
        # in a checkout and released with the graph) are always part of the graph, then those of the
        # contribution directory in use, when it is another directory. Both are read as submissions
        # (origin "contrib:<id>"), never as curated files: a later submission may link to what they
        # created but not add to it, and an installed package never writes to its own tree.
        shipped = root / CHECKOUT_CONTRIB
        seen = set()
        for directory in (shipped, contrib) if contrib != shipped.resolve() else (shipped,):
            for path in contrib_files(directory):
                if path.name in seen:
                    continue  # the same submission id twice: the shipped one is read
                seen.add(path.name)
                yield SourceFile(path=path, relative=f"contrib/{path.name}", kind=Kind.GRAPH)


def parse_turtle(path: Path, graph=None, fmt: str | None = None):
    """Parse one RDF file into ``graph`` (a new rdflib Graph if None).

    Raises :class:`SourceError` with the file and, where the parser reports it, the line, so a
    broken file is reported as ``graph/x.ttl:12: ...`` rather than a stack trace. The file is read
    through :mod:`treatykg.model.inputs` (UTF-8 only, bounded, nothing fetched: a JSON-LD file given to
    ``treatykg validate`` cannot load a context either). The target graph is only changed when
    parsing succeeds.
    """
    from .inputs import parse_rdf, read_text

    path = Path(path)
    fmt = fmt or _format_for(path)
    text = read_text(path, MAX_INPUT_BYTES)
    try:
        scratch = parse_rdf(path, text, fmt, base=path.resolve().as_uri())
    except SourceError:
        raise
    except Exception as exc:  # any parser failure is bad input, reported on one line
        raise SourceError(path, f"cannot be read ({type(exc).__name__})") from None
    if graph is None:
        return scratch
    for triple in scratch:
        graph.add(triple)
    return graph


_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


def _format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise SourceError(path, f"unknown RDF file type {suffix!r} (expected one of {', '.join(_FORMATS)})")
    return _FORMATS[suffix]


def bind_prefixes(graph) -> None:
    """Bind the project's one prefix table on a graph or dataset (for readable serialisations)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def load_dataset(kinds: Iterable[Kind] = (Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH)):
    """All shipped files of the given kinds as an rdflib Dataset, one named graph per file."""
    from rdflib import Dataset, URIRef

    dataset = Dataset()
    bind_prefixes(dataset)
    for source in iter_sources(kinds):
        parse_turtle(source.path, dataset.graph(URIRef(source.graph_iri)))
    return dataset


def load_union(kinds: Iterable[Kind] = (Kind.ONTOLOGY, Kind.VOCAB, Kind.GRAPH), extra: Iterable[Path] = ()):
    """All shipped files of the given kinds, plus ``extra`` files, merged into one rdflib Graph."""
    from rdflib import Graph

    graph = Graph()
    bind_prefixes(graph)
    for source in iter_sources(kinds):
        parse_turtle(source.path, graph)
    for path in extra:
        parse_turtle(Path(path), graph)
    return graph
