"""Layer 2, the query engines: the embedded pyoxigraph store and its build cache, remote SPARQL
endpoints, the sandboxed worker pool, the canned-query catalogue, ad-hoc SPARQL and result formats.

May import: :mod:`treatykg.model`, :mod:`treatykg.util`. The query path (``treatykg query``, the
endpoint's workers) lives here and imports neither rdflib, pySHACL nor the web stack at import time;
``tests/test_layers.py`` keeps it so.
"""
