"""The HTML pages show real content, every entity answers in RDF on its own path, the pictures are
valid SVG that link to the articles, and the check page stores nothing."""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from ..conftest import REPO
from .test_protocol import _request

SVG = "{http://www.w3.org/2000/svg}"
GOOD = REPO / "tests" / "conformance" / "good" / "claim-article-30.ttl"
BAD = REPO / "tests" / "conformance" / "bad" / "claim-unknown-article.ttl"


def _html(server: str, path: str) -> tuple[int, str]:
    status, _, body = _request(server + path, headers={"Accept": "text/html"})
    return status, body.decode("utf-8")


def test_home_has_all_nine_chapters_and_68_articles(server):
    status, page = _html(server, "/")
    assert status == 200
    assert page.count('<details class="chapter"') == 9
    assert page.count('href="/uncc/art_') == 68
    assert "Law enforcement cooperation" in page
    # the 28 titles no English source confirms are marked as such (31 before issue 15, which moved
    # Articles 45, 46 and 54 to "secondary source")
    assert page.count('<abbr title="title not confirmed by an English source">?</abbr>') == 28


def test_article_24_page(server):
    status, page = _html(server, "/uncc/art_24")
    assert status == 200
    assert "Article 24: Conditions and safeguards" in page
    assert 'href="/uncc/art_24__para_1"' in page  # its parts
    assert "applies to</em>" in page and 'href="/uncc/chp_IV"' in page  # its scope
    # a claim, with its document and an exact quote from the source
    assert "rather than to the Convention as a whole" in page
    assert 'href="/doc/joint-letter-eu-vote-no"' in page
    assert '<link rel="alternate" type="text/turtle" href="/uncc/art_24?format=ttl"' in page


def test_article_47_is_not_reached_by_article_24(server):
    status, page = _html(server, "/uncc/art_47")
    assert status == 200
    reached, not_reached = page.split("<h3>Do not reach it</h3>")
    reached = reached.split("<h3>Reach it</h3>")[1]
    assert 'href="/uncc/art_24"' in not_reached.split("</ul>")[0]
    assert 'href="/uncc/art_24"' not in reached
    assert 'href="/uncc/art_6__para_1"' in reached  # Article 6 applies to the whole Convention


def test_stakeholder_and_document_pages(server):
    status, page = _html(server, "/org/electronic-frontier-foundation")
    assert status == 200 and "Electronic Frontier Foundation" in page
    assert 'href="/doc/joint-letter-eu-vote-no"' in page
    status, page = _html(server, "/doc/joint-letter-eu-vote-no")
    assert status == 200
    assert "Who stands behind it (29)" in page
    assert 'href="/org/access-now"' in page


def test_entity_rdf_by_content_negotiation(server):
    status, headers, body = _request(server + "/uncc/art_47", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    assert subjects == {"https://w3id.org/treatykg/uncc/art_47"}
    assert "Law enforcement cooperation" in {t.object.value for t in triples}
    status, headers, body = _request(server + "/claim/jl-vote-no-general-assembly?format=nt")
    quotes = [t for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES) if t.predicate.value.endswith("#exact")]
    assert len(quotes) == 2, "the description includes the claim's quote nodes (CBD)"


def test_unknown_and_hostile_entity_paths_are_404(server):
    for path in ["/uncc/art_99", "/uncc/art_24%3E%20%3Fp%20%3Fo%20%7D", "/org/%22%20UNION%20%7B"]:
        status, _headers, body = _request(server + path, headers={"Accept": "text/turtle"})
        assert status == 404, path
        assert b"nothing is known about" in body


def test_canned_query_form_and_downloads(server):
    status, page = _html(server, "/queries/critics?provision=28(4)")
    assert status == 200
    assert "Article 28(4)" in page and 'href="/org/article-19"' in page
    status, headers, body = _request(server + "/queries/bypass-mla?format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = body.decode().splitlines()
    assert lines[0] == "mechanism,safeguard,requestMechanism,scope"
    assert any(line.startswith("https://w3id.org/treatykg/uncc/art_47__para_1,") for line in lines)
    assert not any(line.startswith("https://w3id.org/treatykg/uncc/art_24,") for line in lines)


def test_hostile_query_parameter_is_a_clear_error(server):
    hostile = urllib.parse.quote("24> } UNION { ?s ?p ?o } #")
    status, page = _html(server, f"/queries/critics?provision={hostile}")
    assert status == 400 and "provision" in page
    status, _headers, body = _request(server + f"/queries/critics?provision={hostile}&format=csv")
    assert status == 400 and len(body.decode().strip().splitlines()) == 1


def test_pictures_are_valid_svg_with_links(server):
    status, headers, body = _request(server + "/pictures/cross-references.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(body)
    links = {a.get("href") for a in root.iter(SVG + "a")}
    assert "/uncc/art_24" in links and "/uncc/chp_IV" in links
    assert len(root.findall(f".//{SVG}path[@class='safeguard']")) >= 3
    status, headers, body = _request(server + "/pictures/criticism.svg")
    root = ET.fromstring(body)
    texts = [t.text for t in root.iter(SVG + "text") if t.text]
    assert "Article 40: General principles and procedur…" in texts or any(t.startswith("Article 40") for t in texts)
    assert "17" in texts  # Article 40: 17 criticisms and demands over all documents


def _multipart(fields: dict[str, tuple[str | None, bytes]]) -> tuple[bytes, str]:
    boundary = "treatykgtestboundary"
    parts = []
    for name, (filename, content) in fields.items():
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_check_page_reports_like_the_cli_and_stores_nothing(server, tmp_path):
    import os

    cache = sorted(os.listdir(os.environ["TREATYKG_CACHE_DIR"]))
    body, media = _multipart({"turtle": (None, BAD.read_bytes())})
    status, _, page = _request(server + "/check", body, {"Content-Type": media, "Accept": "text/html"})
    page = page.decode()
    assert status == 200 and "Problems found" in page
    assert "pasted.ttl:26: Violation [tkg:about] claim:test-art-99" in page
    body, media = _multipart({"file": ("claim-article-30.ttl", GOOD.read_bytes())})
    status, _, page = _request(server + "/check", body, {"Content-Type": media})
    assert status == 200 and "The statements conform" in page.decode()
    assert sorted(os.listdir(os.environ["TREATYKG_CACHE_DIR"])) == cache
    assert not (REPO / "graph" / "contrib").exists() or not any((REPO / "graph" / "contrib").iterdir())


def test_check_page_refuses_oversized_and_unknown_uploads(server):
    body, media = _multipart({"file": ("big.ttl", b"#" * (5 * 1024 * 1024 + 10))})
    status, _, page = _request(server + "/check", body, {"Content-Type": media})
    assert status == 413 and "limit" in page.decode()
    body, media = _multipart({"file": ("evil.exe", b"MZ")})
    status, _, page = _request(server + "/check", body, {"Content-Type": media})
    assert status == 400 and "unsupported type" in page.decode()
    body, media = _multipart({"turtle": (None, b"@prefix broken")})
    status, _, page = _request(server + "/check", body, {"Content-Type": media})
    assert status == 400 and "pasted.ttl" in page.decode()


def test_context_and_void_are_served(server):
    status, headers, body = _request(server + "/context.jsonld")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    import json

    assert json.loads(body)["@context"]["partOf"] == {"@id": "tkg:partOf", "@type": "@id"}
    status, headers, body = _request(server + "/.well-known/void")
    assert status == 200
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    endpoints = [t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint"]
    assert endpoints == [f"{server}/sparql"]
