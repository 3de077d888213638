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
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
            if self.scheme != "digest":
                handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
        return urllib.request.build_opener(*handlers)


def graphs(single_graph: str | None = None) -> Iterator[tuple[str, bytes, int]]:
    """(graph IRI, N-Triples, triple count) for each graph to push, in a stable order."""
    import pyoxigraph as ox

    from .store import cached_dataset_path

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
) -> None:
    """Replace ``graph`` on the store with ``body`` (N-Triples)."""
    separator = "&" if urlsplit(endpoint).query else "?"
    url = endpoint + separator + urlencode({"graph": graph})
    headers = {"Content-Type": "application/n-triples"}
    auth = credentials.preemptive()
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(url, data=body, headers=headers, method="PUT")
    with (opener or credentials.opener(endpoint)).open(request, timeout=timeout) as response:
        response.read()


def push(
    endpoint: str,
    credentials: Credentials | None = None,
    single_graph: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int, str, int], None] | None = None,
) -> list[tuple[str, int]]:
    """Push every graph; returns (graph, triples) in the order pushed. Raises PushError."""
    check_endpoint(endpoint)
    credentials = credentials or Credentials()
    todo = list(graphs(single_graph))
    done: list[tuple[str, int]] = []
    opener = credentials.opener(endpoint)
    for index, (graph, body, count) in enumerate(todo, start=1):
        try:
            put_graph(endpoint, graph, body, credentials, timeout, opener)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            reason = f"HTTP {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")
            raise PushError(_failure(endpoint, graph, reason, len(done), len(todo))) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise PushError(_failure(endpoint, graph, f"cannot connect ({reason})", len(done), len(todo))) from None
        done.append((graph, count))
        if progress:
            progress(index, len(todo), graph, count)
    return done


def _failure(endpoint: str, graph: str, reason: str, done: int, total: int) -> str:
    return (
        f"{endpoint}: {reason} while replacing graph <{graph}> "
        f"({done} of {total} graphs pushed; each pushed graph is complete; run the push again to finish)"
    )
