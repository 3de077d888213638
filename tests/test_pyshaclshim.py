"""The pySHACL shim (decision 50) changes how fast pySHACL finds a shape's constraint parameters,
never what it reports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from treatykg.validation.pyshaclshim import SetBackedList, install

BAD = Path(__file__).parent / "conformance" / "bad"


def test_set_backed_list_is_a_list_with_a_fast_membership_test():
    items = SetBackedList(["a", "b"])
    twin = items.copy()
    twin.append("c")
    assert "c" in twin and "c" not in items, "a copy has its own members"
    assert list(twin) == ["a", "b", "c"] and isinstance(twin, list)
    assert ["x"] not in items  # an unhashable probe falls back to the list's test


def _problems(report) -> Counter:
    """Each problem as a tuple; blank nodes (fresh labels on every parse) as "_"."""

    def node(value):
        return value if value is None or ":" in value or value.startswith('"') else "_"

    return Counter((p.severity, node(p.focus), p.path, node(p.value), p.message, p.shape) for p in report.problems)


@pytest.mark.parametrize("name", ["provision-typed-powers.ttl", "event-problems.ttl", "document-missing-fields.ttl"])
def test_reports_are_the_same_with_and_without_the_shim(name, monkeypatch):
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    from treatykg.engine.store import cached_union
    from treatykg.model.sources import parse_turtle
    from treatykg.validation.shacl import validate_graph

    def report():
        data, _ = cached_union()
        parse_turtle(BAD / name, data)
        return validate_graph(data)

    # pySHACL's own list (the shim switched off), then the shim installed from scratch.
    monkeypatch.setattr("treatykg.validation.pyshaclshim.install", lambda: False)
    plain = (list(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    monkeypatch.setattr(shape_module, "CONSTRAINT_PARAMS", plain, raising=False)
    without = _problems(report())
    monkeypatch.undo()
    monkeypatch.delattr(shape_module, "CONSTRAINT_PARAMS", raising=False)
    assert install()
    assert isinstance(shape_module.CONSTRAINT_PARAMS[0], SetBackedList)
    with_shim = _problems(report())
    assert without and with_shim == without
