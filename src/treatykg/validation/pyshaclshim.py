"""A set-backed lookup for pySHACL's constraint parameters (pySHACL 0.40).

Every time pySHACL validates a shape against a focus node (8,600 times for the shipped graph,
most of them nested ``sh:node`` checks of controlled values) it tests each predicate of the shape
for membership in a *list* of ~40 constraint parameters (``pyshacl.shape.Shape.validate``). With
rdflib terms that is ~900,000 Python-level ``URIRef.__eq__`` calls, about a fifth of
``treatykg validate`` (decision 50). pySHACL caches that list on its module, as
``pyshacl.shape.CONSTRAINT_PARAMS``, the first time it needs it; :func:`install` puts a list there
first whose ``in`` answers from a set. The elements, their order and every other list behaviour
are pySHACL's own, so the reports are the same (``tests/test_conformance.py`` and
``tests/test_pyshaclshim.py`` check that). If a pySHACL version stops using that cache, the
attribute is simply ignored; if its shape is not what we expect, nothing is installed.
"""

from __future__ import annotations


class SetBackedList(list):
    """A list whose membership test is a set lookup (the items are hashable rdflib terms).
    ``copy`` and ``append`` keep the set in step: pySHACL copies the list and appends
    ``sh:expression`` / ``sh:js`` to the copy for advanced or JS-enabled validation."""

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self._members = set(self)

    def __contains__(self, item: object) -> bool:
        try:
            return item in self._members
        except TypeError:  # an unhashable item: fall back to the list's own test
            return list.__contains__(self, item)

    def copy(self) -> SetBackedList:
        twin = SetBackedList.__new__(SetBackedList)
        list.extend(twin, self)
        twin._members = set(self._members)  # copying a set does not re-hash its items
        return twin

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)


def install() -> bool:
    """Install the set-backed parameter list for pySHACL; True if it is (now) in place."""
    try:
        import pyshacl.shape as shape_module
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:
        return False
    current = getattr(shape_module, "CONSTRAINT_PARAMS", None)
    if current is not None:
        return isinstance(current, tuple) and isinstance(current[0], SetBackedList)
    if not isinstance(ALL_CONSTRAINT_PARAMETERS, list) or not isinstance(CONSTRAINT_PARAMETERS_MAP, dict):
        return False
    shape_module.CONSTRAINT_PARAMS = (SetBackedList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    return True
