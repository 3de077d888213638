"""treatykg: a knowledge graph of the UN Convention against Cybercrime and the public debate about it.

The package ships the ontology (``ontology/``), the curated graph (``graph/``) and the canned
queries (``queries/``); see :mod:`treatykg.sources` for how they are found and loaded.
"""

__version__ = "0.1.0"
