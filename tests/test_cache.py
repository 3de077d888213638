"""The build cache: built once, found again without reading any source while nothing changed,
and rebuilt as soon as a source changes (here: a contribution appears)."""

from __future__ import annotations

import pytest

from treatykg.engine import store as store_module
from treatykg.engine.store import EmbeddedStore, cached_dataset_path

NEW = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/treatykg/org/cache-test> rdfs:label "Cache test"@en .
"""


@pytest.fixture
def private(tmp_path, monkeypatch):
    monkeypatch.setenv("TREATYKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TREATYKG_CONTRIB_DIR", str(tmp_path / "contrib"))
    (tmp_path / "contrib").mkdir()
    return tmp_path


def test_unchanged_sources_are_not_read_again(private, monkeypatch):
    first = cached_dataset_path()
    assert first.exists() and (private / "cache" / "index.json").exists()

    def no_reading(*args, **kwargs):
        raise AssertionError("the sources were hashed although none changed")

    monkeypatch.setattr(store_module, "source_fingerprint", no_reading)
    assert cached_dataset_path() == first


def test_a_changed_source_rebuilds_the_cache(private):
    first = cached_dataset_path()
    label = "SELECT ?l WHERE { <https://w3id.org/treatykg/org/cache-test> ?p ?l }"
    assert EmbeddedStore.open().query(label).rows == []
    (private / "contrib" / "new.ttl").write_text(NEW, encoding="utf-8")
    second = cached_dataset_path()
    assert second != first and second.exists() and not first.exists(), "the stale cache is removed"
    assert EmbeddedStore.open().query(label).values() == [{"l": "Cache test"}]


def test_touching_a_file_without_changing_it_reuses_the_cache(private):
    path = private / "contrib" / "new.ttl"
    path.write_text(NEW, encoding="utf-8")
    first = cached_dataset_path()
    built = first.stat().st_mtime_ns
    path.write_text(NEW, encoding="utf-8")  # new mtime, same content
    assert cached_dataset_path() == first
    assert first.stat().st_mtime_ns == built, "same content: not rebuilt"


# --- the on-disk store (decision 46) ----------------------------------------------------------


def test_one_shot_commands_open_the_on_disk_store_read_only(private, capsys):
    from treatykg.cli import main

    assert main(["query", "bypass-mla", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    # Article 47(1) bypasses the request-bound safeguard 40(21) (seed 000; tests/queries).
    assert any(
        r.startswith("https://w3id.org/treatykg/uncc/art_47__para_1,https://w3id.org/treatykg/uncc/art_40__para_21,")
        for r in rows
    )
    stores = list((private / "cache").glob("dataset-*.oxigraph"))
    assert len(stores) == 1 and (private / "cache" / (stores[0].stem + ".nq")).exists()
    opened = EmbeddedStore.open(read_only=True)
    assert opened.query("ASK { ?s ?p ?o }").boolean
    with pytest.raises((OSError, RuntimeError), match="read-write"):  # nothing can change the cache
        opened.raw.add(_quad())


def test_a_changed_source_replaces_the_on_disk_store(private):
    first = store_module.cached_store_path()
    (private / "contrib" / "new.ttl").write_text(NEW, encoding="utf-8")
    label = "SELECT ?l WHERE { <https://w3id.org/treatykg/org/cache-test> ?p ?l }"
    assert EmbeddedStore.open(read_only=True).query(label).values() == [{"l": "Cache test"}]
    second = store_module.cached_store_path()
    assert second != first and not first.exists(), "the stale store is removed"


def test_large_extra_files_go_to_a_cached_on_disk_store(private, monkeypatch):
    monkeypatch.setattr(store_module, "LARGE_EXTRA_BYTES", 0)  # every --with file counts as large
    extra = private / "extra.ttl"
    extra.write_text(NEW, encoding="utf-8")
    graph = "https://example.org/extra"
    label = f"SELECT ?l WHERE {{ GRAPH <{graph}> {{ <https://w3id.org/treatykg/org/cache-test> ?p ?l }} }}"
    store = EmbeddedStore.open(extra=[(extra, graph)])
    assert store.query(label).values() == [{"l": "Cache test"}]
    (combined,) = (private / "cache").glob("with-*.oxigraph")
    built = combined.stat().st_mtime_ns
    assert EmbeddedStore.open(extra=[(extra, graph)]).query(label).values() == [{"l": "Cache test"}]
    assert combined.stat().st_mtime_ns == built, "unchanged file: the combined store is reused"
    # The shipped dataset is in it too.
    assert store.query("ASK { <https://w3id.org/treatykg/uncc/art_47> ?p ?o }").boolean


def test_a_broken_large_extra_file_leaves_the_cache_as_it_was(private, monkeypatch):
    from treatykg.model.sources import SourceError

    monkeypatch.setattr(store_module, "LARGE_EXTRA_BYTES", 0)
    store_module.cached_store_path()
    before = sorted(p.name for p in (private / "cache").iterdir())
    broken = private / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        EmbeddedStore.open(extra=[(broken, "https://example.org/broken")])
    assert str(caught.value).startswith(f"{broken}: syntax error") and "\n" not in str(caught.value)
    assert sorted(p.name for p in (private / "cache").iterdir()) == before


def _quad():
    import pyoxigraph as ox

    node = ox.NamedNode("https://example.org/x")
    return ox.Quad(node, node, node)
