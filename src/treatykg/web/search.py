"""Find: a server-side search over the names of provisions, stakeholders, documents, claims and
concepts (labels, alternative names and titles).

Why in Python: the visitor's words are hostile input. The index is read once with a fixed query
(``queries/search-index.rq``) and searched here, so no query text is ever built from them; the
query length and the number of results are bounded. No external service is involved.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..model.iri import UNCC, EIdError, provision_eid
from .order import treaty_order

MAX_QUERY_CHARS = 200
MAX_RESULTS = 50
KINDS = ("provision", "stakeholder", "document", "concept", "claim")  # the order results are shown in
#: With --allow-update the graph may change while the server runs: the index is then read again
#: after this many seconds. Without it the graph is fixed and the index is read once.
REFRESH_SECONDS = 10.0


def fold(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed: "Nações  Unidas" -> "nacoes unidas"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str
    matched: str  # the name that matched, when it is not the label (an alternative name, a title)
    score: int


@dataclass
class Entry:
    iri: str
    kind: str
    label: str
    names: list[tuple[str, str]]  # (name, folded name)


class SearchIndex:
    """Every searchable entity with its names, searched by words."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_iri = {e.iri: e for e in entries}

    @classmethod
    def from_rows(cls, rows: list[dict]) -> SearchIndex:
        entries: dict[str, Entry] = {}
        for row in rows:
            iri, kind, name = row["item"].value, row["kind"].value, row["name"].value
            label = row["label"].value if row.get("label") is not None else name
            entry = entries.setdefault(iri, Entry(iri, kind, label, []))
            if kind in KINDS and KINDS.index(kind) < KINDS.index(entry.kind):
                entry.kind = kind  # a claim that is also a concept is listed as the more specific kind
            if all(name != known for known, _ in entry.names):
                entry.names.append((name, fold(name)))
        return cls(list(entries.values()))

    def search(self, text: str, kind: str | None = None, limit: int = MAX_RESULTS) -> list[Hit]:
        """Entities whose names contain every word of ``text``, best first: a name equal to the
        words, then one that starts with them, then every word at a word start, then anywhere."""
        wanted = fold(text[:MAX_QUERY_CHARS])
        words = wanted.split()
        if not words:
            return []
        exact_provision = _provision(text)
        hits: list[Hit] = []
        for entry in self.entries:
            if kind and entry.kind != kind:
                continue
            best: tuple[int, str] | None = None
            for name, folded in entry.names:
                score = _score(folded, wanted, words)
                if score is not None and (best is None or score < best[0]):
                    best = (score, name)
            if entry.iri == exact_provision:
                best = (-1, entry.label)
            if best is not None:
                matched = "" if best[1] == entry.label else best[1]
                hits.append(Hit(entry.iri, entry.kind, entry.label, matched, best[0]))
        hits.sort(key=lambda h: (h.score, KINDS.index(h.kind) if h.kind in KINDS else 9, treaty_order(h.iri), h.label))
        return hits[:limit]


def _score(folded: str, wanted: str, words: list[str]) -> int | None:
    if folded == wanted:
        return 0
    if not all(word in folded for word in words):
        return None
    if folded.startswith(wanted):
        return 1
    starts = {w[: len(x)] for w in folded.replace("(", " ").split() for x in words}
    if all(word in starts for word in words):
        return 2
    return 3


def _provision(text: str) -> str | None:
    """The IRI of a provision written as people write it ("Art. 28(4)", "24"), else None."""
    try:
        return UNCC + provision_eid(text.strip()[:40])
    except (EIdError, ValueError):
        return None


async def index(request: Request) -> SearchIndex:
    """The server's index, read on first use (and again after a while if updates are allowed)."""
    from .render import run

    state = request.app.state
    built = getattr(state, "search_index", None)
    age = time.monotonic() - getattr(state, "search_index_at", 0.0)
    if built is None or (state.settings.allow_update and age > REFRESH_SECONDS):
        rows = await run(request, "search-index")
        built = await run_in_threadpool(SearchIndex.from_rows, rows)
        state.search_index, state.search_index_at = built, time.monotonic()
    return built


async def search_page(request: Request) -> Response:
    """``/search?q=words[&kind=provision|stakeholder|document|concept|claim]``."""
    from .render import render

    text = request.query_params.get("q", "")
    kind = request.query_params.get("kind") or None
    title = "Search"
    if kind is not None and kind not in KINDS:
        return render(
            request,
            "search.html",
            title=title,
            q=text,
            kind=None,
            hits=[],
            kinds=KINDS,
            status=400,
            error=f"kind: unknown kind {kind[:40]!r}; use one of {', '.join(KINDS)}",
        )
    if len(text) > MAX_QUERY_CHARS:
        return render(
            request,
            "search.html",
            title=title,
            q=text[:MAX_QUERY_CHARS],
            kind=kind,
            hits=[],
            kinds=KINDS,
            status=400,
            error=f"q: at most {MAX_QUERY_CHARS} characters, please",
        )
    hits = (await index(request)).search(text, kind) if text.strip() else []
    return render(request, "search.html", title=title, q=text, kind=kind, hits=hits, kinds=KINDS, limit=MAX_RESULTS)
