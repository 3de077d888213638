"""Ad-hoc SPARQL that forgives: the project's prefixes predeclared, and one readable line for
the mistakes people make first (issue 17).

A query typed at the command line may use ``tkg:``, ``uncc:``, ``dct:`` ... without declaring
them: :func:`prepare` puts a ``PREFIX`` line before the query for each prefix of
:data:`treatykg.model.iri.PREFIXES` that the query does not declare itself (a query's own
``PREFIX tkg: <...>`` wins; no two declarations of one name). The lines only name namespaces:
nothing is fetched, and the ``SERVICE``/``LOAD`` guard (:mod:`treatykg.util.sparqltext`) still reads
the whole text.

Before the engine sees the text, :func:`check` catches, with the line and column in the user's
own text: an update (``INSERT: updates are not accepted here``), a misspelt query form
(``SELEKT: expected SELECT, CONSTRUCT, ASK or DESCRIBE``) and an undeclared prefix
(``unknown prefix 'foo'``). The engine's own syntax errors are shortened to one line with the
position moved back past the predeclared lines (:func:`engine_message`).

>>> text, lines = prepare("SELECT ?a WHERE { ?a a tkg:Article }")
>>> text.splitlines()[0], lines > 10, text.endswith("tkg:Article }")
('PREFIX tkg: <https://w3id.org/treatykg/ontology#>', True, True)
>>> prepare("PREFIX tkg: <http://example.org/> ASK {}")[0].count("PREFIX tkg:")
1
"""

from __future__ import annotations

import re

from ..model.iri import PREFIXES

FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
#: The prologue (comments, BASE and PREFIX declarations) a query may start with.
_PROLOGUE_ITEM = re.compile(
    r"""\s+|\#[^\r\n]*|(?i:BASE)\s*<[^<>\s]*>|(?i:PREFIX)\s*[A-Za-z_0-9.\-\u00b7\u00c0-\uffff]*:\s*<[^<>\s]*>"""
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENGINE_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


class AdhocError(ValueError):
    """A query refused before it runs; ``str()`` is one line naming the position."""


def declared_prefixes(text: str) -> set[str]:
    """The prefix names the query declares itself (``PREFIX name: <...>``)."""
    from ..util.sparqltext import SparqlLexError, iter_tokens

    declared: set[str] = set()
    previous = None
    try:
        for token in iter_tokens(text, decode=False):
            if token.kind == "PNAME_NS" and previous is not None and previous.text.upper() == "PREFIX":
                declared.add(token.text[:-1])
            previous = token
    except SparqlLexError:
        pass  # check() reports the text; here only what was read so far counts
    return declared


def predeclared(text: str) -> str:
    """The PREFIX lines for the project's prefixes that ``text`` does not declare."""
    mine = declared_prefixes(text)
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if name not in mine)


def prepare(text: str) -> tuple[str, int]:
    """``(query text with the predeclared prefixes, number of lines put before it)``; raises
    AdhocError for the mistakes :func:`check` knows."""
    check(text)
    prologue = predeclared(text)
    return prologue + text, prologue.count("\n")


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def check(text: str) -> None:
    """Raise AdhocError for an empty text, an update, a query form that is not one, or a prefix
    neither the query nor the project declares; else return (the engine judges the rest)."""
    from ..util.sparqltext import SparqlLexError, iter_tokens

    pos = 0
    while True:
        match = _PROLOGUE_ITEM.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    if pos >= len(text):
        raise AdhocError("the query is empty: give SELECT, CONSTRUCT, ASK or DESCRIBE")
    word = _WORD.match(text, pos)
    found = word.group() if word else text[pos : pos + 12].split()[0]
    if found.upper() in UPDATES:
        raise AdhocError(f"{found}: updates are not accepted here ({_position(text, pos)}); only queries are")
    if found.upper() not in FORMS:
        raise AdhocError(f"{found}: expected SELECT, CONSTRUCT, ASK or DESCRIBE ({_position(text, pos)})")
    known = set(PREFIXES) | declared_prefixes(text)
    previous = None
    try:
        for token in iter_tokens(text, decode=False):
            if token.kind in ("PNAME_LN", "PNAME_NS") and not (previous and previous.text.upper() == "PREFIX"):
                prefix = token.text.split(":", 1)[0]
                if prefix not in known:
                    raise AdhocError(
                        f"unknown prefix {prefix!r} ({_position(text, token.start)}); declare it with "
                        f"PREFIX {prefix}: <...> or use one of the project's (treatykg sparql --help)"
                    )
            previous = token
    except SparqlLexError as exc:
        raise AdhocError(str(exc)) from None


def engine_message(message: str, shift: int) -> str:
    """The engine's syntax error as one line, its position counted in the user's text (``shift``
    lines were put before it) and a long list of expected tokens cut short."""
    match = _ENGINE_POSITION.search(message)
    if not match:
        return " ".join(message.split())
    line, column, rest = int(match.group(1)) - shift, match.group(2), " ".join(match.group(3).split())
    if len(rest) > 100:
        rest = rest[:100].rsplit(",", 1)[0] + ", ..."
    return f"SPARQL syntax error at line {max(line, 1)}, column {column}: {rest}"
