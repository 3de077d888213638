"""Layer 0, leaf helpers: safe terminal text, a worker's self-imposed limits, rdflib/pyoxigraph term
conversion and a SPARQL tokenizer.

May import: nothing from treatykg. Every other layer may import these, so they stay free of the
project's data model and of any heavy dependency at import time.
"""
