"""The build cache: built once, found again without reading any source while nothing changed,
and rebuilt as soon as a source changes (here: a contribution appears)."""

from __future__ import annotations

import pytest

from treatykg import store as store_module
from treatykg.store import EmbeddedStore, cached_dataset_path

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
