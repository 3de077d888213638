"""Which IRIs may become links on our pages: the one place that decides.

Anything a page shows can come from a visitor (a ``--with`` file, a contributed statement, the
editor's answer to a crafted query), and an IRI is a string its author chose:
``rdfs:seeAlso <javascript:alert(1)>`` is a valid IRI. Only two kinds of target are made
clickable: a path on this server for IRIs under our base, and an absolute ``http``/``https`` IRI
with a host. Everything else (``javascript:``, ``data:``, ``vbscript:``, ``file:``, ``urn:``...)
is shown as text. Every template and picture goes through :func:`href`, so a new page cannot
forget it; the Content-Security-Policy (:mod:`treatykg.web.security`) is the second line.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..model.iri import BASE

# Characters an IRI may not contain (RFC 3987) plus controls: a link with them is refused rather
# than "repaired", because a browser's repair may differ from ours.
_FORBIDDEN = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`]')
_SCHEMES = ("http", "https")


def local_path(iri: str) -> str | None:
    """The path on this server that shows ``iri``, for IRIs under our base (else None).

    >>> local_path("https://w3id.org/treatykg/uncc/art_24")
    '/uncc/art_24'
    >>> local_path("http://data.europa.eu/eli/dir/2016/680/oj") is None
    True
    >>> local_path("https://w3id.org/treatykg//evil.example/") is None  # not "//evil.example/"
    True
    """
    if not iri.startswith(BASE) or _FORBIDDEN.search(iri):
        return None
    rest = iri[len(BASE) :]
    if rest.startswith("/"):  # "//host" would be a link to another site
        return None
    return "/" + rest


def web_iri(iri: str) -> bool:
    """Whether ``iri`` is an absolute http(s) IRI with a host, safe as a link target.

    >>> web_iri("https://www.coe.int/en/web/cybercrime")
    True
    >>> [web_iri(x) for x in ("javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,x")]
    [False, False, False]
    >>> web_iri("http://x.example/a b")
    False
    """
    if _FORBIDDEN.search(iri):
        return False
    try:
        parts = urlsplit(iri)
    except ValueError:
        return False
    return parts.scheme.lower() in _SCHEMES and bool(parts.hostname)


def href(iri: str) -> str | None:
    """The link target for ``iri``: ours on this server, other web IRIs as they are, else None
    (the page shows the IRI as text)."""
    return local_path(iri) or (iri if web_iri(iri) else None)
