"""Every canned query gives the same rows on the embedded store (pyoxigraph), on rdflib's engine,
and on a real remote ``oxigraph serve`` holding the exported dataset (started on 127.0.0.1 on a
free port by the test, and stopped after)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from treatykg.catalogue import Catalogue
from treatykg.store import RemoteStore

NAMES = sorted(Catalogue().queries)


def _rows(result) -> Counter:
    return Counter(tuple(sorted(row.items())) for row in result.values())


@pytest.fixture(scope="module")
def rdflib_dataset():
    from rdflib import Dataset

    from treatykg.publish import serialise

    dataset = Dataset(default_union=True)
    dataset.parse(data=serialise("nq"), format="nquads")
    return dataset


def _rdflib_rows(dataset, text: str) -> Counter:
    rows = Counter()
    result = dataset.query(text)
    names = [str(v) for v in result.vars]
    for solution in result:
        row = {name: str(value) for name, value in zip(names, solution, strict=True) if value is not None}
        rows[tuple(sorted(row.items()))] += 1
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_rdflib_and_pyoxigraph_agree(kg, rdflib_dataset, name):
    catalogue = kg.catalogue
    query = catalogue.get(name)
    from treatykg.catalogue import resolve

    bound = {p.name: resolve(kg.store, p, p.default) for p in query.params}
    text = query.bind(bound)
    embedded = _rows(kg.store.query(text))
    assert embedded, f"{name} returned no rows with its defaults"
    assert _rdflib_rows(rdflib_dataset, text) == embedded


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the 'oxigraph' server (PyPI package oxigraph, in the test extra) is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {process.stderr.read().decode()}") from None
                time.sleep(0.1)
        from treatykg.publish import serialise

        request = urllib.request.Request(
            base + "/store",
            data=serialise("nq").encode("utf-8"),
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=60).read()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("name", NAMES)
def test_remote_endpoint_answers_like_the_embedded_store(kg, oxigraph_server, name):
    remote = RemoteStore(oxigraph_server + "/query")
    embedded = kg.catalogue.run(kg.store, name)
    answer = kg.catalogue.run(remote, name)
    assert answer.variables == embedded.variables
    assert _rows(answer) == _rows(embedded)
    assert answer.values() == embedded.values(), "same rows but a different order"


def test_cli_endpoint_option(oxigraph_server, capsys):
    from treatykg.cli import main

    assert main(["query", "bypass-mla", "--format", "csv", "--endpoint", oxigraph_server + "/query"]) == 0
    assert "https://w3id.org/treatykg/uncc/art_41" in capsys.readouterr().out


def test_unreachable_endpoint_is_one_line(capsys):
    from treatykg.cli import main

    port = _free_port()
    assert main(["query", "bypass-mla", "--endpoint", f"http://127.0.0.1:{port}/query"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: endpoint") and err.count("\n") == 1
