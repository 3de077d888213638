"""The ontology reference served by the site (issue 17, item 3): /ontology with one anchor per term
so every /ontology#term link of the site lands, the version IRI answering, the vocabularies and
shapes pages, the model diagram's central relations, the footer and the downloads."""

from __future__ import annotations

import http.client
import re
import urllib.parse

import pyoxigraph as ox

from .test_pages import _html
from .test_protocol import _request

SAMPLE = [
    "/",
    "/uncc/art_24",
    "/uncc/art_47__para_1",
    "/uncc/preamble",
    "/org/electronic-frontier-foundation",
    "/doc/joint-letter-eu-vote-no",
    "/claim/a19-art-29-bulk-surveillance",
    "/vocab/concern/surveillance",
    "/budapest/art_19",
]


def test_every_ontology_link_of_the_site_lands_on_an_anchor(server):
    status, reference = _html(server, "/ontology")
    assert status == 200 and "<h1>treatykg ontology</h1>" in reference
    ids = set(re.findall(r'\sid="([^"]+)"', reference))
    linked: set[str] = set()
    for path in SAMPLE:
        status, page = _html(server, path)
        assert status == 200, path
        linked |= set(re.findall(r'href="/ontology#([^"]+)"', page))
    assert {"about", "partOf", "appliesTo", "Article"} <= linked | ids
    assert len(linked) >= 30
    assert linked - ids == set()


def test_reference_pages_link_each_other_on_the_site_and_keep_the_csp(server):
    for path, heading in [
        ("/ontology", "treatykg ontology"),
        ("/ontology/vocabularies", "Controlled vocabularies"),
        ("/ontology/shapes", "SHACL shapes"),
    ]:
        status, page = _html(server, path)
        assert status == 200 and f"<h1>{heading}</h1>" in page
        assert 'href="vocabularies.html' not in page and 'href="index.html' not in page
        assert ' style="' not in page  # style attributes would be blocked by style-src 'self'
        assert '<link rel="stylesheet" href="/ontology/inline.css">' in page
    status, page = _html(server, "/ontology/vocabularies")
    assert 'id="concern-surveillance"' in page and 'href="/ontology#concernCategory"' in page
    status, _, css = _request(server + "/ontology/inline.css")
    assert status == 200 and b'[data-style="tkg-style-0"]' in css


def test_ontology_answers_rdf_and_its_version_iri(server):
    status, headers, body = _request(server + "/ontology", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    subjects = {t.subject.value for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    assert subjects == {"https://w3id.org/treatykg/ontology"}
    host = urllib.parse.urlsplit(server)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", "/ontology/0.1.0", headers={"Accept": "text/html"})
    response = connection.getresponse()
    assert response.status == 303 and response.getheader("Location") == "/ontology"
    status, page = _html(server, "/ontology/0.1.0")  # followed
    assert status == 200 and "<h1>treatykg ontology</h1>" in page


def test_model_diagram_draws_the_central_relations(server):
    status, _, body = _request(server + "/ontology/model.svg")
    svg = body.decode()
    assert status == 200
    for relation in (
        "tkg:about: tkg:Claim to tkg:Provision",
        "tkg:partOf: tkg:Provision to tkg:Provision",
        "tkg:appliesTo: tkg:Provision to tkg:Provision",
    ):
        assert f"<title>{relation}</title>" in svg
    assert 'href="/ontology#about"' in svg


def test_footer_links_docs_downloads_version_and_date(server):
    status, page = _html(server, "/uncc/art_24")
    assert status == 200
    footer = page.split('<footer class="site">')[1]
    for link in ("/ontology", "/ontology/vocabularies", "/ontology/shapes", "/downloads"):
        assert f'href="{link}"' in footer
    assert "treatykg 0.1.0" in footer
    assert re.search(r"newest source document dated \d{4}-\d\d-\d\d", footer)


def test_downloads_offer_the_dataset(server):
    status, page = _html(server, "/downloads")
    assert status == 200 and 'href="/downloads/treatykg.nt"' in page and 'href="/.well-known/void"' in page
    status, headers, body = _request(server + "/downloads/treatykg.nt")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert 'filename="treatykg.nt"' in headers["Content-Disposition"]
    triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    assert any(
        t.subject.value.endswith("/uncc/art_24") and t.object.value == "Conditions and safeguards" for t in triples
    )
    status, _, _ = _request(server + "/downloads/..%2Fsecret.ttl")
    assert status == 404
