"""Treaty order for provisions shown in tables.

Why: a page sorted by label or IRI puts "Article 36" before "Article 4"; a reader of a treaty
expects the preamble, then the articles by number, then paragraphs and points. Sorting happens on
the page side so a page is right whatever order its query returns.
"""

from __future__ import annotations

import re

from ..model.iri import UNCC, UNCC_WORK

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_PART = re.compile(r"^(preamble|chp|art|para|point)(?:_(.+))?$")
_RANK = {"preamble": 0, "chp": 1, "art": 2, "para": 3, "point": 4}


def _roman(text: str) -> int | None:
    if not text or any(c not in _ROMAN for c in text.lower()):
        return None
    values = [_ROMAN[c] for c in text.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _number(text: str) -> tuple[int, str]:
    if text.isdigit():
        return (int(text), "")
    if len(text) == 1 and text.isalpha():  # points a, b, c
        return (ord(text.lower()) - ord("a"), "")
    roman = _roman(text)
    return (roman, "") if roman is not None else (10**6, text)


def treaty_order(iri: str) -> tuple:
    """A sort key: the Convention first, then its parts in treaty order, then anything else by IRI.

    >>> sorted(["https://w3id.org/treatykg/uncc/art_36", "https://w3id.org/treatykg/uncc/art_4",
    ...         "https://w3id.org/treatykg/uncc", "https://w3id.org/treatykg/uncc/art_4__para_2__point_b",
    ...         "https://w3id.org/treatykg/uncc/art_4__para_10", "https://w3id.org/treatykg/uncc/preamble"],
    ...        key=treaty_order)  # doctest: +NORMALIZE_WHITESPACE
    ['https://w3id.org/treatykg/uncc', 'https://w3id.org/treatykg/uncc/preamble',
     'https://w3id.org/treatykg/uncc/art_4', 'https://w3id.org/treatykg/uncc/art_4__para_2__point_b',
     'https://w3id.org/treatykg/uncc/art_4__para_10', 'https://w3id.org/treatykg/uncc/art_36']
    """
    if iri == UNCC_WORK:
        return (0,)
    if not iri.startswith(UNCC):
        return (2, iri)
    key: list = [1]
    for part in iri[len(UNCC) :].split("__"):
        match = _PART.match(part)
        if not match:
            return (1, 9, iri)
        key.append(_RANK[match.group(1)])
        key.append(_number(match.group(2) or ""))
    return tuple(key)
