"""Run the docstring examples of the installed package (as Oxigraph's test_doc.py does), so the
examples in the docs are executed against the code that users actually get."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import treatykg

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(treatykg.__path__, "treatykg.") if not name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_iri_module_has_examples():
    assert doctest.testmod(importlib.import_module("treatykg.model.iri")).attempted >= 10
