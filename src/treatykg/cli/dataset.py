"""``treatykg validate``, ``export``, ``build``, ``docs`` and ``push``: the shipped dataset checked,
written in the standard serialisations, published as a site's ``dist/``, documented, or loaded
into a Graph Store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import (
    EPILOG,
    EPILOG_USAGE,
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    command,
    os_errors,
    print_verdict,
    reported,
    with_graph_iri,
)


def _validate(args: argparse.Namespace) -> int:
    from ..model.sources import SourceError
    from ..validation.shacl import format_text, validate_shipped

    with reported(SourceError):
        report = validate_shipped(extra_files=[Path(f) for f in args.files])
    text = format_text(report, strict=args.strict)
    print_verdict(text, style="green" if report.conforms(args.strict) else "red")
    return EXIT_OK if report.conforms(args.strict) else EXIT_FAILED


def _export(args: argparse.Namespace) -> int:
    from ..model.sources import SourceError
    from ..publish.export import export

    fmt, problem = _export_format(args.format, args.output)
    if problem:
        raise CommandError(problem)
    with reported(SourceError), os_errors(f"cannot write {args.output}"):
        text = export(fmt, Path(args.output) if args.output else None)
    if args.output:
        print(f"wrote {args.output} ({len(text.encode())} bytes, {fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _export_format(asked: str | None, output: str | None) -> tuple[str, str | None]:
    """``(format, None)``, or ``("", one-line problem)``: ``-o`` names the format by its extension
    (``dataset.nt`` is N-Triples); a ``--format`` that says otherwise is refused, not obeyed, so a
    file never holds another format than its name says. Without either: Turtle."""
    from ..publish.export import EXTENSIONS, FORMAT_NAMES

    suffix = Path(output).suffix.lower() if output else ""
    implied = EXTENSIONS.get(suffix)
    if asked and implied and asked != implied:
        return "", (
            f"-o {output} names {FORMAT_NAMES[implied]} but --format {asked} asks for {FORMAT_NAMES[asked]}; "
            f"drop --format or name the file {_extension_for(asked)}"
        )
    return asked or implied or "ttl", None


def _extension_for(fmt: str) -> str:
    from ..publish.export import EXTENSIONS

    return next(ext for ext, name in EXTENSIONS.items() if name == fmt)


def _push(args: argparse.Namespace) -> int:
    import getpass

    from ..model.sources import SourceError
    from ..publish.push import Credentials, PushError, push

    credentials = Credentials.from_env(args.user, args.auth)
    if args.user is not None and credentials.password is None and not credentials.token and sys.stdin.isatty():
        credentials = Credentials(args.user, getpass.getpass(f"password for {args.user}: "), scheme=args.auth)

    def progress(index: int, total: int, graph: str, count: int) -> None:
        where = f"{index}/{total}" if total else f"--with chunk {index}"
        print(f"[{where}] {graph} ({count} triples)", file=sys.stderr)

    extra = [(path, with_graph_iri(path)) for path in args.with_files or []]
    with reported(PushError, SourceError):
        done = push(args.endpoint, credentials, args.graph, args.timeout, progress, extra)
    total = sum(count for _graph, count in done)
    print(f"pushed {len(done)} graph(s), {total} triples, to {args.endpoint}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    import time

    from ..model.sources import SourceError
    from ..publish.export import build

    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:5.1f} s] {message}", file=sys.stderr)

    with reported(SourceError), os_errors(f"cannot write {args.output}"):
        files = build(Path(args.output), endpoint=args.endpoint, progress=progress)
    for path in files:
        print(f"{path} ({path.stat().st_size} bytes)")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    from ..model.sources import SourceError
    from ..publish.docgen import build_docs

    with reported(SourceError), os_errors(f"cannot write {args.output}"):
        files = build_docs(Path(args.output))
    for path in files:
        print(path)
    return EXIT_OK


def register_validate(sub) -> None:
    validate = command(sub, "validate", "validate the shipped graph (and any FILES) against the SHACL shapes", EPILOG)
    validate.add_argument("files", nargs="*", metavar="FILE", help="extra RDF files to validate with the graph")
    validate.add_argument("--strict", action="store_true", help="treat warnings as failures")
    validate.set_defaults(func=_validate)


def register_export(sub) -> None:
    from ..publish.export import FORMATS

    export = command(
        sub,
        "export",
        "write ontology + graph as one dataset",
        "the format follows -o's extension: .ttl Turtle, .nt N-Triples, .nq N-Quads, .trig TriG,\n"
        ".jsonld/.json JSON-LD, .rdf/.xml/.owl RDF/XML; a --format that contradicts it is refused\n\n" + EPILOG_USAGE,
    )
    export.add_argument(
        "--format",
        "-f",
        choices=sorted(FORMATS),
        help="serialisation (default: from -o's extension, else ttl); rdfxml is RDF/XML",
    )
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(func=_export)


def register_build(sub) -> None:
    build = command(
        sub,
        "build",
        "write dist/: the dataset in Turtle, N-Triples, N-Quads, TriG, JSON-LD, its @context and VoID/DCAT",
    )
    build.add_argument("--output", "-o", default="dist", metavar="DIR", help="output directory (default: dist)")
    build.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint serving the dataset, recorded in VoID")
    build.set_defaults(func=_build)


def register_docs(sub) -> None:
    docs = command(
        sub, "docs", "write the ontology, vocabulary and shapes reference with a model diagram (HTML) to dist/docs/"
    )
    docs.add_argument("--output", "-o", default="dist/docs", metavar="DIR", help="output directory")
    docs.set_defaults(func=_docs)


def register_push(sub) -> None:
    push = command(
        sub,
        "push",
        "load the dataset into a store via the SPARQL 1.1 Graph Store Protocol, replacing only our graphs",
        EPILOG_USAGE
        + "\ncredentials: --user NAME with TREATYKG_PUSH_PASSWORD (or a prompt), or TREATYKG_PUSH_TOKEN (bearer)\n"
        + "\nendpoints:\n"
        + "  Oxigraph   http://HOST:7878/store\n"
        + "  Fuseki     http://HOST:3030/DATASET/data  (Basic auth when secured)\n"
        + "  Virtuoso   http://HOST:8890/sparql-graph-crud-auth  (Digest auth; --user dba or a SPARQL_UPDATE user)\n"
        + "  GraphDB    http://HOST:7200/repositories/REPO/rdf-graphs/service\n",
    )
    push.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), http://host:3030/ds/data (Fuseki)",
    )
    push.add_argument("--graph", metavar="IRI", help="put everything into this one named graph instead")
    push.add_argument("--user", metavar="NAME", help="HTTP authentication user (Digest or Basic, as the server asks)")
    push.add_argument(
        "--auth",
        choices=("auto", "basic", "digest"),
        default="auto",
        help="how --user authenticates: auto answers the server's challenge (Digest or Basic; default), "
        "basic sends Basic up front, digest answers Digest only",
    )
    push.add_argument("--timeout", type=float, default=120.0, help="seconds per request (default: 120)")
    push.add_argument(
        "--with",
        dest="with_files",
        action="append",
        metavar="FILE",
        help="also push this RDF file (repeatable; triples into urn:treatykg:with:NAME, quads into their "
        "graphs), streamed in chunks of 100,000 triples: PUT the first, POST the rest",
    )
    push.set_defaults(func=_push)
