"""The canned queries on Apache Jena (ARQ over a TDB2 database) from Debian's
``libapache-jena-java`` 4.5, installed by the test when root (``tests/engines.py``), loaded with
``treatykg export --format nq`` by Jena's own ``tdb2.tdbloader``: every query, with its defaults
and with each basis, gives the embedded store's rows, in the same order.

Debian has no Fuseki package, so Jena runs as its command-line tools, one JVM per query, in a
temporary directory (no server, no port). Its start-up fails on Debian's jars as packaged (an
"internal error" in its XSD datatypes): the first test shows why, and the engine runs with the
fix described in ``tests/engines.py``.
"""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from treatykg.engine.catalogue import Catalogue

from . import engines
from .engines import row_key

pytestmark = pytest.mark.engines


@pytest.fixture(scope="module")
def jena_loaded(exported_nquads):
    try:
        engines.ensure_jena()
    except engines.UnavailableError as exc:
        pytest.skip(str(exc))
    with engines.jena(exported_nquads) as engine:
        yield engine


def test_debians_jena_fails_without_its_moved_message_bundles(kg, jena_loaded):
    """The cause of the start-up failure: without the relocated bundles on the class path, Jena
    stops in Xerces' XSD datatypes; with them (every other test here) it answers."""
    bare = [jar for jar in jena_loaded.classpath.split(":") if not jar.endswith("bundles")]
    command = ["java", "-cp", ":".join(bare), "arq.sparql", "--query", "/dev/null"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "internal error" in result.stderr and "XSSimpleTypeDecl.applyFacets1" in result.stderr
    count = "SELECT (COUNT(DISTINCT ?claim) AS ?n) WHERE { ?claim a <https://w3id.org/treatykg/ontology#Claim> }"
    assert jena_loaded.select(count)[1] == kg.store.query(count).values()


def _cases():
    catalogue = Catalogue()
    for name in sorted(catalogue.queries):
        yield pytest.param(name, {}, id=f"{name}[defaults]")
        if any(param.name == "basis" for param in catalogue.get(name).params):
            for basis in ("any", "inferred"):
                yield pytest.param(name, {"basis": basis}, id=f"{name}[basis={basis}]")


@pytest.mark.parametrize(("name", "params"), list(_cases()))
def test_jena_answers_like_the_embedded_store(kg, jena_loaded, name, params):
    text = kg.catalogue.bound_text(kg.store, name, params)
    embedded = kg.store.query(text)
    variables, rows = jena_loaded.select(text)
    if not params:
        assert embedded.values(), f"{name} returned no rows with its defaults on the embedded store"
    assert list(variables) == list(embedded.variables)
    expected = [row_key(row) for row in embedded.values()]
    answer = [row_key(row) for row in rows]
    assert Counter(answer) == Counter(expected)
    assert answer == expected, "same rows but a different order"
