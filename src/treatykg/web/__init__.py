"""Layer 5, the web face of treatykg: an ASGI app (``treatykg serve``) with HTML pages and a SPARQL
1.1 Protocol endpoint. Imported only by the ``serve`` sub-command, so the CLI's other paths never
load the web stack.

May import: every layer below (:mod:`treatykg.publish`, :mod:`treatykg.statements`,
:mod:`treatykg.validation`, :mod:`treatykg.engine`, :mod:`treatykg.model`, :mod:`treatykg.util`);
never :mod:`treatykg.cli` or :mod:`treatykg.api`.
"""
