"""Everything the pages share, read once from the sources in a fixed order.

Owns :class:`Site` and :func:`read_site`. The order matters: terms register their anchors first,
then concept schemes and concepts, then shapes, so that reading the shapes (which links terms and
schemes) and every page find every anchor in place.

May import: :mod:`.graphs`, :mod:`.links`, :mod:`.ontology`, :mod:`.shapes`, :mod:`.vocabularies`
(the readers); never a page module.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graphs import Sources
from .links import Links
from .ontology import Ontology
from .shapes import Shapes
from .vocabularies import read_anchors


@dataclass
class Site:
    """The parsed sources and what the readers made of them."""

    sources: Sources
    links: Links
    ontology: Ontology
    scheme_iris: list[str]
    shapes: Shapes


def read_site(sources: Sources) -> Site:
    """Read the ontology, the vocabularies and the shapes, in that order (see the module docstring)."""
    links = Links(sources.ontology, sources.vocab, sources.shapes)
    ontology = Ontology(sources, links)
    scheme_iris = read_anchors(sources.vocab, links)
    shapes = Shapes(sources, links, ontology.terms)
    return Site(sources=sources, links=links, ontology=ontology, scheme_iris=scheme_iris, shapes=shapes)
