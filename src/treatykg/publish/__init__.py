"""Layer 4, publishing: the dataset's dumps and VoID/DCAT description (:mod:`.export`), pushing into
a Graph Store (:mod:`.push`), fetching a ``--with`` URL, the README's generated parts and the
reference docs (:mod:`.docgen`).

May import: :mod:`treatykg.validation` and the layers below it. Not :mod:`treatykg.statements`
(a sibling) nor :mod:`treatykg.web`.
"""
