"""Make text from other people safe to show on a terminal.

Labels, quotes, file names and parser messages can come from a contributor's file. Written raw to
a terminal, an ESC or CSI sequence can move the cursor, rewrite earlier lines, set the window
title or plant a hyperlink (OSC 8); a C1 control does the same on terminals that honour 8-bit
controls; a bidi override (U+202E) makes text read in a different order than it is stored; a line
break lets one problem pose as two. :func:`printable` shows every such character as a visible
escape (``\\x1b``, ``\\u202e``), so what is printed is what the file says, one line per item.
"""

from __future__ import annotations

import re

#: C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, the Arabic letter mark, and
#: the Unicode line and paragraph separators.
_FORMATTING = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_FORMATTING}]")
#: The same without line feed and tab, for multi-line documents (Turtle) where those are structure.
_UNSAFE_IN_DOCUMENT = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_FORMATTING}]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with every control and bidi-formatting character shown as a visible escape."""
    return _UNSAFE.sub(_escape, str(text))


def _uchar(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04X}"


def escape_document(text: str) -> str:
    """A JSON or Turtle document with the unsafe characters (other than line feed and tab) written
    as ``\\uXXXX`` escapes. Both syntaxes allow that escape inside strings, and these characters
    can occur only inside strings (IRIs with them are refused on input), so the data is unchanged."""
    return _UNSAFE_IN_DOCUMENT.sub(_uchar, text)
