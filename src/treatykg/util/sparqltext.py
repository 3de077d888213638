"""A SPARQL 1.1 tokenizer, so the server decides on ``SERVICE`` and ``LOAD`` from tokens, not text.

A public endpoint has to refuse ``SERVICE`` (outbound HTTP to any host the caller names) and
``LOAD`` unless its operator allowed them. pyoxigraph exposes no parsed query and no hook to veto
them, so the text is tokenized here with the grammar's terminals (SPARQL 1.1 Query, section 19.8:
IRIREF, PNAME_NS/PNAME_LN, BLANK_NODE_LABEL, VAR1/VAR2, LANGTAG, INTEGER/DECIMAL/DOUBLE with
signs, the four string forms with ECHAR, NIL, ANON, whitespace, comments, punctuation and the
keywords), after the code-point escape decoding of section 19.2, with longest-match semantics.
A pattern search cannot do this: in ``?s ?p 1SERVICE <http://...> {}`` the keyword follows a
number with no space, which the grammar allows (and the engine runs).

Keywords are read as the grammar's literal strings, longest first, not as "words": ``trueSERVICE``
is ``true`` then ``SERVICE``, exactly as the engine reads it. Text that is no sequence of
terminals is refused (:class:`SparqlLexError`); the engine would refuse it too.

The engine (oxigraph's spargebra) is a PEG parser: when one reading fails it re-reads the same
text another way, and its rules differ from the specification in places. Two such re-readings
are known to reach the keyword where a longest-match lexer sees a prefixed name: ``SERVICE:x``
(tried as a triple subject, then as ``SERVICE :x``) and a local name with two dot groups such as
``ex:a.b.SERVICE`` (spargebra's PN_LOCAL stops at ``ex:a.b``). So :func:`fetching_keyword` also
refuses a name token that starts with the keyword or has it right after a dot. That refuses a few
harmless names (``PREFIX service: <...>``) with a clear message; it never lets one through.

Every loop here moves forward through the text and each token is matched once, with regular
expressions that cannot backtrack past the token they match (possessive repetitions), so a
megabyte of hostile text (an unterminated string of ``\\"``, ``a.a.a.a...``) is lexed in linear
time. The server runs it off the event loop all the same.

>>> fetching_keyword('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }')
'SERVICE'
>>> fetching_keyword('SELECT * { ?s ?p 1SERVICE <http://x/> { ?a ?b ?c } }')
'SERVICE'
>>> fetching_keyword('SELECT ?service { ?service a <http://ex/SERVICE> ; ?p "SERVICE" } # SERVICE') is None
True
>>> fetching_keyword('SELECT * { \\\\u0053ERVICE <http://x/> { ?s ?p ?o } }')
'SERVICE'
>>> [t.kind for t in tokenize('ASK { ?s a ex:b }')]
['KEYWORD', '{', 'VAR', 'a', 'PNAME_LN', '}']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Keywords that make the engine fetch a URL chosen by the caller.
FETCHING = ("SERVICE", "LOAD")

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

#: Every keyword of the SPARQL 1.1 Query and Update grammars, plus those oxigraph accepts beyond
#: them (SPARQL 1.2 / SEP drafts: LATERAL, ADJUST, TRIPLE, LANGDIR...). 'a' is apart: it is the
#: one keyword matched case-sensitively (section 19.8); true/false follow the spec's rule.
_KEYWORD_LIST = """
    BASE PREFIX VERSION SELECT DISTINCT REDUCED AS CONSTRUCT WHERE DESCRIBE ASK FROM NAMED GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD TO MOVE COPY
    INSERT DATA DELETE WITH USING DEFAULT GRAPH ALL OPTIONAL SERVICE BIND UNDEF MINUS UNION FILTER
    LATERAL ADJUST STR LANG LANGMATCHES LANGDIR DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR
    ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER
    YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512
    COALESCE IF STRLANG STRLANGDIR STRDT sameTerm isIRI isURI isBLANK isLITERAL isNUMERIC isTriple
    hasLang hasLangDir TRIPLE SUBJECT PREDICATE OBJECT REGEX SUBSTR REPLACE EXISTS NOT IN COUNT SUM
    MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR true false
"""
KEYWORDS = frozenset(_KEYWORD_LIST.split())

# Character classes of section 19.8 (PN_CHARS_BASE and friends), as regex set contents.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_VARNAME = rf"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*+"
# ECHAR, and UCHAR, which the engine decodes inside strings and IRIs (not elsewhere).
_ECHAR = r"""\\[tbnrf\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_WS = _c(r"[ \t\r\n]++")
_COMMENT = _c(r"#[^\r\n]*+")
_IRIREF = _c(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>')
_LONG2 = _c(rf'"""(?:(?:""|")?+(?:[^"\\]|{_ECHAR}))*+"""')
_LONG1 = _c(rf"'''(?:(?:''|')?+(?:[^'\\]|{_ECHAR}))*+'''")
_SHORT2 = _c(rf'"(?:[^"\\\n\r]|{_ECHAR})*+"')
_SHORT1 = _c(rf"'(?:[^'\\\n\r]|{_ECHAR})*+'")
_VAR = _c(rf"[?$]{_VARNAME}")
_LANGTAG = _c(r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?+")
_BNODE = _c(rf"_:[{_U}0-9][{_CHARS}.]*+")  # trailing dots: see _trim_dots
_EXP = r"[eE][+-]?+[0-9]++"
# Longest first: DOUBLE, then DECIMAL, then INTEGER (each alternative is bounded by its token).
_NUMBER = _c(rf"[+-]?+(?:[0-9]++\.[0-9]*+{_EXP}|\.[0-9]++{_EXP}|[0-9]++{_EXP}|[0-9]*+\.[0-9]++|[0-9]++)")
# The run of name characters and dots a prefix can span (its end is shared by every position in it).
_NAME_RUN = _c(rf"[{_CHARS}.]*+")
_PN_LOCAL = _c(rf"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}.:]|{_PLX})*+")  # trailing dots: see _trim_dots
_KEYWORD = _c(
    "|".join(re.escape(k) for k in sorted(KEYWORDS, key=len, reverse=True)),
    re.IGNORECASE | re.ASCII,  # ASCII only: 'ſERVICE' is not SERVICE, as in the engine
)
_NIL = _c(r"\([ \t\r\n]*+\)")
_ANON = _c(r"\[[ \t\r\n]*+\]")
_PUNCT = _c(r"\^\^|<<\(|\)>>|<<|>>|\{\||\|\}|<=|>=|!=|&&|\|\||[{}()\[\];,.*/|^!=<>+\-?~:]")
_BASE_START = _c(rf"[{_BASE}]")
_FETCH_IN_NAME = _c(r"(?:^|\.)(?:service|load)", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class Token:
    """One terminal: its kind (``KEYWORD``, ``PNAME_LN``, ``VAR``, ``STRING``, ``IRIREF``...,
    or the punctuation itself), its text and where it starts in the decoded query."""

    kind: str
    text: str
    start: int


class SparqlLexError(ValueError):
    """The text is no sequence of SPARQL terminals; the message names line and column."""


def decode_codepoints(text: str) -> str:
    """Apply SPARQL's code-point escape decoding (``\\uXXXX``, ``\\UXXXXXXXX``) to the whole
    text, once, before lexing (section 19.2), as the engine does."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(replace, text)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (whitespace and comments dropped); raises SparqlLexError."""
    return list(iter_tokens(text))


def _trim_dots(text: str, start: int, stop: int) -> int:
    """A name may not end with a dot (an escaped ``\\.`` is fine): where it really stops."""
    while stop > start and text[stop - 1] == "." and text[stop - 2] != "\\":
        stop -= 1
    return stop


def iter_tokens(text: str, decode: bool = True) -> Iterator[Token]:
    """Tokens one by one, lexed left to right in linear time (see the module docstring).
    ``decode``: apply the code-point escape decoding of section 19.2 first."""
    if decode:
        text = decode_codepoints(text)
    pos, end = 0, len(text)
    run_start, run_end = -1, -1  # the last name run measured, reused by positions inside it
    while pos < end:
        char = text[pos]
        if char in " \t\r\n":
            pos = _WS.match(text, pos).end()
            continue
        if char == "#":
            pos = _COMMENT.match(text, pos).end()
            continue
        token = None
        if char == '"' or char == "'":
            long = _LONG2 if char == '"' else _LONG1
            match = (text.startswith(char * 3, pos) and long.match(text, pos)) or (
                _SHORT2 if char == '"' else _SHORT1
            ).match(text, pos)
            if match:
                token = Token("STRING", match.group(), pos)
        elif char == "<":
            match = _IRIREF.match(text, pos)
            token = Token("IRIREF", match.group(), pos) if match else None
        elif char in "?$":
            match = _VAR.match(text, pos)
            token = Token("VAR", match.group(), pos) if match else None
        elif char == "@":
            match = _LANGTAG.match(text, pos)
            token = Token("LANGTAG", match.group(), pos) if match else None
        elif char == "_" and text.startswith("_:", pos):
            match = _BNODE.match(text, pos)
            if match:
                token = Token("BLANK_NODE_LABEL", text[pos : _trim_dots(text, pos + 3, match.end())], pos)
        elif char.isdigit() or (char in "+-." and pos + 1 < end and text[pos + 1] in "0123456789."):
            match = _NUMBER.match(text, pos)
            token = Token("NUMBER", match.group(), pos) if match else None
        elif char == "(":
            match = _NIL.match(text, pos)
            token = Token("NIL", match.group(), pos) if match else None
        elif char == "[":
            match = _ANON.match(text, pos)
            token = Token("ANON", match.group(), pos) if match else None
        if token is None and (char == ":" or _BASE_START.match(char)):
            if char != ":":
                if not run_start < pos < run_end:
                    run_start, run_end = pos, _NAME_RUN.match(text, pos + 1).end()
                colon = run_end  # a prefix ends where the run ends, and not on a dot
                is_pname = colon < end and text[colon] == ":" and text[colon - 1] != "."
            else:
                colon, is_pname = pos, True
            if is_pname:
                local = _PN_LOCAL.match(text, colon + 1)
                if local:
                    token = Token("PNAME_LN", text[pos : _trim_dots(text, colon + 2, local.end())], pos)
                else:
                    token = Token("PNAME_NS", text[pos : colon + 1], pos)
            else:
                match = _KEYWORD.match(text, pos)
                if match:
                    token = Token("KEYWORD", match.group(), pos)
                elif char == "a":
                    token = Token("a", "a", pos)
        if token is None:
            match = _PUNCT.match(text, pos)
            if match:
                token = Token(match.group(), match.group(), pos)
        if token is None:
            line = text.count("\n", 0, pos) + 1
            column = pos - (text.rfind("\n", 0, pos) + 1) + 1
            raise SparqlLexError(f"SPARQL syntax error at line {line}, column {column}: unexpected {text[pos]!r}")
        yield token
        pos += len(token.text)


#: Outcomes for the last few long texts: a request is checked once in a worker thread, and a
#: second check of the same text (the editor page, then the pool) costs a dictionary lookup.
_RECENT: dict[str, str | SparqlLexError | None] = {}
_RECENT_SIZE = 8
_RECENT_MIN = 4096


def fetching_keyword(text: str) -> str | None:
    """``SERVICE`` or ``LOAD`` if the query or update uses one, else None; raises SparqlLexError.
    Long texts are remembered (a few), so checking the same text twice costs little."""
    if len(text) < _RECENT_MIN:
        return _fetching_keyword(text)
    try:
        outcome = _RECENT[text]
    except KeyError:
        try:
            outcome = _fetching_keyword(text)
        except SparqlLexError as exc:
            outcome = exc
        if len(_RECENT) >= _RECENT_SIZE:
            _RECENT.clear()
        _RECENT[text] = outcome
    if isinstance(outcome, SparqlLexError):
        raise SparqlLexError(str(outcome))
    return outcome


def _fetching_keyword(text: str) -> str | None:
    """``SERVICE`` or ``LOAD`` if the query or update uses one, else None; raises SparqlLexError.

    The text is read twice when it has code-point escapes: decoded, as section 19.2 says, and
    as it is, as the engine reads it (pyoxigraph 0.5 decodes them only inside strings and IRIs).
    Either reading that finds the keyword, or fails, refuses the text. In each reading a keyword
    token counts, and so does a name token starting with one or having one right after a dot,
    which the engine's parser may re-read as the keyword (module docstring)."""
    readings = (True, False) if _CODEPOINT.search(text) else (True,)
    for decode in readings:
        for token in iter_tokens(text, decode):
            if token.kind == "KEYWORD":
                word = token.text.upper()
                if word in FETCHING:
                    return word
            elif token.kind in ("PNAME_LN", "PNAME_NS", "BLANK_NODE_LABEL"):
                match = _FETCH_IN_NAME.search(token.text)
                if match:
                    return match.group().lstrip(".").upper()
    return None


def uses_keyword(text: str, keyword: str) -> bool:
    """Whether the query uses ``keyword`` (``SERVICE`` or ``LOAD``) or any other keyword that
    fetches a URL (one refusal covers both); raises SparqlLexError on text that is no SPARQL."""
    return fetching_keyword(text) is not None
