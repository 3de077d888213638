"""Shared fixtures: the shipped graph and shapes are parsed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_build_cache(tmp_path_factory):
    """Build caches go to a temporary directory, never into the user's ~/.cache."""
    import os

    previous = os.environ.get("TREATYKG_CACHE_DIR")
    os.environ["TREATYKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("TREATYKG_CACHE_DIR", None)
    else:
        os.environ["TREATYKG_CACHE_DIR"] = previous


REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
FACTS = REPO.parent / "shared" / "facts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The five source documents of ../shared/seeds/ (the only texts we quote), by slug under doc:.
SOURCE_DOCUMENTS = (
    "joint-letter-eu-vote-no",
    "joint-statement-concluding-session",
    "eff-briefing-negotiations",
    "article19-analysis-2024-10",
    "news-digest-reactions",
)


@pytest.fixture(scope="session")
def union_graph():
    """Ontology + vocabularies + curated graph, merged (what ``treatykg validate`` checks)."""
    from treatykg.model.sources import load_union

    return load_union()


@pytest.fixture(scope="session")
def shapes_graph():
    from treatykg.validation.shacl import load_shapes

    return load_shapes()


@pytest.fixture(scope="session")
def shipped_report(union_graph, shapes_graph):
    from treatykg.validation.shacl import validate_graph

    return validate_graph(union_graph, shapes_graph)


@pytest.fixture(scope="session")
def vocabulary_graph():
    """Ontology + vocabularies only: the context in which small test graphs are validated."""
    from treatykg.model.sources import Kind, load_union

    return load_union(kinds=(Kind.ONTOLOGY, Kind.VOCAB))


@pytest.fixture(scope="session")
def kg():
    """The Python API on the embedded store: ``kg.query(name, **params)`` -> list of dicts."""
    from treatykg.api import KnowledgeGraph

    return KnowledgeGraph.load()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "engines: needs a real SPARQL engine (oxigraph serve, Virtuoso, Jena) started by the tests",
    )


@pytest.fixture(scope="session")
def exported_nquads(tmp_path_factory) -> Path:
    """``treatykg export --format nq`` written once per session (what users load into a store)."""
    from treatykg.publish.export import serialise

    path = tmp_path_factory.mktemp("export") / "treatykg.nq"
    path.write_text(serialise("nq"), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def oxigraph_loaded(exported_nquads):
    """A real ``oxigraph serve --union-default-graph`` holding the exported dataset; its base URL."""
    import urllib.request

    from . import servers

    with servers.oxigraph() as base:
        request = urllib.request.Request(
            base + "/store",
            data=exported_nquads.read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=60).read()
        yield base


@pytest.fixture(scope="session")
def virtuoso_loaded(exported_nquads):
    """A real Virtuoso 7 (Debian's package, installed by the test when root) holding the exported
    dataset, loaded by its bulk loader; started once per session. Skips, saying why, only when the
    package cannot be had."""
    from . import engines

    try:
        engines.ensure_virtuoso()
    except engines.UnavailableError as exc:
        pytest.skip(str(exc))
    with engines.virtuoso() as server:
        server.bulk_load(exported_nquads)
        yield server


@pytest.fixture
def contrib(tmp_path, monkeypatch):
    """Submissions go to a temporary directory, and the build cache to a fresh one."""
    directory = tmp_path / "contrib"
    monkeypatch.setenv("TREATYKG_CONTRIB_DIR", str(directory))
    monkeypatch.setenv("TREATYKG_CACHE_DIR", str(tmp_path / "cache"))
    return directory
