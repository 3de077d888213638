"""Lexical checks on SPARQL text that must hold *before* a query reaches an engine.

A public endpoint has to refuse ``SERVICE`` (outbound HTTP to any host, chosen by the caller) and
``LOAD`` unless its operator allowed them. pyoxigraph offers no hook to veto them, so the text is
scanned instead. The scan follows the grammar's lexical rules, not a naive substring search:

* code-point escapes (``\\u0053ERVICE``) are decoded first, as SPARQL 1.1 section 19.2 says
  a parser must, so an escaped keyword cannot slip through;
* string literals, IRIs and comments are blanked out, so ``"SERVICE"`` in a literal, a comment
  or ``<http://ex/SERVICE>`` is not mistaken for the keyword;
* variables (``?service``), prefixed names (``ex:service``, ``service:x``), blank-node labels
  and language tags are not keywords either.

A false positive only refuses a query with a clear message; a false negative would open the
endpoint to the network, so the rules err on the side of finding the keyword.

>>> uses_keyword('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }', 'SERVICE')
True
>>> uses_keyword('SELECT * { ?s ?p "SERVICE" } # SERVICE', 'SERVICE')
False
>>> uses_keyword('SELECT ?service { ?service a <http://ex/SERVICE> }', 'SERVICE')
False
>>> uses_keyword('SELECT * { \\\\u0053ERVICE <http://x/> { ?s ?p ?o } }', 'SERVICE')
True
"""

from __future__ import annotations

import re

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Order matters: long strings before short ones, so '"""' is not read as an empty string.
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)


def decode_codepoints(text: str) -> str:
    """Apply SPARQL's code-point escape decoding (``\\uXXXX``, ``\\UXXXXXXXX``) to the whole text."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(replace, text)


def strip_lexemes(text: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces (keywords can't hide there)."""
    return _LEXEMES.sub(" ", decode_codepoints(text))


def uses_keyword(text: str, keyword: str) -> bool:
    """Whether ``keyword`` (case-insensitive) occurs as a keyword of the query or update."""
    pattern = re.compile(rf"(?<![\w?$:@-]){re.escape(keyword)}(?![\w:-])", re.IGNORECASE)
    return bool(pattern.search(strip_lexemes(text)))
