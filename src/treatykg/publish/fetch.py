"""Fetch RDF from a URL for ``--with URL``: bounded in size and time, format from the server's
Content-Type (or the URL's file extension when the server says nothing useful).

Linking means loading someone else's graph next to ours; a URL is the common way to name it.
The download goes to a private temporary file, so a half-received file never reaches the store,
and a server that sends more than the limit is cut off with a one-line error.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from ..model.sources import SourceError

MAX_BYTES = 256 * 1024 * 1024
TIMEOUT = 60.0
#: media type -> the file extension pyoxigraph recognises
MEDIA_TYPES = {
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/n-triples": ".nt",
    "text/plain": None,  # often N-Triples, but also anything: decide by extension
    "application/n-quads": ".nq",
    "application/trig": ".trig",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    "text/n3": ".n3",
}
EXTENSIONS = {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".n3"}
ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7, */*;q=0.1"


def is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def fetch_rdf(url: str, directory: Path, limit: int = MAX_BYTES, timeout: float = TIMEOUT) -> Path:
    """Download ``url`` into ``directory``; returns the file (its extension names the format).
    Raises SourceError (one line, naming the URL) on any failure."""
    request = urllib.request.Request(url, headers={"Accept": ACCEPT, "User-Agent": "treatykg"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media = response.headers.get_content_type()
            suffix = _suffix(url, media)
            target = directory / f"with-{hashlib.sha256(url.encode()).hexdigest()[:16]}{suffix}"
            size = 0
            with target.open("wb") as out:
                while chunk := response.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise SourceError(url, f"more than {limit} bytes; download it and pass the file instead")
                    out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise SourceError(url, f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise SourceError(url, f"cannot fetch ({getattr(exc, 'reason', None) or exc})") from None
    return target


def _suffix(url: str, media: str) -> str:
    known = MEDIA_TYPES.get(media)
    if known:
        return known
    extension = Path(urlsplit(url).path).suffix.lower()
    if extension in EXTENSIONS:
        return ".rdf" if extension == ".owl" else extension
    raise SourceError(url, f"cannot tell the RDF format (Content-Type {media!r}, no known file extension)")
