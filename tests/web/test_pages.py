"""The HTML pages show real content, every entity answers in RDF on its own path, the pictures are
valid SVG that link to the articles, and the check page stores nothing."""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from ..conftest import REPO, SOURCE_DOCUMENTS
from ..helpers import tree_digest
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
    # Article 40: 15 criticisms and demands over all documents that cite it (17 with the two links we
    # inferred, ARTICLE 19's and the joint letter's, which the picture does not count)
    assert "15" in texts and "17" not in texts


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
    shipped = tree_digest(REPO / "graph")  # the shipped contributions (graph/contrib/) among them
    body, media = _multipart({"turtle": (None, BAD.read_bytes())})
    status, _, page = _request(server + "/check", body, {"Content-Type": media, "Accept": "text/html"})
    page = page.decode()
    assert status == 200 and "Problems found" in page
    assert "pasted.ttl:26: Violation [tkg:about] claim:test-art-99" in page
    body, media = _multipart({"file": ("claim-article-30.ttl", GOOD.read_bytes())})
    status, _, page = _request(server + "/check", body, {"Content-Type": media})
    assert status == 200 and "The statements conform" in page.decode()
    assert sorted(os.listdir(os.environ["TREATYKG_CACHE_DIR"])) == cache
    assert tree_digest(REPO / "graph") == shipped


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


# --- issue 15: cited or inferred links, claims a reader can check ------------------------------------


def _row_of(page: str, needle: str) -> str:
    """The table row (or list item) of ``page`` that holds ``needle``."""
    at = page.index(needle)
    start = max(page.rfind("<tr", 0, at), page.rfind("<li", 0, at))
    end = min(i for i in (page.find("</tr>", at), page.find("</li>", at)) if i != -1)
    return page[start:end]


def test_article_24_marks_inferred_and_cited_claims(server):
    status, page = _html(server, "/uncc/art_24")
    assert status == 200
    # the joint statement and the news digest name no article: we linked them, and say why
    row = _row_of(page, 'href="/claim/js-weak-procedural-chapter-safeguards"')
    assert '<span class="badge inferred">inferred (confidence 0.7)</span>' in row
    assert "safeguards of the procedural chapter are set by Article 24 of the final text" in row
    row = _row_of(page, 'href="/claim/nd-hr-orgs-safeguard-gaps"')
    assert '<span class="badge inferred">inferred (confidence 0.6)</span>' in row
    assert "the gaps it lists mirror the elements of Article 24" in row
    # the joint letter and ARTICLE 19 name Article 24 themselves
    for claim in ("jl-art-24-missing-principles", "jl-art-24-limited-to-chapter-iv"):
        row = _row_of(page, f'href="/claim/{claim}"')
        assert '<span class="badge cited">cited</span>' in row and "inferred" not in row
    row = _row_of(page, "Article 24 defers the safeguards for procedural powers entirely to domestic law")
    assert '<span class="badge cited">cited</span>' in row


def test_claim_page_shows_quote_document_and_cite_line(server):
    status, page = _html(server, "/claim/nd-hr-orgs-safeguard-gaps")
    assert status == 200
    assert "<blockquote" in page
    assert "lack of data protection principles, inadequate judicial or independent review" in page
    assert 'href="/doc/news-digest-reactions"' in page
    assert "no public link recorded" in page  # the graph records no URL for the digest
    assert '<span class="badge inferred">inferred (confidence 0.6)</span>' in page
    assert "004_ac2d8ae19c8ead89.txt" not in page
    cite = page.split('<p class="cite">')[1].split("</p>")[0]
    assert "News digest: reactions to the draft UN Cybercrime Convention and its approval" in cite
    assert "on or after 2024-08-09" in cite
    assert "https://w3id.org/treatykg/claim/nd-hr-orgs-safeguard-gaps" in cite
    status, page = _html(server, "/claim/jl-art-24-missing-principles")
    assert status == 200
    cite = page.split('<p class="cite">')[1].split("</p>")[0]
    # the document's dct:title, not its label or its file name
    assert "Joint Letter to the European Union and its Member States concerning the United Nations" in cite
    assert "between 2024-08-09 and 2024-12-24" in cite
    assert '<span class="badge cited">cited</span>' in page


def test_provision_cite_line(server):
    status, page = _html(server, "/uncc/art_24__para_1")
    assert status == 200
    cite = page.split('<p class="cite">')[1].split("</p>")[0]
    assert cite.startswith("United Nations Convention against Cybercrime; Strengthening International Cooperation")
    assert "adopted 24 December 2024 (A/RES/79/243), Article 24(1)." in cite
    assert "https://w3id.org/treatykg/uncc/art_24__para_1" in cite


def test_document_page_shows_title_not_source_file(server):
    status, page = _html(server, "/doc/joint-letter-eu-vote-no")
    assert status == 200
    assert (
        "<h1>Joint Letter to the European Union and its Member States concerning the United Nations "
        "Cybercrime Convention</h1>" in page
    )
    assert "000_c4f073ba6e83cba1.txt" not in page and "Source file" not in page
    # Its public link (a reproduction matched by title and opening, graph/debate/documents.ttl).
    original = page.split("<dt>Original</dt>")[1].split("</dd>")[0]
    assert 'href="https://hrw.org/news/2024/10/21/eu-member-states-should-vote-no-un-cybercrime-treaty"' in original
    assert "no public link recorded" not in original
    # each claim's links say cited or inferred
    assert '<span class="badge cited">cited</span>' in _row_of(page, 'href="/claim/jl-art-24-missing-principles"')
    status, page = _html(server, "/doc/joint-statement-concluding-session")
    row = _row_of(page, 'href="/claim/js-weak-procedural-chapter-safeguards"')
    assert "inferred (confidence 0.7)" in row


def test_article_47_shows_points_under_its_paragraphs(server):
    status, page = _html(server, "/uncc/art_47")
    assert status == 200
    parts = page.split("<h2>Parts</h2>")[1].split("</section>")[0]
    assert 'href="/uncc/art_47__para_1"' in parts and 'href="/uncc/art_47__para_1__point_c"' in parts
    assert parts.index('art_47__para_1"') < parts.index("art_47__para_1__point_c")


def test_stakeholder_page_says_cited_or_inferred(server):
    status, page = _html(server, "/org/electronic-frontier-foundation")
    assert status == 200
    section = page.split("What it criticises")[1].split("</section>")[0]
    assert '<th scope="col">basis</th>' in section
    assert ">cited<" in section
    # An inferred link says how sure we are and why (stakeholder-claims' confidence and reason):
    # EFF's briefing names no chapter for the offences it criticises; we linked it to Chapter II.
    chapter = section.split('href="/uncc/chp_II"')[1].split("</tr>")[0]
    assert '<span class="badge inferred">inferred (confidence 0.6)</span>' in chapter
    assert "why: The briefing names no chapter" in chapter


def test_no_page_speaks_of_seeds_or_abbreviations(server):
    paths = ["/", "/documents", "/uncc/art_24", "/uncc/art_47", "/uncc/art_40", "/uncc/art_4__para_1", "/uncc/chp_II"]
    paths += ["/doc/" + d for d in SOURCE_DOCUMENTS]
    paths += [
        "/claim/" + c
        for c in (
            "nd-hr-orgs-safeguard-gaps",
            "js-weak-procedural-chapter-safeguards",
            "jl-art-24-missing-principles",
            "jl-vote-no-general-assembly",
            "nd-coalition-urges-significant-amendments",
        )
    ]
    for path in paths:
        status, page = _html(server, path)
        assert status == 200, path
        for word in ("seed 0", "Seed 0", "JL ", "A19 ", "(JL)", "(A19)"):
            assert word not in page, (path, word)


def test_heatmap_counts_cited_links_only_and_says_so(server):
    status, _headers, body = _request(server + "/pictures/criticism.svg")
    assert status == 200
    root = ET.fromstring(body)
    texts = " ".join(t.text for t in root.iter(SVG + "text") if t.text)
    assert "Counts cited links only" in texts
    assert "All (each claim once)" in texts and "non-governmental" in texts


def test_heatmap_has_a_column_per_stakeholder_kind_and_counts_each_claim_once(server, union_graph):
    """One column per kind, not per document (some thirty documents made it unreadable); the last
    column of Article 24's row is the number of criticisms and demands that cite it or its parts,
    read here from the curated triples without SPARQL."""
    from rdflib import URIRef

    tkg = "https://w3id.org/treatykg/ontology#"
    claim_kind = "https://w3id.org/treatykg/vocab/claim-kind/"
    art_24 = URIRef("https://w3id.org/treatykg/uncc/art_24")

    def under_24(node) -> bool:
        seen = set()
        while node is not None and node not in seen:
            if node == art_24:
                return True
            seen.add(node)
            node = union_graph.value(node, URIRef(tkg + "partOf"))
        return False

    expected = {
        claim
        for claim, part in union_graph.subject_objects(URIRef(tkg + "about"))
        if str(union_graph.value(claim, URIRef(tkg + "claimKind"))) in (claim_kind + "criticism", claim_kind + "demand")
        and (claim, URIRef(tkg + "aboutInferred"), part) not in union_graph
        and under_24(part)
    }
    kinds = set(union_graph.objects(None, URIRef(tkg + "stakeholderKind")))  # all kinds, some without criticism
    _status, _headers, body = _request(server + "/pictures/criticism.svg")
    root = ET.fromstring(body)
    headers = [t for t in root.iter(SVG + "text") if (t.get("transform") or "").startswith("translate(")]
    assert 3 + 1 <= len(headers) <= len(kinds) + 1  # the kinds with a cited criticism, then the total
    assert headers[-1].text == "All (each claim once)"
    row = [r for r in root.iter(SVG + "rect") if (r.findtext(SVG + "title") or "").startswith("Article 24: ")]
    assert row and row[-1].findtext(SVG + "title") == f"Article 24: {len(expected)}"
