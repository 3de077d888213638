"""Where a reader finds the official text of the Convention, for every provision page.

Why: our descriptions are our own words, often from secondary sources, and many provisions have
none; a legal researcher must be one click from the authoritative text. The links are built from
what the graph records about the treaty (its UN document symbol and the UN Treaty Collection page
among its sources), not typed into templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from ..model.iri import UNCC_WORK

#: The UN Official Document System, English: ``https://docs.un.org/en/<symbol>``.
UN_DOCUMENTS = "https://docs.un.org/en/"


@dataclass(frozen=True)
class OfficialLink:
    label: str
    url: str
    what: str


async def official_links(request: Request) -> list[OfficialLink]:
    """The Convention's official text (the General Assembly resolution that annexes it) and its
    UN Treaty Collection entry, as far as the graph records them."""
    from .render import _v, run

    links: list[OfficialLink] = []
    rows = await run(request, "official-text", UNCC_WORK)
    symbol = next((_v(r, "symbol") for r in rows if _v(r, "symbol")), "")
    if symbol and all(c.isalnum() or c == "/" for c in symbol):
        links.append(
            OfficialLink(
                f"General Assembly resolution {symbol}",
                UN_DOCUMENTS + symbol,
                "the official text, annexed to the resolution (UN Official Document System)",
            )
        )
    page = next((_v(r, "page") for r in rows if _v(r, "page")), "")
    collection = next((_v(r, "collection") for r in rows if _v(r, "collection")), "")
    if page:
        label = f"UN Treaty Collection, {collection}" if collection else "UN Treaty Collection"
        links.append(OfficialLink(label, page, "signatures, ratifications and depositary notifications"))
    return links
