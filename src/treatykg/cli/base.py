"""What every sub-command shares: exit codes, the one way a command fails (``error: ...`` on
stderr, exit 2), the help formatter, the options several commands take, and opening the store.

Every command module imports from here and from nothing else in :mod:`treatykg.cli`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1  # validation found violations
EXIT_USAGE = 2  # usage error or unreadable input


class CommandError(Exception):
    """A failure the user can act on, said in one line: :func:`treatykg.cli.main` prints it as
    ``error: MESSAGE`` on stderr and exits 2 (usage error or unreadable input)."""


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print ``error: MESSAGE`` on stderr and give ``code`` (by default, a usage error's). The one
    place that spells the form every command's failure takes (the tests and the README rely on it)."""
    print(f"error: {message}", file=sys.stderr)
    return code


@contextmanager
def reported(*kinds: type[BaseException]) -> Iterator[None]:
    """End the command with ``error: str(exc)`` for the listed exceptions: the project's errors
    whose text is already one line naming the file, line, field or endpoint."""
    try:
        yield
    except kinds as exc:
        raise CommandError(str(exc)) from exc


@contextmanager
def os_errors(doing: str) -> Iterator[None]:
    """End the command with ``error: DOING: REASON`` for an OSError (``cannot write out.ttl:
    Permission denied``), the reason without Python's errno prefix."""
    try:
        yield
    except OSError as exc:
        raise CommandError(f"{doing}: {exc.strerror or exc}") from exc


@contextmanager
def out_of_memory(message: str) -> Iterator[None]:
    """End the command with ``error: MESSAGE`` when it runs out of memory (a check of a large
    submission): a resource limit, said as such, never a traceback."""
    try:
        yield
    except MemoryError:
        raise CommandError(message) from None


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


def open_store(args: argparse.Namespace):
    from ..engine.remote import RemoteStore
    from ..engine.store import EmbeddedStore

    if getattr(args, "endpoint", None):
        if getattr(args, "with_files", None):
            raise ValueError("--with loads files into the embedded store; it cannot be combined with --endpoint")
        return RemoteStore(args.endpoint)
    # One-shot: the cache's on-disk store opened read-only beats loading it in memory (decision 46).
    return EmbeddedStore.open(extra=with_sources(getattr(args, "with_files", None) or []), read_only=True)


def with_sources(values: list[str]) -> list[tuple[str, str]]:
    """(local file, named graph IRI) for each ``--with`` value. A URL is downloaded (bounded) to a
    temporary directory that lives as long as the process, and its graph is named by the URL."""
    if not values:
        return []
    import atexit
    import shutil
    import tempfile

    from ..publish.fetch import fetch_rdf, is_url

    sources = []
    directory = None
    for value in values:
        if is_url(value):
            if directory is None:
                directory = Path(tempfile.mkdtemp(prefix="treatykg-with-"))
                atexit.register(shutil.rmtree, directory, True)
            sources.append((str(fetch_rdf(value, directory)), value))
        else:
            sources.append((value, with_graph_iri(value)))
    return sources


def with_graph_iri(path: str) -> str:
    """The named graph for a ``--with`` file: ``urn:treatykg:with:<file name>``."""
    from urllib.parse import quote

    return "urn:treatykg:with:" + quote(Path(path).name)


def print_verdict(text: str, style: str) -> None:
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


class Formatter(argparse.RawDescriptionHelpFormatter):
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


def command(sub, name: str, help: str, epilog: str = EPILOG_USAGE) -> argparse.ArgumentParser:
    """A sub-command whose --help ends with its exit codes (one place for that boilerplate): 0 and
    2 by default; ``validate`` and ``check`` add 1 (violations), ``add`` 1 (nothing added)."""
    return sub.add_parser(name, help=help, epilog=epilog, formatter_class=Formatter)


def add_labels_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--labels",
        action="store_true",
        help="csv, tsv, json: add a COLUMN_label column (the name) after every column of IRIs "
        "(table and md show names anyway)",
    )


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead of the embedded store"
    )
    add_with_option(parser)


def add_with_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--with",
        dest="with_files",
        action="append",
        metavar="FILE_OR_URL",
        help="load another RDF file or URL beside the graph, as its own named graph (repeatable)",
    )
