"""``treatykg serve``: check every option, bind the socket, start the query workers, and only then
announce the address and serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import (
    EXIT_OK,
    add_with_option,
    command,
    fail,
    os_errors,
    reported,
    with_sources,
)


def _serve(args: argparse.Namespace) -> int:
    """Check the options, bind the socket, start the query workers, and only then announce the
    real address and serve: a port in use, a broken --with file or a worker that cannot start is
    one line on stderr and exit 2, never a banner followed by a traceback."""
    try:
        import uvicorn

        from ..web.app import ServeSettings, create_app
    except ImportError as exc:  # a broken install, not a user error we can fix here
        return fail(f"the web server needs {exc.name}; reinstall treatykg (pip install .)")
    from ..engine.store import QueryError, cached_dataset_path
    from ..model.sources import SourceError

    # NaN and infinity pass every "> 0" test below, and a port past 65535 is taken modulo 65536 by
    # the resolver: a server started with them would answer every query 500 (NaN seconds cannot
    # be waited for) or listen where nobody said. Refused first, as every other bad option is.
    problem = _serve_number_problem(args)
    if problem:
        return fail(problem)
    if args.workers < 1 or args.timeout <= 0 or args.max_rows < 1:
        return fail("--workers, --timeout and --max-rows must be positive")
    if args.max_memory < 0 or args.max_answer_bytes < 1 or args.body_timeout <= 0:
        return fail("--max-memory must be 0 or more, --max-answer-bytes and --body-timeout positive")
    if args.max_memory and args.max_memory < 256:
        return fail("--max-memory below 256 MiB cannot hold the graph; use 256 or more (0: no limit)")
    if args.check_timeout <= 0 or args.check_concurrency < 1 or args.check_memory < 256:
        return fail("--check-timeout and --check-concurrency must be positive, --check-memory at least 256 (MiB)")
    base_url = _base_url(args.base_url) if args.base_url else ""
    if base_url is None:
        return fail(f"--base-url {args.base_url!r}: give an http(s) URL without query or fragment")
    from ..publish.fetch import is_url

    for value in args.with_files or []:
        if not is_url(value) and not Path(value).is_file():
            return fail(f"{value}: no such file")
    with reported(SourceError):
        extra = with_sources(args.with_files or [])
        cached_dataset_path()  # build (and report a broken source) before the server starts
    with os_errors(f"cannot listen on {args.host}:{args.port}"):
        sock = _bind(args.host, args.port)
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
        return fail(str(exc))
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


def register_serve(sub) -> None:
    serve = command(sub, "serve", "serve the graph: web pages and a read-only SPARQL 1.1 endpoint at /sparql")
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
    add_with_option(serve)
    serve.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="what the server logs on stderr (default: warning)",
    )
    serve.set_defaults(func=_serve)
