"""Read a file someone else wrote, safely: bytes first, then an encoding we decide, then a parser
that cannot fetch, read or recurse its way out of its input.

Every contributed file (``treatykg check``/``add``, the web ``/check`` page) and every RDF file
``treatykg validate`` is given passes through here, so the rules are in one place:

- **Bytes.** Only a regular file is read (a directory, a FIFO or a device is refused before it
  can block or stream forever), and never more than the size limit, even if the file grows.
- **Encoding.** RDF syntaxes must be UTF-8 (a UTF-8 byte-order mark is skipped). The CSV and
  YAML templates may also be UTF-16 with a byte-order mark, or Windows-1252 (what Excel writes
  for "CSV" on Western Windows; it covers ISO-8859-1 text) when they are not valid UTF-8 and every
  byte is a Windows-1252 character. Anything else is named, with the byte and line. Text with
  control characters (NUL, ESC, ...) is a binary file, not a template.
- **No loading.** Parsing a JSON-LD document loads no other document: every ``@context`` or
  ``@import`` naming a URL or a file is refused inside rdflib's context loader itself (see
  :func:`_refusing_loads`), so there is no keyword to get past. Turtle, TriG, N-Triples and
  N-Quads are parsed from text; rdflib's parsers of those never dereference (``@base``,
  ``@prefix`` and ``owl:imports`` are only IRIs).
- **Bounded structure.** JSON nesting is bounded before rdflib recurses over it; YAML anchors and
  aliases are refused (a 459-byte alias bomb expands to gigabytes) and its nesting is bounded.
- **Valid terms.** Every IRI must be a valid IRI and every literal valid Unicode, checked once
  here, so a space in an IRI or a lone surrogate is a located error, not a crash downstream.
- **One error type.** Whatever goes wrong becomes a one-line :class:`~treatykg.model.sources.SourceError`
  naming the file (and line where known).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from .sources import SourceError

#: JSON (JSON-LD) nesting deeper than this is refused before parsing. Statements nest about 6
#: levels (document, @graph, node, quote, value); rdflib's JSON-LD processing recurses several
#: frames per level, so this also keeps it far from Python's recursion limit.
MAX_JSON_DEPTH = 32
#: YAML templates are two levels deep (a list of records under a key); this leaves room for
#: lists in fields and refuses anything built to exhaust the composer.
MAX_YAML_DEPTH = 16

#: Controls that never occur in a text file (tab, line feed, carriage return and form feed do).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)

#: What the error says when a template's encoding cannot be told (README: "Bringing new statements").
TEMPLATE_ENCODINGS = "UTF-8, UTF-16 with a byte-order mark, or Windows-1252"


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, at most ``limit`` (more is an error). Only regular files: a directory,
    FIFO or device is refused before reading (opened non-blocking, so a FIFO cannot hang us)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError as exc:
        raise SourceError(path, "is a directory, not a file") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise SourceError(path, "is a directory, not a file")
        raise SourceError(path, "is not a regular file (a device, pipe or socket)")
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            data = handle.read(limit + 1) if size <= limit else b""
        except OSError as exc:
            raise SourceError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if size > limit or len(data) > limit:
        size = max(size, len(data))
        raise SourceError(
            path, f"file is {size / 1024 / 1024:.1f} MB; files are limited to {_mb(limit)} (split the submission)"
        )
    return data


def _mb(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"


def decode(path: Path, data: bytes, template: bool) -> str:
    """Text from bytes by the rule in the module docstring; ``template`` allows the legacy encodings."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            if codec != "utf-8-sig" and not template:
                raise SourceError(path, f"is {name} text; RDF files must be UTF-8 (save it as UTF-8)")
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"is not valid {name} text despite its byte-order mark ({exc.reason})") from exc
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            byte = data[exc.start]
            if not template:
                raise SourceError(
                    path, f"is not UTF-8 text (byte 0x{byte:02X}); RDF files must be saved as UTF-8", line
                ) from exc
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise SourceError(
                    path,
                    f"is not UTF-8 text (byte 0x{byte:02X}) and its encoding cannot be told; "
                    f"templates are read as {TEMPLATE_ENCODINGS}: save it as UTF-8 (Excel: 'CSV UTF-8')",
                    line,
                ) from exc
    control = _BINARY.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise SourceError(
            path, f"looks like a binary file, not text (control character U+{ord(control.group()):04X})", line
        )
    return text


def read_text(path: Path, limit: int, template: bool = False) -> str:
    """:func:`read_bytes` then :func:`decode`: the one way a contributed file becomes text."""
    return decode(path, read_bytes(path, limit), template)


# --- JSON and JSON-LD ------------------------------------------------------------------------------


def json_depth(value: object) -> int:
    """The deepest nesting of arrays and objects in a parsed JSON value, measured without
    recursion (so a deep value cannot exhaust the stack here either)."""
    deepest = 0
    stack = [(value, 1)] if isinstance(value, (list, dict)) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return deepest


def parse_json(path: Path, text: str):
    """JSON, with its nesting bounded before anything recurses over it. The standard library's
    parser is linear and stops deep input with RecursionError (it counts its own depth); the
    value is then measured without recursion, before rdflib's JSON-LD processing (which recurses
    several frames per level) sees it."""
    import json

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"JSON syntax error: {exc.msg}", exc.lineno) from exc
    except RecursionError:
        raise SourceError(path, f"JSON nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise SourceError(path, f"JSON value cannot be read: {_first_line(exc)}") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise SourceError(path, f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
    return value


_NO_LOADS: contextvars.ContextVar[bool] = contextvars.ContextVar("treatykg_jsonld_no_loads", default=False)
_REFUSED = (
    "a JSON-LD @context or @import may not name another document (a URL or a file): "
    "nothing is fetched or read while checking; put the context inline"
)


class _LoadRefusedError(Exception):
    """Raised inside rdflib's JSON-LD context loader when a document tries to load another."""


def _install_guard() -> None:
    """Route rdflib's JSON-LD context loading through a function that refuses while
    :func:`_refusing_loads` is active. rdflib resolves every string ``@context`` (top level,
    nested, in arrays, scoped in term definitions) and every ``@import`` through
    ``Context._fetch_context``; guarding that one method makes the parse itself unable to load,
    whatever the document says. If a future rdflib renames it, JSON-LD is refused (fail closed)."""
    from rdflib.plugins.shared.jsonld import context as jsonld_context

    original = getattr(jsonld_context.Context, "_fetch_context", None)
    if original is None:
        raise _LoadRefusedError("JSON-LD is refused: this rdflib version's context loader cannot be guarded")
    if getattr(original, "_treatykg_guard", False):
        return

    def guarded(self, source, base, referenced_contexts):
        if _NO_LOADS.get():
            raise _LoadRefusedError(_REFUSED)
        return original(self, source, base, referenced_contexts)

    guarded._treatykg_guard = True  # type: ignore[attr-defined]
    jsonld_context.Context._fetch_context = guarded


@contextlib.contextmanager
def _refusing_loads() -> Iterator[None]:
    _install_guard()
    token = _NO_LOADS.set(True)
    try:
        yield
    finally:
        _NO_LOADS.reset(token)


def parse_jsonld(path: Path, text: str, base: str | None = None):
    """JSON-LD text as an rdflib Graph, loading nothing (see :func:`_install_guard`)."""
    from rdflib import Dataset
    from rdflib.plugins.parsers.jsonld import to_rdf

    data = parse_json(path, text)
    dataset = Dataset()
    try:
        with _refusing_loads():
            to_rdf(data, dataset, base=base)
    except _LoadRefusedError as exc:
        raise SourceError(path, str(exc)) from None
    return _merged(dataset)


def _merged(dataset):
    from rdflib import Graph

    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=False)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


# --- Turtle family ---------------------------------------------------------------------------------

_LINE = re.compile(r"line (\d+)")


def parse_rdf(path: Path, text: str, fmt: str, base: str | None = None):
    """RDF text (turtle, trig, nt, nquads, json-ld, xml) as one rdflib Graph (named graphs merged).

    Any parser failure is a :class:`SourceError` with the line the parser names."""
    with _quiet_rdflib():
        return _parse_rdf(path, text, fmt, base)


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs warnings (e.g. "does not look like a valid URI") to stderr while parsing; the
    file's problems are reported once, as a SourceError, so the error stays one line."""
    import logging

    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse_rdf(path: Path, text: str, fmt: str, base: str | None):
    from rdflib import Dataset, Graph

    if fmt == "json-ld":
        return parse_jsonld(path, text, base)
    try:
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(data=text, format=fmt, publicID=base)
            return _merged(dataset)
        graph = Graph()
        graph.parse(data=text, format=fmt, publicID=base)
        return graph
    except RecursionError:
        raise SourceError(path, "syntax error: the file nests too deeply to be read") from None
    except MemoryError:
        raise  # a resource limit, not a syntax error (see statements.read_statements)
    except Exception as exc:  # rdflib raises many types for bad syntax
        message = " ".join(str(exc).split())
        match = _LINE.search(message)
        message = re.sub(r"at line \d+ of <[^>]*>:\s*", "", message).split(" at ^ in:")[0].split(" in:")[0]
        raise SourceError(path, f"syntax error: {message[:300]}", int(match.group(1)) if match else None) from exc


def check_terms(path: Path, graph, text: str = "") -> None:
    """Refuse a graph holding a term RDF stores cannot hold: an invalid IRI (a space, a control
    character, no scheme), a literal that is not valid Unicode (a lone surrogate), a bad language
    tag. The store would otherwise fail on it later, far from the file."""
    from rdflib import URIRef

    from ..util.rdfconv import to_oxigraph

    for triple in graph:
        for term in triple:
            problem = None
            try:
                str(term).encode("utf-8")
            except UnicodeEncodeError as exc:
                problem = f"U+{ord(str(term)[exc.start]):04X} is a lone surrogate, not a Unicode character"
            else:
                try:
                    to_oxigraph(term)
                except (ValueError, TypeError) as exc:
                    problem = _first_line(exc)
            if problem:
                kind = "IRI" if isinstance(term, URIRef) else "literal" if hasattr(term, "language") else "term"
                shown = str(term).encode("utf-8", "backslashreplace").decode("utf-8")[:80]
                needle = str(term)[:40]
                line = text.count("\n", 0, text.find(needle)) + 1 if needle and needle in text else None
                raise SourceError(path, f"invalid {kind} {shown!r}: {problem}", line)


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


# --- YAML ------------------------------------------------------------------------------------------


def load_yaml(path: Path, text: str):
    """YAML with the safe loader, refusing anchors and aliases and bounding nesting."""
    import yaml

    try:
        if getattr(yaml, "__with_libyaml__", False):
            # libyaml's parser is ~30x faster than PyYAML's; its composer is C, so the refusals are
            # made on its event stream first (aliases are never expanded), then it composes.
            _refuse_anchors_and_depth(yaml.parse(text, Loader=yaml.CSafeLoader))
            return yaml.load(text, Loader=yaml.CSafeLoader)
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError(path, f"YAML error: {exc.problem or exc.context}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise SourceError(path, f"YAML error: {_first_line(exc)}") from None


def _refuse_anchors_and_depth(events) -> None:
    """Raise on the first anchor or alias, or on nesting deeper than :data:`MAX_YAML_DEPTH`."""
    import yaml
    from yaml.composer import ComposerError

    depth = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed in a template", event.start_mark)
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise ComposerError(None, None, "anchors (&name) are not allowed in a template", event.start_mark)
        nodes = (yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.ScalarEvent)
        if isinstance(event, nodes) and depth + 1 > MAX_YAML_DEPTH:
            raise ComposerError(None, None, f"nests deeper than {MAX_YAML_DEPTH} levels", event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _strict_loader():
    import yaml
    from yaml.composer import ComposerError

    class StrictLoader(yaml.SafeLoader):
        """PyYAML's SafeLoader (no Python objects), refusing anchors/aliases outright instead of
        expanding them, and nesting beyond :data:`MAX_YAML_DEPTH`. The templates need neither."""

        _depth = 0

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                raise ComposerError(None, None, "aliases (*name) are not allowed in a template", event.start_mark)
            if getattr(event, "anchor", None) is not None:
                raise ComposerError(None, None, "anchors (&name) are not allowed in a template", event.start_mark)
            self._depth += 1
            try:
                if self._depth > MAX_YAML_DEPTH:
                    raise ComposerError(None, None, f"nests deeper than {MAX_YAML_DEPTH} levels", event.start_mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return StrictLoader


class _LazyLoader:
    """Build the loader class on first use, so importing this module does not import PyYAML."""

    _cls = None

    def __call__(self, stream):
        if _LazyLoader._cls is None:
            _LazyLoader._cls = _strict_loader()
        return _LazyLoader._cls(stream)


_StrictLoader = _LazyLoader()
