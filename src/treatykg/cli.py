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


def build_parser() -> argparse.ArgumentParser:
    from .publish import FORMATS

    parser = argparse.ArgumentParser(
        prog="treatykg",
        description="Knowledge graph of the UN Convention against Cybercrime and the debate about it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser(
        "validate",
        help="validate the shipped graph (and any FILES) against the SHACL shapes",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("files", nargs="*", metavar="FILE", help="extra RDF files to validate with the graph")
    validate.add_argument("--strict", action="store_true", help="treat warnings as failures")
    validate.set_defaults(func=_validate)

    export = sub.add_parser(
        "export",
        help="write ontology + graph as one dataset",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--format", "-f", choices=sorted(FORMATS), default="ttl", help="serialisation (default: ttl)")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(func=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
