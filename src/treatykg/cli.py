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
EPILOG_TOP = """\
exit codes (each command's --help lists its own):
  0  success
  1  validate, check: violations found; add: nothing was added
  2  usage error or unreadable input (the message names the file and line)
"""
EPILOG_CHECK = """\
exit codes:
  0  the statements conform (with --strict: without warnings either)
  1  they do not: the report names each problem's file, line and column
  2  usage error or unreadable input (the message names the file and line)
"""
EPILOG_ADD = """\
exit codes:
  0  the statements conform and were stored as a new submission
  1  they do not conform: nothing was added (the report says why)
  2  usage error or unreadable input (the message names the file and line)
"""
#: For commands that validate nothing: exit 1 never happens there.
EPILOG_USAGE = """\
exit codes:
  0  success
  2  usage error or unreadable input (the message names the file and line)
"""


def _validate(args: argparse.Namespace) -> int:
    from .model.sources import SourceError
    from .validation.shacl import format_text, validate_shipped

    try:
        report = validate_shipped(extra_files=[Path(f) for f in args.files])
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = format_text(report, strict=args.strict)
    _print(text, style="green" if report.conforms(args.strict) else "red")
    return EXIT_OK if report.conforms(args.strict) else EXIT_FAILED


def _export(args: argparse.Namespace) -> int:
    from .model.sources import SourceError
    from .publish.export import export

    fmt, problem = _export_format(args.format, args.output)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = export(fmt, Path(args.output) if args.output else None)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output:
        print(f"wrote {args.output} ({len(text.encode())} bytes, {fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _export_format(asked: str | None, output: str | None) -> tuple[str, str | None]:
    """``(format, None)``, or ``("", one-line problem)``: ``-o`` names the format by its extension
    (``dataset.nt`` is N-Triples); a ``--format`` that says otherwise is refused, not obeyed, so a
    file never holds another format than its name says. Without either: Turtle."""
    from .publish.export import EXTENSIONS, FORMAT_NAMES

    suffix = Path(output).suffix.lower() if output else ""
    implied = EXTENSIONS.get(suffix)
    if asked and implied and asked != implied:
        return "", (
            f"-o {output} names {FORMAT_NAMES[implied]} but --format {asked} asks for {FORMAT_NAMES[asked]}; "
            f"drop --format or name the file {_extension_for(asked)}"
        )
    return asked or implied or "ttl", None


def _extension_for(fmt: str) -> str:
    from .publish.export import EXTENSIONS

    return next(ext for ext, name in EXTENSIONS.items() if name == fmt)


def _open_store(args: argparse.Namespace):
    from .engine.remote import RemoteStore
    from .engine.store import EmbeddedStore

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

    from .publish.fetch import fetch_rdf, is_url

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


def _emit(result, fmt: str, store, title: str | None = None, labels: bool = False) -> None:
    from .engine import formats
    from .engine.catalogue import labels_for

    if result.form == "graph":
        from .util.terminal import escape_document

        sys.stdout.write(escape_document(formats.graph_text(result, fmt)))
        return
    if fmt in formats.GRAPH_FORMATS:
        raise ValueError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a table answer takes table, csv, tsv, json or md"
        )
    if labels and fmt in ("csv", "tsv", "json"):
        from .engine.catalogue import labelled

        result = labelled(store, result)
    if fmt == "csv":
        sys.stdout.write(formats.to_csv(result))
    elif fmt == "tsv":
        sys.stdout.write(formats.to_tsv(result))
    elif fmt == "json":
        sys.stdout.write(formats.to_json(result))
    else:
        iris = formats.result_iris(result)
        labels = labels_for(store, iris) if iris else {}
        if fmt == "md":
            sys.stdout.write(formats.to_markdown(result, labels))
        else:
            formats.print_table(result, labels, title)


def _query(args: argparse.Namespace) -> int:
    from .engine.catalogue import MAX_PAGE, Catalogue, CatalogueError, Page
    from .engine.store import QueryError
    from .model.sources import SourceError

    catalogue = Catalogue()
    try:
        page = None
        if args.limit is not None or args.offset is not None:
            page = Page.of(args.limit if args.limit is not None else MAX_PAGE, args.offset or 0)
        if args.list:
            _list_queries(catalogue, args.format)
            return EXIT_OK
        if not args.name:
            print(QUERY_USAGE.format(count=len(catalogue.queries)), file=sys.stderr, end="")
            return EXIT_USAGE
        query = catalogue.get(args.name)
        if args.describe:
            sys.stdout.write(_describe(query, args.format))
            return EXIT_OK
        params = _parse_params(args.param or [])
        for key in params:
            query.param(key)
        store = _open_store(args)
        result = catalogue.run(store, args.name, params, page)
        _emit(result, args.format, store, query.title, labels=args.labels)
        if page is not None and result.form == "select":
            print(_page_note(catalogue, store, args.name, params, page, len(result.rows)), file=sys.stderr)
    except (CatalogueError, QueryError, SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


QUERY_USAGE = """\
usage: treatykg query NAME [--param KEY=VALUE ...] [--format FORMAT] [--limit N] [--offset N]
       treatykg query NAME --describe     its question, parameters and columns
       treatykg query --list              the {count} canned queries
"""


def _page_note(catalogue, store, name: str, params: dict[str, str], page, shown: int) -> str:
    """ "rows 1–100 of 2,318" for a page (on stderr, so standard output stays data). The total
    needs a second, counting query, run only when the page may not be the whole answer."""
    total = page.offset + shown if 0 < shown < page.limit else catalogue.count(store, name, params)
    if not shown:
        return f"no rows: --offset {page.offset:,} is past the last of {total:,} rows"
    return f"rows {page.offset + 1:,}\u2013{page.offset + shown:,} of {total:,}"


def _describe(query, fmt: str) -> str:
    """What ``query NAME --describe`` prints: the question, parameters with defaults, columns."""
    if fmt == "json":
        import json

        doc = {
            "name": query.name,
            "title": query.title,
            "question": query.question,
            "parameters": [p._asdict() for p in query.params],
            "columns": [{"name": n, "description": d} for n, d in query.columns],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    from .util.terminal import printable

    lines = [f"{query.name}: {query.title}", "", query.question, ""]
    if query.params:
        lines.append("parameters:")
        for p in query.params:
            default = f" (default: {p.default})" if p.default else " (required)"
            lines.append(f"  --param {p.name}=<{p.kind}>{default}")
            lines.append(f"      {p.description}")
    else:
        lines.append("parameters: none")
    lines += ["", "columns:"]
    lines += [f"  {name:<12} {description}" for name, description in query.columns]
    return "\n".join(printable(line) for line in lines) + "\n"


def _list_queries(catalogue, fmt: str = "table") -> None:
    """The catalogue as a table, or as Markdown, CSV, TSV or JSON for other programs."""
    rows = []
    for query in catalogue.queries.values():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in query.params)
        rows.append({"name": query.name, "title": query.title, "question": query.question, "parameters": params})
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=list(rows[0]),
            lineterminator="\r\n" if fmt == "csv" else "\n",
            delimiter="," if fmt == "csv" else "\t",
        )
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
        return
    from .util.terminal import printable

    if fmt == "md":
        lines = ["| name | question | parameters |", "|---|---|---|"]
        for row in rows:
            cells = (f"`{row['name']}`", row["question"], row["parameters"])
            lines.append(printable("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"))
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console

    from .engine.formats import print_rows

    # Query files are data too: their text is never console markup (print_rows makes Text of it).
    keys = ("name", "question", "parameters")
    print_rows(
        Console(highlight=False), list(keys), [[row[k] for k in keys] for row in rows], "treatykg canned queries"
    )


def _sparql(args: argparse.Namespace) -> int:
    from .engine.adhoc import AdhocError, engine_message, prepare
    from .engine.store import QueryError
    from .model.sources import SourceError

    shift = 0
    try:
        if args.file and args.query is not None:
            print("error: give the query once: as text or with -F FILE, not both", file=sys.stderr)
            return EXIT_USAGE
        if args.file:
            text = Path(args.file).read_text(encoding="utf-8")
        elif args.query is not None:
            text = args.query
        else:
            print("error: give a query: treatykg sparql 'SELECT ...' or treatykg sparql -F FILE", file=sys.stderr)
            return EXIT_USAGE
        text, shift = prepare(text)
        if not args.endpoint and not args.allow_service:
            from .util.sparqltext import uses_keyword

            for keyword in ("SERVICE", "LOAD"):
                if uses_keyword(text, keyword):
                    print(
                        f"error: the query uses {keyword}, which fetches a URL; allow it with --allow-service",
                        file=sys.stderr,
                    )
                    return EXIT_USAGE
        store = _open_store(args)
        _emit(store.query(text), args.format, store, labels=args.labels)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except QueryError as exc:
        print(f"error: {engine_message(str(exc), shift)}", file=sys.stderr)
        return EXIT_USAGE
    except (AdhocError, SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .model.sources import SourceError
    from .statements.check import check_statements, format_check

    try:
        report = check_statements([Path(f) for f in args.files], full=args.full)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print("error: not enough memory to check these files; split the submission", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(format_check(report, args.format, strict=args.strict))
    return EXIT_OK if report.conforms(args.strict) else EXIT_FAILED


def _template(args: argparse.Namespace) -> int:
    from .statements.templates import template_csv, template_yaml

    sys.stdout.write(template_yaml(args.record) if args.format == "yaml" else template_csv(args.record))
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    """``treatykg list stakeholders|documents``: the slugs a template may name, with their names."""
    from .engine.store import QueryError
    from .model.sources import SourceError

    try:
        store = _open_store(args)
        rows = _listing(store, args.what)
    except (QueryError, SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    headers = ["slug", "label", "kind"]
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps([dict(zip(headers, row, strict=True)) for row in rows], indent=2) + "\n")
    elif args.format in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        delimiter, end = (",", "\r\n") if args.format == "csv" else ("\t", "\n")
        writer = csv.writer(out, delimiter=delimiter, lineterminator=end)
        writer.writerow(headers)
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
    else:
        from rich.console import Console

        from .engine.formats import print_rows

        console = Console(highlight=False)
        print_rows(console, headers, rows, f"{len(rows)} {args.what}: use the slug in a template")
    return EXIT_OK


def _listing(store, what: str) -> list[list[str]]:
    """``[slug as a template takes it, label, kind]`` for every stakeholder or document, by slug.
    A person's slug is written ``person:slug`` (the template reads a bare slug as an organisation)."""
    from .engine.catalogue import known_entities, labels_for
    from .model.iri import PREFIXES

    kind = "stakeholder" if what == "stakeholders" else "document"
    entities = known_entities(store, kind)
    labels = labels_for(store, set(entities))
    rows = []
    for iri, names in entities.items():
        label = labels.get(iri) or min(names)
        if iri.startswith(PREFIXES["person"]):
            rows.append([f"person:{iri[len(PREFIXES['person']) :]}", label, "person"])
        elif iri.startswith(PREFIXES["stk"]):
            rows.append([iri[len(PREFIXES["stk"]) :], label, "organisation"])
        elif iri.startswith(PREFIXES["doc"]):
            rows.append([iri[len(PREFIXES["doc"]) :], label, "document"])
        else:
            rows.append([iri, label, kind])  # from a --with file in another namespace: its IRI
    return sorted(rows)


def _add(args: argparse.Namespace) -> int:
    from .model.sources import SourceError
    from .statements.check import format_check
    from .statements.contrib import ContribError, check_and_add

    files = [Path(f) for f in args.files]
    try:
        # Checked and stored under one lock: a concurrent add is checked against this one.
        report, submission = check_and_add(files, strict=args.strict, note=args.source_note, author=args.author)
    except ContribError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (SourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print(
            "error: not enough memory to check these files; nothing was added (split the submission)", file=sys.stderr
        )
        return EXIT_USAGE
    if submission is None:
        sys.stdout.write(format_check(report, "text", strict=args.strict))
        print("error: nothing was added; fix the problems above and run `treatykg add` again", file=sys.stderr)
        return EXIT_FAILED
    print(f"added submission {submission.id}")
    print(f"  file: {submission.path.resolve()}")
    print(f"  directory: {submission.directory.resolve()} (remove it with `treatykg remove {submission.id}`)")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    from .statements.contrib import ContribError, remove

    try:
        path = remove(args.submission)
    except ContribError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"removed submission {args.submission} ({path})")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Check the options, bind the socket, start the query workers, and only then announce the
    real address and serve: a port in use, a broken --with file or a worker that cannot start is
    one line on stderr and exit 2, never a banner followed by a traceback."""
    try:
        import uvicorn

        from .web.app import ServeSettings, create_app
    except ImportError as exc:  # a broken install, not a user error we can fix here
        print(f"error: the web server needs {exc.name}; reinstall treatykg (pip install .)", file=sys.stderr)
        return EXIT_USAGE
    from .engine.store import QueryError, cached_dataset_path
    from .model.sources import SourceError

    # NaN and infinity pass every "> 0" test below, and a port past 65535 is taken modulo 65536 by
    # the resolver: a server started with them would answer every query 500 (NaN seconds cannot
    # be waited for) or listen where nobody said. Refused first, as every other bad option is.
    problem = _serve_number_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.workers < 1 or args.timeout <= 0 or args.max_rows < 1:
        print("error: --workers, --timeout and --max-rows must be positive", file=sys.stderr)
        return EXIT_USAGE
    if args.max_memory < 0 or args.max_answer_bytes < 1 or args.body_timeout <= 0:
        print("error: --max-memory must be 0 or more, --max-answer-bytes and --body-timeout positive", file=sys.stderr)
        return EXIT_USAGE
    if args.max_memory and args.max_memory < 256:
        print("error: --max-memory below 256 MiB cannot hold the graph; use 256 or more (0: no limit)", file=sys.stderr)
        return EXIT_USAGE
    if args.check_timeout <= 0 or args.check_concurrency < 1 or args.check_memory < 256:
        print(
            "error: --check-timeout and --check-concurrency must be positive, --check-memory at least 256 (MiB)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    base_url = _base_url(args.base_url) if args.base_url else ""
    if base_url is None:
        print(f"error: --base-url {args.base_url!r}: give an http(s) URL without query or fragment", file=sys.stderr)
        return EXIT_USAGE
    from .publish.fetch import is_url

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
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    host, port = sock.getsockname()[:2]
    address = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    settings = ServeSettings(
        workers=args.workers,
        timeout=args.timeout,
        max_rows=args.max_rows,
        allow_update=args.allow_update,
        allow_service=args.allow_service,
        extra=extra,
        base_url=base_url or address,
        max_memory_mib=args.max_memory,
        max_answer_bytes=args.max_answer_bytes,
        body_idle_timeout=min(10.0, args.body_timeout),
        body_timeout=args.body_timeout,
        check_timeout=args.check_timeout,
        check_memory=args.check_memory * 1024 * 1024,
        check_concurrency=args.check_concurrency,
    )
    try:
        pool = settings.new_pool().start()
    except QueryError as exc:
        sock.close()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    config = uvicorn.Config(
        create_app(settings, pool),
        log_level=args.log_level,
        http="h11",
        # Bounds on what a client can hold: an idle keep-alive connection is closed after 5 s,
        # a request head may not exceed 16 KiB (h11's buffer), and beyond 512 open connections
        # new ones get 503 at once. Slow request *heads* are the reverse proxy's job (README).
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
        limit_concurrency=512,
        timeout_graceful_shutdown=10,
    )
    print(f"treatykg: serving on {address}/ (SPARQL endpoint: /sparql)", file=sys.stderr)
    if base_url:
        print(f"treatykg: public address {base_url}/", file=sys.stderr)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        pool.close()
        sock.close()
    return EXIT_OK


def _serve_number_problem(args: argparse.Namespace) -> str | None:
    """One line naming the first ``serve`` option whose number is unusable (a port outside
    0-65535, a time that is NaN or infinite), else None; the range checks follow in _serve."""
    import math

    if not 0 <= args.port <= 65535:
        return f"--port {args.port}: give a port from 0 to 65535 (0: any free port)"
    for option in ("timeout", "body_timeout", "check_timeout"):
        value = getattr(args, option)
        if not math.isfinite(value):
            return f"--{option.replace('_', '-')} {value}: give a finite number of seconds"
    return None


def _bind(host: str, port: int):
    """A listening TCP socket on ``host``:``port`` (0: any free port), bound here so a port in
    use is reported before anything else starts, and the real port is known."""
    import socket

    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def _base_url(value: str) -> str | None:
    """``--base-url`` without its trailing slash, or None if it is no http(s) URL of a site."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    if any(c in value for c in ' <>"{}|\\^`'):
        return None
    return value.rstrip("/")


def _push(args: argparse.Namespace) -> int:
    import getpass

    from .model.sources import SourceError
    from .publish.push import Credentials, PushError, push

    credentials = Credentials.from_env(args.user, args.auth)
    if args.user is not None and credentials.password is None and not credentials.token and sys.stdin.isatty():
        credentials = Credentials(args.user, getpass.getpass(f"password for {args.user}: "), scheme=args.auth)

    def progress(index: int, total: int, graph: str, count: int) -> None:
        where = f"{index}/{total}" if total else f"--with chunk {index}"
        print(f"[{where}] {graph} ({count} triples)", file=sys.stderr)

    extra = [(path, _with_graph_iri(path)) for path in args.with_files or []]
    try:
        done = push(args.endpoint, credentials, args.graph, args.timeout, progress, extra)
    except (PushError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    total = sum(count for _graph, count in done)
    print(f"pushed {len(done)} graph(s), {total} triples, to {args.endpoint}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    import time

    from .model.sources import SourceError
    from .publish.export import build

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
    from .model.sources import SourceError
    from .publish.docgen import build_docs

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
        epilog=EPILOG_TOP,
        formatter_class=_Formatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"treatykg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in _SUBCOMMANDS.items():
        if only is None or name == only:
            add(sub)
    return parser


def _add_validate(sub) -> None:
    validate = _command(sub, "validate", "validate the shipped graph (and any FILES) against the SHACL shapes", EPILOG)
    validate.add_argument("files", nargs="*", metavar="FILE", help="extra RDF files to validate with the graph")
    validate.add_argument("--strict", action="store_true", help="treat warnings as failures")
    validate.set_defaults(func=_validate)


def _add_export(sub) -> None:
    from .publish.export import FORMATS

    export = _command(
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
    from .engine.formats import FORMATS as RESULT_FORMATS

    query = _command(sub, "query", "run a canned query (treatykg query --list shows them)")
    query.add_argument("name", nargs="?", help="the query's name, e.g. bypass-mla")
    query.add_argument(
        "--list", action="store_true", help="list the canned queries and their parameters (in any --format)"
    )
    query.add_argument(
        "--describe", action="store_true", help="show the query's question, parameters with defaults, and columns"
    )
    query.add_argument(
        "--param", "-p", action="append", metavar="KEY=VALUE", help="a parameter, e.g. provision=40(21)(b)"
    )
    query.add_argument("--format", "-f", choices=RESULT_FORMATS, default="table", help="output (default: table)")
    query.add_argument(
        "--limit", metavar="N", help="return at most N rows of the ordered answer (stderr says which of how many)"
    )
    query.add_argument("--offset", metavar="N", help="skip the first N rows of the ordered answer")
    _add_labels_option(query)
    _add_engine_options(query)
    query.set_defaults(func=_query)


def _add_sparql(sub) -> None:
    from .engine.formats import FORMATS as RESULT_FORMATS
    from .engine.formats import GRAPH_FORMATS
    from .model.iri import PREFIXES

    prefixes = "".join(f"\n  {name + ':':<12} {iri}" for name, iri in PREFIXES.items())
    sparql = _command(
        sub,
        "sparql",
        "run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        "predeclared prefixes (a PREFIX line of the query's own wins):"
        + prefixes
        + "\n\nexample:\n  treatykg sparql 'SELECT ?a ?l WHERE { ?a a tkg:Article ; rdfs:label ?l } LIMIT 5'\n\n"
        + EPILOG_USAGE,
    )
    sparql.add_argument("query", nargs="?", help="the query text (or give -F FILE instead, not both)")
    sparql.add_argument("-F", "--file", metavar="FILE", help="read the query from FILE")
    sparql.add_argument(
        "--format",
        "-f",
        choices=RESULT_FORMATS + GRAPH_FORMATS,
        default="table",
        help="SELECT/ASK: table, csv, tsv, json, md (default: table); "
        "CONSTRUCT/DESCRIBE: ttl, nt (the default), jsonld",
    )
    _add_labels_option(sparql)
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
        EPILOG_CHECK,
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="statements to check: .ttl, .trig, .jsonld, .nt, .nq, or a template .csv (comma, semicolon or tab) "
        "or .yaml (see `treatykg template`)",
    )
    check.add_argument(
        "--format",
        "-f",
        choices=("text", "json", "turtle"),
        default="text",
        help="report: one line per problem (text; default), JSON, or the SHACL validation report (turtle)",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.add_argument("--full", action="store_true", help="validate against the whole graph (slower; same verdict)")
    check.set_defaults(func=_check)


def _add_template(sub) -> None:
    template = _command(
        sub, "template", "print an empty CSV or YAML template with comments, to fill in and `treatykg check`"
    )
    template.add_argument(
        "record", choices=("claim", "document", "stakeholder"), help="what one row (YAML entry) describes"
    )
    template.add_argument(
        "--format", "-f", choices=("csv", "yaml"), default="csv", help="the template's format (default: csv)"
    )
    template.set_defaults(func=_template)


def _add_list(sub) -> None:
    listing = _command(
        sub, "list", "list the existing stakeholders or documents: the slugs a template can name, with their names"
    )
    listing.add_argument("what", choices=("stakeholders", "documents"), help="which entities to list")
    listing.add_argument(
        "--format", "-f", choices=("table", "csv", "tsv", "json"), default="table", help="output (default: table)"
    )
    _add_engine_options(listing)
    listing.set_defaults(func=_list)


def _add_add(sub) -> None:
    add = _command(
        sub,
        "add",
        "check, then store statements as a new submission in the contribution directory "
        "(graph/contrib/ in a source checkout, else the user data directory; $TREATYKG_CONTRIB_DIR overrides)",
        EPILOG_ADD,
    )
    add.add_argument("files", nargs="+", metavar="FILE", help="statements to add, as for `treatykg check`")
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
    serve.add_argument(
        "--base-url",
        metavar="URL",
        help="public address of the site, named in /.well-known/void and the service description "
        "(default: http://HOST:PORT of the listening socket; never taken from requests)",
    )
    serve.add_argument(
        "--max-memory",
        type=int,
        default=1024,
        metavar="MIB",
        help="address space of each query worker in MiB; a query that needs more is refused with 422 "
        "and its worker replaced (default: 1024; 0: no limit)",
    )
    serve.add_argument(
        "--max-answer-bytes",
        type=int,
        default=16 * 1024 * 1024,
        metavar="N",
        help="size of one answer in bytes, counted while it is built; larger is 422 (default: 16 MiB)",
    )
    serve.add_argument(
        "--body-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="time a request body may take to arrive (and at most 10 s without data); slower is 408 (default: 60)",
    )
    serve.add_argument(
        "--check-timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="time limit of one check on the /check page; slower is 503 (default: 20)",
    )
    serve.add_argument(
        "--check-memory",
        type=int,
        default=1024,
        metavar="MIB",
        help="address space of the process running one /check in MiB; more is 503 (default: 1024)",
    )
    serve.add_argument(
        "--check-concurrency",
        type=int,
        default=2,
        metavar="N",
        help="checks running at once on the /check page; more are refused with 503 (default: 2)",
    )
    _add_with_option(serve)
    serve.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="what the server logs on stderr (default: warning)",
    )
    serve.set_defaults(func=_serve)


def _add_push(sub) -> None:
    push = _command(
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


def _add_remove(sub) -> None:
    remove = _command(sub, "remove", "withdraw a submission added with `treatykg add`")
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
    "list": _add_list,
    "add": _add_add,
    "serve": _add_serve,
    "push": _add_push,
    "remove": _add_remove,
}


def _command(sub, name: str, help: str, epilog: str = EPILOG_USAGE) -> argparse.ArgumentParser:
    """A sub-command whose --help ends with its exit codes (one place for that boilerplate): 0 and
    2 by default; ``validate`` and ``check`` add 1 (violations), ``add`` 1 (nothing added)."""
    return sub.add_parser(name, help=help, epilog=epilog, formatter_class=_Formatter)


def _add_labels_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--labels",
        action="store_true",
        help="csv, tsv, json: add a COLUMN_label column (the name) after every column of IRIs "
        "(table and md show names anyway)",
    )


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
