"""Layer 4, contributed statements: reading what a contributor brings (Turtle, TriG, JSON-LD, CSV,
YAML), the contribution policy (what a contribution may say at all), the check in its own process,
and submitting and withdrawing contributions.

May import: :mod:`treatykg.validation` and the layers below it. Not :mod:`treatykg.publish`
(a sibling) nor :mod:`treatykg.web`.
"""
