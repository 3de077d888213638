"""Layer 3, validation: the SHACL shapes over the graph (pySHACL, with our set-backed shim and the
SHACL-SPARQL constraints answered by pyoxigraph) and the OWL 2 DL quality checks.

May import: :mod:`treatykg.engine`, :mod:`treatykg.model`, :mod:`treatykg.util`.
"""
