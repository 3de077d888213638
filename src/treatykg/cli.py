"""The ``treatykg`` command: argument parsing and output only.

Heavy modules (rdflib, pyshacl) are imported inside each sub-command, so ``treatykg --help`` and
the fast paths stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1  # validation found violations
EXIT_USAGE = 2  # usage error or unreadable input

EPILOG = """\
exit codes:
  0  success; the graph conforms
  1  validation failed (violations found)
  2  usage error or unreadable input (the message names the file and line)
"""


def _validate(args: argparse.Namespace) -> int:
    from .sources import SourceError
    from .validate import format_text, validate_shipped

    try:
        report = validate_shipped(extra_files=[Path(f) for f in args.files])
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = format_text(report, strict=args.strict)
    _print(text, style="green" if report.conforms(args.strict) else "red")
    return EXIT_OK if report.conforms(args.strict) else EXIT_FAILED


def _export(args: argparse.Namespace) -> int:
    from .publish import export
    from .sources import SourceError

    try:
        text = export(args.format, Path(args.output) if args.output else None)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output:
        print(f"wrote {args.output} ({len(text.encode())} bytes, {args.format})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _open_store(args: argparse.Namespace):
    from .store import EmbeddedStore, RemoteStore

    if getattr(args, "endpoint", None):
        if getattr(args, "with_files", None):
            raise ValueError("--with loads files into the embedded store; it cannot be combined with --endpoint")
        return RemoteStore(args.endpoint)
    # One-shot: the cache's on-disk store opened read-only beats loading it in memory (decision 46).
    return EmbeddedStore.open(extra=_with_sources(getattr(args, "with_files", None) or []), read_only=True)


def _with_sources(values: list[str]) -> list[tuple[str, str]]:
    """(local file, named graph IRI) for each ``--with`` value. A URL is downloaded (bounded) to a
    temporary directory that lives as long as the process, and its graph is named by the URL."""
    if not values:
        return []
    import atexit
    import shutil
    import tempfile

    from .fetch import fetch_rdf, is_url

    sources = []
    directory = None
    for value in values:
        if is_url(value):
            if directory is None:
                directory = Path(tempfile.mkdtemp(prefix="treatykg-with-"))
                atexit.register(shutil.rmtree, directory, True)
            sources.append((str(fetch_rdf(value, directory)), value))
        else:
            sources.append((value, _with_graph_iri(value)))
    return sources


def _with_graph_iri(path: str) -> str:
    """The named graph for a ``--with`` file: ``urn:treatykg:with:<file name>``."""
    from urllib.parse import quote

    return "urn:treatykg:with:" + quote(Path(path).name)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param expects KEY=VALUE, got {pair!r}")
        params[key.strip()] = value
    return params


def _emit(result, fmt: str, store, title: str | None = None) -> None:
    from . import formats
    from .catalogue import labels_for

    if result.form == "graph":
        sys.stdout.write(result.ntriples)
        return
    if fmt == "csv":
        sys.stdout.write(formats.to_csv(result))
    elif fmt == "tsv":
        sys.stdout.write(formats.to_tsv(result))
    elif fmt == "json":
        sys.stdout.write(formats.to_json(result))
    else:
        iris = {t.value for row in result.rows for t in row.values() if t.kind == "uri"}
        labels = labels_for(store, iris) if iris else {}
        if fmt == "md":
            sys.stdout.write(formats.to_markdown(result, labels))
        else:
            formats.print_table(result, labels, title)


def _query(args: argparse.Namespace) -> int:
    from .catalogue import MAX_PAGE, Catalogue, CatalogueError, Page
    from .sources import SourceError
    from .store import QueryError

    catalogue = Catalogue()
    try:
        page = None
        if args.limit is not None or args.offset is not None:
            page = Page.of(args.limit if args.limit is not None else MAX_PAGE, args.offset or 0)
        if args.list or not args.name:
            _list_queries(catalogue)
            return EXIT_OK if args.list else EXIT_USAGE
        query = catalogue.get(args.name)
        params = _parse_params(args.param or [])
        for key in params:
            query.param(key)
        store = _open_store(args)
        result = catalogue.run(store, args.name, params, page)
        _emit(result, args.format, store, query.title)
    except (CatalogueError, QueryError, SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _list_queries(catalogue) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .terminal import printable

    table = Table(title="treatykg canned queries")
    table.add_column("name", no_wrap=True)
    table.add_column("question")
    table.add_column("parameters")
    for query in catalogue.queries.values():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in query.params)
        # Query files are data too: their text is never console markup (see formats.print_table).
        table.add_row(*(Text(printable(cell)) for cell in (query.name, query.question, params)))
    Console().print(table)


def _sparql(args: argparse.Namespace) -> int:
    from .sources import SourceError
    from .store import QueryError

    try:
        if args.file:
            text = Path(args.file).read_text(encoding="utf-8")
        elif args.query:
            text = args.query
        else:
            print("error: give a query or -f FILE", file=sys.stderr)
            return EXIT_USAGE
        if not args.endpoint and not args.allow_service:
            from .sparqltext import uses_keyword

            for keyword in ("SERVICE", "LOAD"):
                if uses_keyword(text, keyword):
                    print(
                        f"error: the query uses {keyword}, which fetches a URL; allow it with --allow-service",
                        file=sys.stderr,
                    )
                    return EXIT_USAGE
        store = _open_store(args)
        _emit(store.query(text), args.format, store)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except (QueryError, SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .sources import SourceError
    from .validate import check_statements, format_check

    try:
        report = check_statements([Path(f) for f in args.files], full=args.full)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(format_check(report, args.format, strict=args.strict))
    return EXIT_OK if report.conforms(args.strict) else EXIT_FAILED


def _template(args: argparse.Namespace) -> int:
    from .statements import template_csv

    sys.stdout.write(template_csv(args.record))
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    from .contrib import ContribError, add, find_duplicate
    from .sources import SourceError
    from .validate import check_statements, format_check

    files = [Path(f) for f in args.files]
    try:
        duplicate = find_duplicate(files)
        if duplicate:
            print(f"error: these files were already added as submission {duplicate!r} (same content)", file=sys.stderr)
            return EXIT_USAGE
        report = check_statements(files)
    except (SourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not report.conforms(args.strict):
        sys.stdout.write(format_check(report, "text", strict=args.strict))
        print("error: nothing was added; fix the problems above and run `treatykg add` again", file=sys.stderr)
        return EXIT_FAILED
    try:
        submission = add(report.statements, files, note=args.source_note, author=args.author)
    except ContribError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"added submission {submission.id} ({submission.path})")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    from .contrib import ContribError, remove

    try:
        path = remove(args.submission)
    except ContribError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"removed submission {args.submission} ({path})")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .web.app import ServeSettings, create_app
    except ImportError as exc:  # a broken install, not a user error we can fix here
        print(f"error: the web server needs {exc.name}; reinstall treatykg (pip install .)", file=sys.stderr)
        return EXIT_USAGE
    from .sources import SourceError
    from .store import cached_dataset_path

    if args.workers < 1 or args.timeout <= 0 or args.max_rows < 1:
        print("error: --workers, --timeout and --max-rows must be positive", file=sys.stderr)
        return EXIT_USAGE
    from .fetch import is_url

    for value in args.with_files or []:
        if not is_url(value) and not Path(value).is_file():
            print(f"error: {value}: no such file", file=sys.stderr)
            return EXIT_USAGE
    try:
        extra = _with_sources(args.with_files or [])
        cached_dataset_path()  # build (and report a broken source) before the server starts
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    settings = ServeSettings(
        workers=args.workers,
        timeout=args.timeout,
        max_rows=args.max_rows,
        allow_update=args.allow_update,
        allow_service=args.allow_service,
        extra=extra,
    )
    print(f"treatykg: serving on http://{args.host}:{args.port}/ (SPARQL endpoint: /sparql)", file=sys.stderr)
    try:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    import getpass

    from .push import Credentials, PushError, push
    from .sources import SourceError

    credentials = Credentials.from_env(args.user)
    if args.user is not None and credentials.password is None and not credentials.token and sys.stdin.isatty():
        credentials = Credentials(args.user, getpass.getpass(f"password for {args.user}: "))

    def progress(index: int, total: int, graph: str, count: int) -> None:
        print(f"[{index}/{total}] {graph} ({count} triples)", file=sys.stderr)

    try:
        done = push(args.endpoint, credentials, args.graph, args.timeout, progress)
    except (PushError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    total = sum(count for _graph, count in done)
    print(f"pushed {len(done)} graph(s), {total} triples, to {args.endpoint}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    import time

    from .publish import build
    from .sources import SourceError

    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:5.1f} s] {message}", file=sys.stderr)

    try:
        files = build(Path(args.output), endpoint=args.endpoint, progress=progress)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in files:
        print(f"{path} ({path.stat().st_size} bytes)")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    from .docgen import build_docs
    from .sources import SourceError

    try:
        files = build_docs(Path(args.output))
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in files:
        print(path)
    return EXIT_OK


def _print(text: str, style: str) -> None:
    """Print with rich colours on a terminal, plain text otherwise (pipes, CI logs)."""
    if sys.stdout.isatty():
        from rich.console import Console

        lines = text.splitlines()
        console = Console(highlight=False)
        for line in lines[:-1]:
            console.print(line, markup=False)
        console.print(lines[-1], style=style, markup=False)
    else:
        print(text)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, with the terminal width read through ``os`` (as ``shutil`` does):
    argparse creates formatters while arguments are added, and its own ``import shutil`` (which
    imports bz2 and lzma) cost ~4 ms of every run, help or not."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width=None) -> None:
        if width is None:
            import os

            try:
                width = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                try:
                    width = os.get_terminal_size(sys.__stdout__.fileno()).columns
                except (AttributeError, ValueError, OSError):
                    width = 80
            width -= 2
        super().__init__(prog, indent_increment, max_help_position, width)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` just that sub-command: building all twelve
    sub-parsers (and importing what their choices need) took ~30 ms, a fifth of a warm query's
    whole run, so ``main`` builds only the one it is about to run (decision 46)."""
    parser = argparse.ArgumentParser(
        prog="treatykg",
        description="Knowledge graph of the UN Convention against Cybercrime and the debate about it.",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in _SUBCOMMANDS.items():
        if only is None or name == only:
            add(sub)
    return parser


def _add_validate(sub) -> None:
    validate = _command(sub, "validate", "validate the shipped graph (and any FILES) against the SHACL shapes")
    validate.add_argument("files", nargs="*", metavar="FILE", help="extra RDF files to validate with the graph")
    validate.add_argument("--strict", action="store_true", help="treat warnings as failures")
    validate.set_defaults(func=_validate)


def _add_export(sub) -> None:
    from .publish import FORMATS

    export = _command(sub, "export", "write ontology + graph as one dataset")
    export.add_argument("--format", "-f", choices=sorted(FORMATS), default="ttl", help="serialisation (default: ttl)")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(func=_export)


def _add_build(sub) -> None:
    build = _command(
        sub,
        "build",
        "write dist/: the dataset in Turtle, N-Triples, N-Quads, TriG, JSON-LD, its @context and VoID/DCAT",
    )
    build.add_argument("--output", "-o", default="dist", metavar="DIR", help="output directory (default: dist)")
    build.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint serving the dataset, recorded in VoID")
    build.set_defaults(func=_build)


def _add_docs(sub) -> None:
    docs = _command(
        sub, "docs", "write the ontology, vocabulary and shapes reference with a model diagram (HTML) to dist/docs/"
    )
    docs.add_argument("--output", "-o", default="dist/docs", metavar="DIR", help="output directory")
    docs.set_defaults(func=_docs)


def _add_query(sub) -> None:
    from .formats import FORMATS as RESULT_FORMATS

    query = _command(sub, "query", "run a canned query (treatykg query --list shows them)")
    query.add_argument("name", nargs="?", help="the query's name, e.g. bypass-mla")
    query.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    query.add_argument(
        "--param", "-p", action="append", metavar="KEY=VALUE", help="a parameter, e.g. provision=40(21)(b)"
    )
    query.add_argument("--format", "-f", choices=RESULT_FORMATS, default="table", help="output (default: table)")
    query.add_argument("--limit", metavar="N", help="return at most N rows of the ordered answer (a page)")
    query.add_argument("--offset", metavar="N", help="skip the first N rows of the ordered answer")
    _add_engine_options(query)
    query.set_defaults(func=_query)


def _add_sparql(sub) -> None:
    from .formats import FORMATS as RESULT_FORMATS

    sparql = _command(sub, "sparql", "run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    sparql.add_argument("query", nargs="?", help="the query text")
    sparql.add_argument("--file", "-F", metavar="FILE", help="read the query from FILE")
    sparql.add_argument("--format", "-f", choices=RESULT_FORMATS, default="table", help="output (default: table)")
    sparql.add_argument(
        "--allow-service", action="store_true", help="allow SERVICE (federated query) and LOAD to fetch URLs"
    )
    _add_engine_options(sparql)
    sparql.set_defaults(func=_sparql)


def _add_check(sub) -> None:
    check = _command(
        sub,
        "check",
        "check new statements (Turtle, TriG, JSON-LD, CSV or YAML template) against the graph; stores nothing",
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--format", "-f", choices=("text", "json", "turtle"), default="text")
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.add_argument("--full", action="store_true", help="validate against the whole graph (slower; same verdict)")
    check.set_defaults(func=_check)


def _add_template(sub) -> None:
    template = sub.add_parser("template", help="print an empty CSV template with comments")
    template.add_argument("record", choices=("claim", "document", "stakeholder"))
    template.set_defaults(func=_template)


def _add_add(sub) -> None:
    add = _command(sub, "add", "check, then store statements as a new submission under graph/contrib/")
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--source-note", metavar="TEXT", help="where the statements come from, recorded with them")
    add.add_argument("--author", metavar="NAME", help="who contributes them, recorded with them")
    add.add_argument("--strict", action="store_true", help="refuse statements with warnings too")
    add.set_defaults(func=_add)


def _add_serve(sub) -> None:
    serve = _command(sub, "serve", "serve the graph: web pages and a read-only SPARQL 1.1 endpoint at /sparql")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    serve.add_argument("--timeout", type=float, default=10.0, help="time limit per query in seconds (default: 10)")
    serve.add_argument("--max-rows", type=int, default=10_000, help="rows or triples per answer (default: 10000)")
    serve.add_argument(
        "--allow-update", action="store_true", help="accept SPARQL Update (kept in memory only; one worker)"
    )
    serve.add_argument(
        "--allow-service", action="store_true", help="allow SERVICE (federated queries) and LOAD to fetch URLs"
    )
    _add_with_option(serve)
    serve.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    serve.set_defaults(func=_serve)


def _add_push(sub) -> None:
    push = _command(
        sub,
        "push",
        "load the dataset into a store via the SPARQL 1.1 Graph Store Protocol, replacing only our graphs",
        EPILOG
        + "\ncredentials: --user NAME with TREATYKG_PUSH_PASSWORD (or a prompt), or TREATYKG_PUSH_TOKEN (bearer)\n",
    )
    push.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), http://host:3030/ds/data (Fuseki)",
    )
    push.add_argument("--graph", metavar="IRI", help="put everything into this one named graph instead")
    push.add_argument("--user", metavar="NAME", help="HTTP basic authentication user")
    push.add_argument("--timeout", type=float, default=120.0, help="seconds per request (default: 120)")
    push.set_defaults(func=_push)


def _add_remove(sub) -> None:
    remove = sub.add_parser("remove", help="withdraw a submission added with `treatykg add`")
    remove.add_argument("submission", metavar="SUBMISSION", help="the id that `treatykg add` printed")
    remove.set_defaults(func=_remove)


_SUBCOMMANDS = {
    "validate": _add_validate,
    "export": _add_export,
    "build": _add_build,
    "docs": _add_docs,
    "query": _add_query,
    "sparql": _add_sparql,
    "check": _add_check,
    "template": _add_template,
    "add": _add_add,
    "serve": _add_serve,
    "push": _add_push,
    "remove": _add_remove,
}


def _command(sub, name: str, help: str, epilog: str = EPILOG) -> argparse.ArgumentParser:
    """A sub-command whose --help ends with the exit codes (one place for that boilerplate)."""
    return sub.add_parser(name, help=help, epilog=epilog, formatter_class=_Formatter)


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead of the embedded store"
    )
    _add_with_option(parser)


def _add_with_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--with",
        dest="with_files",
        action="append",
        metavar="FILE_OR_URL",
        help="load another RDF file or URL beside the graph, as its own named graph (repeatable)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argv[0] if argv else None
    parser = build_parser(only=first if first in _SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
