"""treatykg: a knowledge graph of the UN Convention against Cybercrime and the public debate about it.

The package ships the ontology (``ontology/``), the curated graph (``graph/``) and the canned
queries (``queries/``); see :mod:`treatykg.model.sources` for how they are found and loaded.

The code is in layers, one sub-package each; a module imports only from its own layer or a lower
one (``tests/test_layers.py`` reads every import and fails naming the one that goes up)::

    cli, api                 the command and the Python API (top)
    web                      the ASGI app: pages and the SPARQL endpoint
    statements | publish     contributions  |  dumps, push, fetch, README parts, reference docs
    validation               SHACL and OWL checks
    engine                   stores, worker pool, canned queries, result formats
    model                    IRIs, terms, shipped sources, rules, JSON-LD context
    util                     leaf helpers that import nothing from treatykg
"""

__version__ = "0.1.0"
