"""The Python API for notebooks and scripts.

>>> kg = KnowledgeGraph.load()
>>> rows = kg.query("criticisms", provision="28(4)")   # doctest: +SKIP
>>> kg.sparql("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

from pathlib import Path

from .engine.catalogue import Catalogue
from .engine.remote import RemoteStore
from .engine.store import EmbeddedStore, QueryResult, Store


class KnowledgeGraph:
    """The treatykg dataset behind one object: canned queries, ad-hoc SPARQL, and the rdflib view.

    ``load()`` opens the embedded store (from the build cache); ``load(endpoint=URL)`` runs the
    same catalogue against a remote SPARQL 1.1 endpoint holding the exported dataset.
    """

    def __init__(self, store: Store, catalogue: Catalogue | None = None) -> None:
        self.store = store
        self.catalogue = catalogue or Catalogue()
        self._graph = None

    @classmethod
    def load(
        cls, endpoint: str | None = None, with_files: list[tuple[Path | str, str]] | None = None
    ) -> KnowledgeGraph:
        store: Store = RemoteStore(endpoint) if endpoint else EmbeddedStore.open(extra=with_files)
        return cls(store)

    def query(self, name: str, *, labels: bool = False, **params: str) -> list[dict[str, str]]:
        """Run canned query ``name``; rows as dicts of strings (full IRIs, lexical literals).
        ``labels=True`` adds ``<column>_label`` (the name) after every column of IRIs."""
        return self.run(name, labels=labels, **params).values()

    def run(self, name: str, *, labels: bool = False, **params: str) -> QueryResult:
        """Like :meth:`query`, but the full result (typed terms, variable order)."""
        result = self.catalogue.run(self.store, name, {k: str(v) for k, v in params.items()})
        if labels:
            from .engine.catalogue import labelled

            result = labelled(self.store, result)
        return result

    def sparql(self, text: str) -> QueryResult:
        """Run any SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the union of graphs."""
        return self.store.query(text)

    @property
    def graph(self):
        """The shipped dataset as an rdflib Dataset (one named graph per source file, plus the
        derived graph), built on first use; rdflib is imported only then."""
        if self._graph is None:
            from rdflib import Graph, URIRef

            from .model.rules import DERIVED_GRAPH, derive
            from .model.sources import load_dataset

            dataset = load_dataset()
            authored = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                authored.add((s, p, o))
            derived = dataset.graph(URIRef(DERIVED_GRAPH))
            for triple in derive(authored):
                derived.add(triple)
            self._graph = dataset
        return self._graph
