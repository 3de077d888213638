"""Lazy start-up: the CLI and the query path never import rdflib, pyshacl or the web stack, so a
query answers before those libraries could even be imported (issue 9's speed target)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("rdflib", "pyshacl", "starlette", "uvicorn", "jinja2", "owlrl", "SPARQLWrapper", "yaml", "rich")

PROBE = """
import io, sys, contextlib
from treatykg.cli import main
argv = sys.argv[1:]
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(argv) if argv else 0
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[0].split(',')))
print(code, ' '.join(heavy) or '-')
"""


def _heavy_modules(*argv: str) -> tuple[str, str]:
    probe = PROBE.replace("sys.argv[0]", repr(",".join(HEAVY)))
    run = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True, timeout=120)
    out = run.stdout.split()
    return out[0], out[1]


def test_importing_the_cli_imports_nothing_heavy():
    assert _heavy_modules() == ("0", "-")


def test_the_query_path_imports_nothing_heavy():
    _heavy_modules("query", "bypass-mla", "--format", "csv")  # first run may build the cache
    assert _heavy_modules("query", "bypass-mla", "--format", "csv") == ("0", "-")


def test_ad_hoc_sparql_imports_nothing_heavy():
    assert _heavy_modules("sparql", "ASK { ?s ?p ?o }", "--format", "json") == ("0", "-")
