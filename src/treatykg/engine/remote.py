"""A remote SPARQL 1.1 Protocol endpoint behind the same interface as the embedded store
(``--endpoint URL``): the request forms every major server answers, and the result formats they
send back, parsed into :class:`~treatykg.engine.store.QueryResult`.

Kept apart from :mod:`treatykg.engine.store` (the embedded store and its build cache) because it
shares nothing with it but the result types; what it knows is other servers' protocol habits
(issue 16, decision 56).
"""

from __future__ import annotations

import json

from .. import __version__
from .store import DEFAULT_TIMEOUT, QueryError, QueryResult, Term

#: Sent with every SELECT/ASK: JSON first, SPARQL XML as the fallback (both parsed here), so a
#: server without JSON results still answers in one request.
SOLUTIONS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/xml;q=0.8"
#: Sent with every CONSTRUCT/DESCRIBE; whichever comes back is parsed and re-serialised as N-Triples.
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
#: Statuses with which a server says "not this request form": the query is retried once with GET
#: (when the URL stays short enough for every server) or as an application/sparql-query body.
FORM_REFUSED = (405, 411, 415, 501)
MAX_GET_URL = 4000
SPARQL_RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


class RemoteStore:
    """Any SPARQL 1.1 Protocol endpoint. The endpoint must expose our named graphs as its default
    graph (union), as ``oxigraph serve --union-default-graph``, Fuseki's ``unionDefaultGraph`` or
    Virtuoso (always) do; see the README.

    Requests are what every major server answers (measured on Oxigraph server, Virtuoso 7.2 and
    ``treatykg serve``; decision 56): the query form-encoded in a POST body (Virtuoso 7.2 never
    answers an ``application/sparql-query`` body; a form has no URL length limit), with a fallback
    to GET or a query body for a server that refuses forms; JSON results with SPARQL XML as the
    fallback. A server that does not answer is reported as such within the timeout."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise QueryError(f"--endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout
        self.describe = f"endpoint {endpoint}"

    def query(self, text: str, timeout: float | None = None) -> QueryResult:
        from SPARQLWrapper import SPARQLWrapper

        client = SPARQLWrapper(self.endpoint)
        client.setQuery(text)  # only to read the query form, with SPARQLWrapper's parser
        graph = client.queryType.upper() in ("CONSTRUCT", "DESCRIBE")
        accept = GRAPH_ACCEPT if graph else SOLUTIONS_ACCEPT
        media, body = self._send(text, accept, float(timeout or self.timeout))
        try:
            if graph:
                return QueryResult("graph", ntriples=_to_ntriples(media, body))
            if media in ("application/sparql-results+xml", "application/xml", "text/xml"):
                return _from_xml_results(body)
            return _from_json_results(json.loads(body))
        except (ValueError, KeyError, SyntaxError, TypeError) as exc:
            raise QueryError(f"{self.describe}: unreadable {media or 'untyped'} answer ({exc})") from None

    def _send(self, text: str, accept: str, timeout: float) -> tuple[str, bytes]:
        """POST the query form-encoded; once more as GET (or a query body) if the form is refused."""
        import urllib.error
        from urllib.parse import urlencode

        form = urlencode({"query": text})
        attempts = [("POST", self.endpoint, form.encode("ascii"), "application/x-www-form-urlencoded")]
        separator = "&" if "?" in self.endpoint else "?"
        if len(self.endpoint) + len(form) < MAX_GET_URL:
            attempts.append(("GET", self.endpoint + separator + form, None, None))
        else:
            attempts.append(("POST", self.endpoint, text.encode("utf-8"), "application/sparql-query"))
        for number, (method, url, data, content_type) in enumerate(attempts):
            try:
                return self._request(method, url, data, content_type, accept, timeout)
            except urllib.error.HTTPError as exc:
                if exc.code in FORM_REFUSED and number == 0:
                    continue
                raise QueryError(f"{self.describe}: {_http_failure(exc)}") from None
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _request(
        self, method: str, url: str, data: bytes | None, content_type: str | None, accept: str, timeout: float
    ) -> tuple[str, bytes]:
        import urllib.error
        import urllib.request

        headers = {"Accept": accept, "User-Agent": f"treatykg/{__version__}"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return media, response.read()
        except urllib.error.HTTPError:
            raise
        except TimeoutError:
            raise QueryError(f"{self.describe}: no answer within {timeout:g} s (the server never answered)") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryError(f"{self.describe}: no answer within {timeout:g} s (could not connect)") from None
            raise QueryError(f"{self.describe}: cannot connect ({exc.reason})") from None
        except OSError as exc:
            raise QueryError(f"{self.describe}: connection failed ({exc})") from None


def _http_failure(exc) -> str:
    """One line: the status and the first line of what the server said."""
    try:
        detail = exc.read(400).decode("utf-8", "replace").strip().splitlines()
    except OSError:
        detail = []
    return f"HTTP {exc.code} {exc.reason}" + (f": {detail[0][:200]}" if detail else "")


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _literal(value: str, datatype: str | None, lang: str | None) -> Term:
    """A literal term; an xsd:boolean in the canonical form ``true``/``false``: Virtuoso stores
    booleans as integers and answers ``"0"``/``"1"``, lexical forms of the same value."""
    if datatype == XSD_BOOLEAN and value in ("0", "1"):
        value = "true" if value == "1" else "false"
    return Term("literal", value, datatype, lang)


def _from_json_results(data: dict) -> QueryResult:
    if "boolean" in data:
        return QueryResult("ask", boolean=bool(data["boolean"]))
    variables = list(data["head"].get("vars", []))
    rows = []
    for binding in data["results"]["bindings"]:
        row = {}
        for name, value in binding.items():
            if value["type"] in ("uri", "bnode"):
                row[name] = Term(value["type"], value["value"])
            else:
                row[name] = _literal(value["value"], value.get("datatype"), value.get("xml:lang"))
        rows.append(row)
    return QueryResult("select", variables, rows)


def _from_xml_results(body: bytes) -> QueryResult:
    """SPARQL Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/)."""
    from xml.etree import ElementTree

    ns = SPARQL_RESULTS_NS
    root = ElementTree.fromstring(body)
    boolean = root.find(f"{ns}boolean")
    if boolean is not None:
        return QueryResult("ask", boolean=(boolean.text or "").strip() == "true")
    variables = [v.get("name") for v in root.iter(f"{ns}variable")]
    rows = []
    for result in root.iter(f"{ns}result"):
        row = {}
        for binding in result.findall(f"{ns}binding"):
            value = binding[0]
            kind = value.tag.removeprefix(ns)
            if kind == "literal":
                lang = value.get("{http://www.w3.org/XML/1998/namespace}lang")
                row[binding.get("name")] = _literal(value.text or "", value.get("datatype"), lang)
            else:
                row[binding.get("name")] = Term("uri" if kind == "uri" else "bnode", value.text or "")
        rows.append(row)
    return QueryResult("select", variables, rows)


def _to_ntriples(media: str, body: bytes) -> str:
    """Any RDF answer as N-Triples (servers differ in which graph formats they offer)."""
    import pyoxigraph as ox

    formats = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,
    }
    if media in ("application/n-triples", "text/plain"):
        return body.decode("utf-8")
    fmt = formats.get(media)
    if fmt is None:
        raise ValueError(f"not an RDF format this client reads: {media!r}")
    triples = list(ox.parse(body, format=fmt))
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
