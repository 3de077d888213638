"""Shared fixtures: the shipped graph and shapes are parsed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
FACTS = REPO.parent / "shared" / "facts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def union_graph():
    """Ontology + vocabularies + curated graph, merged (what ``treatykg validate`` checks)."""
    from treatykg.sources import load_union

    return load_union()


@pytest.fixture(scope="session")
def shapes_graph():
    from treatykg.validate import load_shapes

    return load_shapes()


@pytest.fixture(scope="session")
def shipped_report(union_graph, shapes_graph):
    from treatykg.validate import validate_graph

    return validate_graph(union_graph, shapes_graph)


@pytest.fixture(scope="session")
def vocabulary_graph():
    """Ontology + vocabularies only: the context in which small test graphs are validated."""
    from treatykg.sources import Kind, load_union

    return load_union(kinds=(Kind.ONTOLOGY, Kind.VOCAB))
