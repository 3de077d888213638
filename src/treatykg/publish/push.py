"""``treatykg push``: load the dataset into any store that speaks the SPARQL 1.1 Graph Store
HTTP Protocol (Fuseki, GraphDB, Oxigraph, Virtuoso, Stardog...).

Each of our named graphs (one per source file, plus the derived graph) is sent with ``PUT
?graph=IRI``, which the protocol defines as *replace that graph*: pushing twice gives the same
store, and graphs that are not ours are never touched. ``--graph IRI`` puts everything into one
graph instead, for stores where a dataset lives in a single graph.

Credentials never go on the command line: a password comes from ``TREATYKG_PUSH_PASSWORD`` (or a
prompt), a bearer token from ``TREATYKG_PUSH_TOKEN``. A token is sent as ``Authorization: Bearer``
with every request. A user and password are sent the way the server asks (``--auth auto``, the
default): HTTP Digest when it challenges with Digest (Virtuoso's ``/sparql-graph-crud-auth``),
Basic when it challenges with Basic (Fuseki behind Shiro, GraphDB); nothing is sent before the
server asks, so a password never travels in Basic's clear form to a server that wants Digest.
``--auth basic`` sends Basic up front (for servers that answer 403 instead of challenging);
``--auth digest`` answers only a Digest challenge.

Known endpoints: Oxigraph ``http://host:7878/store``; Fuseki ``http://host:3030/DATASET/data``
(or ``/DATASET``); Virtuoso ``http://host:8890/sparql-graph-crud-auth`` (Digest, a user with the
SPARQL_UPDATE role); GraphDB ``http://host:7200/repositories/REPO/rdf-graphs/service``.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

DEFAULT_TIMEOUT = 120.0
#: Triples per request for ``--with`` files: a large graph is sent as a PUT of its first chunk
#: (replace) and a POST of each further chunk (add), so no request runs into the timeout and
#: memory stays bounded by one chunk (about 20 MB of N-Triples), whatever the file's size.
CHUNK_TRIPLES = 100_000


class PushError(Exception):
    """The push failed; ``str()`` is one line naming the endpoint, the graph and how far it got."""


AUTH_SCHEMES = ("auto", "basic", "digest")


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None
    scheme: str = "auto"  # one of AUTH_SCHEMES; a token is always sent as Bearer

    def header(self) -> str | None:
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None:
            raw = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(raw).decode("ascii")
        return None

    @classmethod
    def from_env(cls, user: str | None, scheme: str = "auto") -> Credentials:
        return cls(user, os.environ.get("TREATYKG_PUSH_PASSWORD"), os.environ.get("TREATYKG_PUSH_TOKEN"), scheme)

    def preemptive(self) -> str | None:
        """The Authorization header sent before any challenge: a bearer token, or Basic when asked."""
        if self.token or (self.user is not None and self.scheme == "basic"):
            return self.header()
        return None

    def opener(self, endpoint: str) -> urllib.request.OpenerDirector:
        """An opener that answers the server's 401 challenge with the scheme it names."""
        handlers: list[urllib.request.BaseHandler] = []
        if self.user is not None and not self.token:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, endpoint, self.user, self.password or "")
            handlers.append(ReusingDigestAuthHandler(manager))
            if self.scheme != "digest":
                handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
        return urllib.request.build_opener(*handlers)


class ReusingDigestAuthHandler(urllib.request.HTTPDigestAuthHandler):
    """Digest that answers every request after the first challenge up front, with the server's
    nonce and the next nonce count (RFC 7616, qop=auth). Why: urllib's handler sends each request
    without credentials, reads the 401 and sends it again, so every graph and every ``--with``
    chunk (about 20 MB) crossed the network twice. A server that no longer accepts the nonce
    answers 401 again (stale), and the request is answered with the new challenge as before.
    ``challenges`` counts the 401 challenges answered (for tests and diagnostics)."""

    def __init__(self, manager: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(manager)
        self._challenge: dict[str, str] | None = None
        self.challenges = 0

    def get_authorization(self, req: urllib.request.Request, chal: dict[str, str]) -> str | None:
        if chal is not self._challenge:  # a new challenge from the server, not our reuse below
            self.challenges += 1
            self._challenge = chal
        return super().get_authorization(req, chal)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self._challenge is not None and not req.has_header("Authorization"):
            auth = self.get_authorization(req, self._challenge)
            if auth:
                req.add_unredirected_header("Authorization", f"Digest {auth}")
        return req

    https_request = http_request


def graphs(single_graph: str | None = None) -> Iterator[tuple[str, bytes, int]]:
    """(graph IRI, N-Triples, triple count) for each graph to push, in a stable order."""
    import pyoxigraph as ox

    from ..engine.store import cached_dataset_path

    store = ox.Store()
    store.bulk_load(path=str(cached_dataset_path()), format=ox.RdfFormat.N_QUADS)
    if single_graph:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store]
        yield single_graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)
        return
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        quads = store.quads_for_pattern(None, None, None, graph)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        yield graph.value, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


def with_chunks(files: list[tuple[str, str]], chunk: int = CHUNK_TRIPLES) -> Iterator[tuple[str, bytes, int, bool]]:
    """(graph IRI, N-Triples, triple count, first chunk of that graph?) for ``--with`` files,
    streamed: triples of a file go into its graph (``urn:treatykg:with:NAME``), quads keep their
    own graphs. At most ``chunk`` triples are held at a time. Raises SourceError naming the file."""
    from pathlib import Path

    import pyoxigraph as ox

    from ..model.sources import SourceError

    started: set[str] = set()
    buffers: dict[str, list[str]] = {}
    held = 0

    def flush() -> Iterator[tuple[str, bytes, int, bool]]:
        nonlocal held
        for graph, lines in buffers.items():
            if lines:
                yield graph, "".join(lines).encode("utf-8"), len(lines), graph not in started
                started.add(graph)
        buffers.clear()
        held = 0

    for path, default_graph in files:
        fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
        if fmt is None:
            raise SourceError(path, "unknown RDF file type (use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
        try:
            for item in ox.parse(path=str(path), format=fmt):
                graph_name = getattr(item, "graph_name", None)
                graph = graph_name.value if isinstance(graph_name, ox.NamedNode) else default_graph
                buffers.setdefault(graph, []).append(f"{item.subject} {item.predicate} {item.object} .\n")
                held += 1
                if held >= chunk:
                    yield from flush()
        except SyntaxError as exc:
            raise SourceError(path, f"syntax error: {' '.join(str(exc).split())}") from exc
        except OSError as exc:
            raise SourceError(path, f"cannot read file: {exc}") from exc
    yield from flush()


def check_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"--endpoint must be an http(s) URL of a Graph Store Protocol service, got {endpoint!r}")


def put_graph(
    endpoint: str,
    graph: str,
    body: bytes,
    credentials: Credentials,
    timeout: float,
    opener: urllib.request.OpenerDirector | None = None,
    replace: bool = True,
) -> None:
    """Replace ``graph`` on the store with ``body`` (N-Triples): PUT; or add to it: POST."""
    separator = "&" if urlsplit(endpoint).query else "?"
    url = endpoint + separator + urlencode({"graph": graph})
    headers = {"Content-Type": "application/n-triples"}
    auth = credentials.preemptive()
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(url, data=body, headers=headers, method="PUT" if replace else "POST")
    with (opener or credentials.opener(endpoint)).open(request, timeout=timeout) as response:
        response.read()


def push(
    endpoint: str,
    credentials: Credentials | None = None,
    single_graph: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int, str, int], None] | None = None,
    extra: list[tuple[str, str]] | None = None,
    chunk: int = CHUNK_TRIPLES,
) -> list[tuple[str, int]]:
    """Push every graph, then the ``extra`` (file, graph) pairs in chunks; returns (graph,
    triples) per graph in the order pushed. Raises PushError (or SourceError for a bad file)."""
    check_endpoint(endpoint)
    credentials = credentials or Credentials()
    todo = list(graphs(single_graph))
    done: list[tuple[str, int]] = []
    opener = credentials.opener(endpoint)
    for index, (graph, body, count) in enumerate(todo, start=1):
        where = f"{len(done)} of {len(todo)} graphs pushed; each pushed graph is complete"
        _send(endpoint, graph, body, credentials, timeout, opener, True, where)
        done.append((graph, count))
        if progress:
            progress(index, len(todo), graph, count)
    totals: dict[str, int] = {}
    for index, (graph, body, count, first) in enumerate(with_chunks(extra or [], chunk), start=1):
        where = f"{len(done)} graphs and {index - 1} chunks of --with data pushed; that graph may be partial"
        _send(endpoint, graph, body, credentials, timeout, opener, first, where)
        totals[graph] = totals.get(graph, 0) + count
        if progress:
            progress(index, 0, graph, count)
    return done + list(totals.items())


def _send(endpoint, graph, body, credentials, timeout, opener, replace: bool, where: str) -> None:
    try:
        put_graph(endpoint, graph, body, credentials, timeout, opener, replace)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        reason = f"HTTP {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")
        raise PushError(_failure(endpoint, graph, reason, where, replace)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise PushError(_failure(endpoint, graph, f"cannot connect ({reason})", where, replace)) from None


def _failure(endpoint: str, graph: str, reason: str, where: str, replace: bool) -> str:
    doing = "replacing" if replace else "adding to"
    return f"{endpoint}: {reason} while {doing} graph <{graph}> ({where}; run the push again to finish)"
