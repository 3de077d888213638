"""Store and withdraw contributed statements: checked under the lock, written durably.

A submission becomes one Turtle file ``<id>.ttl`` in the contribution directory
(:func:`treatykg.model.sources.contrib_dir`: ``graph/contrib/`` in a source checkout, the user data
directory after ``pip install``, or ``$TREATYKG_CONTRIB_DIR``); it is its own named graph in
exports and carries PROV-O provenance: when, from which files, by whom if given.

Why it is built this way:

- **Check under the lock.** :func:`check_and_add` takes the directory's exclusive lock, *then*
  checks the statements (contribution policy and shapes) against the graph with every submission
  stored so far, then writes. Two conflicting ``add`` s run at once are serialised: the second is
  checked against the first and refused, exactly as if it had run later.
- **Durable and atomic.** The file is written to a temporary file in the same directory, fsynced,
  renamed into place, and the directory fsynced; a crash or Ctrl-C leaves every existing file
  byte-identical. A writer killed between write and rename leaves a ``.<id>.ttl.<pid>.tmp``
  file; readers never load it (:func:`treatykg.model.sources.contrib_files`), and the next writer deletes
  it under the lock (every writer holds the lock while its temporary file exists, so any such file
  seen while holding the lock belongs to a dead writer).
- **Duplicates by a hash the tool computes.** The SHA-256 of the submitted files is written by the
  tool into the file's third header line (``# content-hash: <hex>``; the lines above it are the
  tool's own, with file names stripped of control characters) and into the bundle
  (``tkg:contentHash``). The duplicate check reads that header line, never the statements: a
  submission cannot forge another's hash (the policy refuses ``tkg:contentHash`` in submissions
  anyway). Submissions written before the header line existed are read through their bundle
  triple only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.iri import GRAPH_BASE, PREFIXES
from ..model.sources import contrib_dir, contrib_files

_HASH_LINE = re.compile(r"# content-hash: ([0-9a-f]{64})")
_TMP = re.compile(r"\..+\.ttl\.\d+\.tmp")


class ContribError(Exception):
    """A submission that cannot be stored or removed; ``str()`` is one line."""


@dataclass
class Submission:
    id: str
    path: Path

    @property
    def directory(self) -> Path:
        return self.path.parent


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on the contrib directory (fcntl; released on exit, even on crash), with
    the temporary files of dead writers cleaned first."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            clean_stale_temporary_files(directory)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_stale_temporary_files(directory: Path) -> list[Path]:
    """Delete the temporary files writers left behind; call only while holding the lock (a live
    writer holds it for as long as its temporary file exists). Returns what was deleted."""
    removed = []
    for path in directory.iterdir():
        if _TMP.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        _fsync_directory(directory)
    return removed


def _fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable (POSIX; a no-op where directories cannot be
    opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def content_hash(paths: list[Path]) -> str:
    """SHA-256 over the submitted files' bytes (sorted by name), computed by the tool."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _stored_hash(path: Path) -> str | None:
    """The content hash the tool recorded for a stored submission: its third header line, or, for
    a submission written before that line existed, the ``tkg:contentHash`` of its own bundle (and
    only when the bundle has exactly one)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = [handle.readline() for _ in range(3)]
    match = _HASH_LINE.fullmatch(head[2].rstrip("\n")) if head[0].startswith("# treatykg submission") else None
    if match:
        return match.group(1)
    from rdflib import Graph, URIRef

    from ..model.sources import SourceError, parse_turtle

    try:
        graph: Graph = parse_turtle(path)
    except SourceError:
        return None
    bundle = URIRef(GRAPH_BASE + "contrib/" + path.stem)
    values = list(graph.objects(bundle, URIRef(PREFIXES["tkg"] + "contentHash")))
    return str(values[0]) if len(values) == 1 and re.fullmatch(r"[0-9a-f]{64}", str(values[0])) else None


def _existing_hashes(directory: Path) -> dict[str, str]:
    found = {}
    for path in contrib_files(directory):
        digest = _stored_hash(path)
        if digest:
            found.setdefault(digest, path.stem)
    return found


def find_duplicate(files: list[Path]) -> str | None:
    """The id of an existing submission made from the same file contents, if any."""
    return _existing_hashes(contrib_dir()).get(content_hash(files))


def check_and_add(
    files: list[Path],
    strict: bool = False,
    note: str | None = None,
    author: str | None = None,
    now: dt.datetime | None = None,
):
    """Check ``files`` and store them as a new submission if they conform, all under the lock.

    Returns ``(report, submission)``: the :class:`treatykg.statements.check.CheckReport`, and the stored
    :class:`Submission`, or None when the statements do not conform (nothing written). Raises
    :class:`ContribError` for a duplicate, :class:`treatykg.model.sources.SourceError` or OSError for
    unreadable input."""
    from .check import check_statements

    files = [Path(f) for f in files]
    directory = contrib_dir()
    digest = content_hash(files)
    with _locked(directory):
        _refuse_duplicate(directory, digest)
        # The check sees every submission stored so far (the build cache is keyed by the files).
        report = check_statements(files)
        if not report.conforms(strict):
            return report, None
        return report, _write(directory, report.statements, files, digest, note, author, now)


def add(
    statements, files: list[Path], note: str | None = None, author: str | None = None, now: dt.datetime | None = None
) -> Submission:
    """Store already checked ``statements`` (statements.Statements) as a new submission file.
    Prefer :func:`check_and_add`, which checks under the same lock."""
    directory = contrib_dir()
    digest = content_hash(files)
    with _locked(directory):
        _refuse_duplicate(directory, digest)
        return _write(directory, statements, files, digest, note, author, now)


def _refuse_duplicate(directory: Path, digest: str) -> None:
    duplicate = _existing_hashes(directory).get(digest)
    if duplicate:
        raise ContribError(f"these files were already added as submission {duplicate!r} (same content)")


def _printable(name: str) -> str:
    """A file name for a header comment: no control characters, so it cannot start a new line."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]", "?", name)


def _write(directory: Path, statements, files, digest, note, author, now) -> Submission:
    """Write one submission file durably; the caller holds the lock."""
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stem = re.sub(r"[^a-z0-9]+", "-", files[0].stem.lower()).strip("-") or "submission"
    submission_id = f"{now:%Y%m%dT%H%M%SZ}-{stem}"
    counter = 1
    while (directory / f"{submission_id}.ttl").exists():  # same second, same file name: never overwrite
        counter += 1
        submission_id = f"{now:%Y%m%dT%H%M%SZ}-{stem}-{counter}"
    target = directory / f"{submission_id}.ttl"
    graph_iri = URIRef(GRAPH_BASE + "contrib/" + submission_id)
    tkg, prov = Namespace(PREFIXES["tkg"]), Namespace(PREFIXES["prov"])
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in statements.graph:
        out.add(triple)
    out.add((graph_iri, RDF.type, prov.Bundle))
    out.add((graph_iri, prov.generatedAtTime, Literal(now.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)))
    for path in files:
        out.add((graph_iri, tkg.sourceFile, Literal(path.name)))
    out.add((graph_iri, tkg.contentHash, Literal(digest)))
    if note:
        out.add((graph_iri, URIRef(PREFIXES["skos"] + "note"), Literal(note, lang="en")))
    if author:
        out.add((graph_iri, URIRef(PREFIXES["dct"] + "creator"), Literal(author)))
    names = _printable(", ".join(p.name for p in files))
    header = (
        f"# treatykg submission {submission_id}: added by `treatykg add` from {names}.\n"
        f"# Remove it with `treatykg remove {submission_id}`; do not edit by hand.\n"
        f"# content-hash: {digest}\n"
    )
    tmp = directory / f".{target.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(header + out.serialize(format="turtle"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_directory(directory)
    finally:
        tmp.unlink(missing_ok=True)
    return Submission(submission_id, target)


def remove(submission_id: str) -> Path:
    """Withdraw a submission by id (the file is deleted under the lock, durably)."""
    directory = contrib_dir()
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*", submission_id):
        raise ContribError(f"not a submission id: {submission_id!r}")
    with _locked(directory):
        target = directory / f"{submission_id.removesuffix('.ttl')}.ttl"
        if not target.is_file():
            known = [p.stem for p in contrib_files(directory)]
            raise ContribError(f"no submission {submission_id!r} in {directory} (known: {', '.join(known) or 'none'})")
        dependants = _dependants(target, directory)
        if dependants:
            raise ContribError(
                f"submission {target.stem!r} cannot be removed: {', '.join(dependants)} link(s) to what it created "
                "(the graph would no longer conform); remove those first"
            )
        target.unlink()
        _fsync_directory(directory)
    return target


def _dependants(target: Path, directory: Path) -> list[str]:
    """The other stored submissions with a triple whose object is an IRI ``target`` describes.

    A submission may link to entities an earlier one created (a claim derived from a new
    document); withdrawing the earlier one alone would leave that link dangling and the graph no
    longer conforming (``treatykg validate`` fails, and the dependent claim loses its source).
    Read with pyoxigraph straight from the files (the tool wrote them), so no cache is needed."""
    import pyoxigraph as ox

    def triples(path: Path):
        try:
            with path.open("rb") as handle:
                yield from ox.parse(handle, format=ox.RdfFormat.TURTLE)
        except (SyntaxError, ValueError, OSError):
            return  # an unreadable file is reported by every other command; it links to nothing here

    created = {t.subject for t in triples(target) if isinstance(t.subject, ox.NamedNode)}
    created.discard(ox.NamedNode(GRAPH_BASE + "contrib/" + target.stem))  # the bundle is the tool's own
    found = []
    for path in contrib_files(directory):
        if path != target and any(t.object in created for t in triples(path)):
            found.append(path.stem)
    return found


def submissions() -> list[str]:
    return [p.stem for p in contrib_files(contrib_dir())]
