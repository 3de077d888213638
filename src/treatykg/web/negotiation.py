"""HTTP content negotiation (RFC 9110 section 12.5.1) for SPARQL results and entity pages.

Browsers send ``text/html,...,*/*;q=0.8``; SPARQL clients send the results types they read;
curl sends ``*/*``. The server picks, for each possible answer form, the best type it can write,
and an explicit ``format=`` parameter (for download links, where a browser cannot set headers)
overrides the header.

>>> best("text/html,application/xhtml+xml,*/*;q=0.8", ["application/sparql-results+json", "text/html"])
'text/html'
>>> best("application/sparql-results+xml", ["application/sparql-results+json", "application/sparql-results+xml"])
'application/sparql-results+xml'
>>> best("*/*", ["application/sparql-results+json", "text/html"])
'application/sparql-results+json'
>>> best("image/png", ["text/turtle"]) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Range:
    kind: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (2 exact, 1 ``type/*``, 0 ``*/*``), or -1 for none."""
        kind, _, subtype = media_type.partition("/")
        if self.kind == "*":
            return 0
        if self.kind != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else -1


def parse_accept(header: str | None) -> list[_Range]:
    """The media ranges of an Accept header; a missing or empty header accepts anything."""
    ranges = []
    for order, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, subtype = media.partition("/")
        ranges.append(_Range(kind, subtype, q, order))
    return ranges or [_Range("*", "*", 1.0, 0)]


def best(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers: highest q of its most specific matching range; ties go to
    the earlier offer (the server's preference). None if the client accepts none of them."""
    ranges = parse_accept(header)
    scored = []
    for index, offer in enumerate(offers):
        matches = [(r.matches(offer), r.q) for r in ranges if r.matches(offer) >= 0]
        if not matches:
            continue
        specificity, q = max(matches)
        if q > 0:
            scored.append((q, specificity, -index, offer))
    if not scored:
        return None
    # Prefer quality; among equal quality, an explicitly named type beats a wildcard.
    return max(scored)[3]
