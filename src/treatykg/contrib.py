"""Store and withdraw contributed statements, atomically.

``add`` checks the statements first and stores nothing unless they conform; a submission becomes
one Turtle file ``graph/contrib/<id>.ttl`` (its own named graph in exports) that carries PROV-O
provenance: when, from which file, by whom if given, and a content hash that detects the same
submission added twice. Writes go to a temporary file that is renamed into place under an
exclusive lock, so a failed check, a crash or Ctrl-C leaves every existing file byte-identical and
two concurrent ``add``s cannot interleave.
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

from .iri import GRAPH_BASE, PREFIXES
from .sources import contrib_dir


class ContribError(Exception):
    """A submission that cannot be stored or removed; ``str()`` is one line."""


@dataclass
class Submission:
    id: str
    path: Path


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on the contrib directory (fcntl; released on exit, even on crash)."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _existing_hashes(directory: Path) -> dict[str, str]:
    found = {}
    for path in directory.glob("*.ttl"):
        match = re.search(r'tkg:contentHash "([0-9a-f]{64})"', path.read_text(encoding="utf-8"))
        if match:
            found[match.group(1)] = path.stem
    return found


def find_duplicate(files: list[Path]) -> str | None:
    """The id of an existing submission made from the same file contents, if any."""
    directory = contrib_dir()
    return _existing_hashes(directory).get(content_hash(files)) if directory.is_dir() else None


def add(
    statements, files: list[Path], note: str | None = None, author: str | None = None, now: dt.datetime | None = None
) -> Submission:
    """Store checked ``statements`` (statements.Statements) as a new submission file."""
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    directory = contrib_dir()
    digest = content_hash(files)
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    with _locked(directory):
        duplicate = _existing_hashes(directory).get(digest)
        if duplicate:
            raise ContribError(f"these files were already added as submission {duplicate!r} (same content)")
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
        out.add(
            (graph_iri, prov.generatedAtTime, Literal(now.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime))
        )
        for path in files:
            out.add((graph_iri, tkg.sourceFile, Literal(path.name)))
        out.add((graph_iri, tkg.contentHash, Literal(digest)))
        if note:
            out.add((graph_iri, URIRef(PREFIXES["skos"] + "note"), Literal(note, lang="en")))
        if author:
            out.add((graph_iri, URIRef(PREFIXES["dct"] + "creator"), Literal(author)))
        header = (
            f"# treatykg submission {submission_id}: added by `treatykg add` from {', '.join(p.name for p in files)}.\n"
            "# Remove it with `treatykg remove " + submission_id + "`; do not edit by hand.\n"
        )
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(header + out.serialize(format="turtle"), encoding="utf-8")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return Submission(submission_id, target)


def remove(submission_id: str) -> Path:
    directory = contrib_dir()
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", submission_id):
        raise ContribError(f"not a submission id: {submission_id!r}")
    with _locked(directory):
        target = directory / f"{submission_id.removesuffix('.ttl')}.ttl"
        if not target.exists():
            known = sorted(p.stem for p in directory.glob("*.ttl"))
            raise ContribError(f"no submission {submission_id!r} (known: {', '.join(known) or 'none'})")
        target.unlink()
    return target


def submissions() -> list[str]:
    directory = contrib_dir()
    return sorted(p.stem for p in directory.glob("*.ttl")) if directory.is_dir() else []
