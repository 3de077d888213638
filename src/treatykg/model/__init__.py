"""Layer 1, the data model: the one table of prefixes and IRIs (:mod:`.iri`), the generated ``tkg:``
terms, the shipped source files and how they are found and parsed (:mod:`.sources`, :mod:`.inputs`),
the derivation rules and the JSON-LD context.

May import: :mod:`treatykg.util`. Nothing here runs a query engine, a validator or a web server.
"""
