"""The web face of treatykg: an ASGI app (``treatykg serve``) with HTML pages and a SPARQL 1.1
Protocol endpoint. Imported only by the ``serve`` sub-command, so the CLI's other paths never load
the web stack."""
