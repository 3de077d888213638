"""The ``treatykg`` command: argument parsing and output only.

Heavy modules (rdflib, pyshacl) are imported inside each sub-command, so ``treatykg --help`` and
the fast paths stay fast. Each group of sub-commands is a module (:mod:`.querying`,
:mod:`.contributing`, :mod:`.serving`, :mod:`.dataset`), imported only when its command runs;
:mod:`.base` holds what they share, including the one way a command fails
(:class:`~treatykg.cli.base.CommandError`: ``error: ...`` on stderr, exit 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from .base import EPILOG_TOP, EXIT_OK, EXIT_USAGE, CommandError, Formatter, fail

_SUBCOMMANDS: dict[str, str] = {  # command -> the module that registers and runs it
    "validate": "dataset",
    "export": "dataset",
    "build": "dataset",
    "docs": "dataset",
    "query": "querying",
    "sparql": "querying",
    "check": "contributing",
    "template": "contributing",
    "list": "querying",
    "add": "contributing",
    "serve": "serving",
    "push": "dataset",
    "remove": "contributing",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` just that sub-command: building all twelve
    sub-parsers (and importing what their choices need) took ~30 ms, a fifth of a warm query's
    whole run, so ``main`` builds only the one it is about to run (decision 46)."""
    parser = argparse.ArgumentParser(
        prog="treatykg",
        description="Knowledge graph of the UN Convention against Cybercrime and the debate about it.",
        epilog=EPILOG_TOP,
        formatter_class=Formatter,
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"treatykg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _SUBCOMMANDS.items():
        if only is None or name == only:
            getattr(import_module(f".{module}", __name__), f"register_{name}")(sub)
    return parser


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
    except CommandError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
