"""Pictures drawn on the server as SVG: no JavaScript, no CDN, so the pages work offline, print
well, and every mark is a link to the page it stands for.

* :func:`network` is a circular "chord" layout of the Convention's cross-references: articles sit
  on a circle in treaty order, grouped into coloured chapter arcs; each reference is a curve
  through the middle; references that state a safeguard's scope (``tkg:appliesTo``,
  ``tkg:appliesIndirectlyTo``) are drawn thick and red, so one can see at a glance that Article
  24's safeguards reach Chapter IV and only indirectly Article 40(1).
* :func:`heatmap` is a table of criticism: one row per article, one column per document, each
  cell shaded by how many criticisms and demands that document makes about that article.

Both are deterministic (same data, same bytes), which keeps them testable and cacheable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Colour-blind-safe qualitative palette (Okabe-Ito) for chapters; red is kept for safeguards.
CHAPTER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#000000", "#999999", "#8C564B")
SAFEGUARD_COLOUR = "#D55E00"
REFERENCE_COLOUR = "#7f8c99"


@dataclass(frozen=True)
class Node:
    """An article on the circle (or a chapter, as the target of a chapter-wide scope)."""

    iri: str
    label: str  # "Article 24"
    short: str  # "24"
    title: str
    chapter: int  # 0-based index of its chapter
    href: str | None  # None: shown without a link (see treatykg.web.links)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str  # the reference property's label
    safeguard: bool


def _attr(value: str | float) -> str:
    return quoteattr(str(value))


def _linked(target: str | None, content: str) -> str:
    """``content`` inside ``<a href>`` when there is a safe target (``treatykg.web.links.href``
    decided), else as it is: a picture never links to a scheme a page would not."""
    return f"<a href={_attr(target)}>{content}</a>" if target else content


def network(
    chapters: list[tuple[str, str, str, str | None]], nodes: list[Node], edges: list[Edge], size: int = 820
) -> str:
    """The chord diagram. ``chapters`` is (iri, label, title, link target) in treaty order."""
    centre = size / 2
    radius = size / 2 - 120
    gap = 0.06  # radians between chapters
    count = max(len(nodes), 1)
    step = (2 * math.pi - gap * len(chapters)) / count
    positions: dict[str, tuple[float, float, float]] = {}
    chapter_span: dict[int, list[float]] = {}
    angle = -math.pi / 2
    previous_chapter = None
    for node in nodes:
        if previous_chapter is not None and node.chapter != previous_chapter:
            angle += gap
        previous_chapter = node.chapter
        positions[node.iri] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
        chapter_span.setdefault(node.chapter, []).append(angle)
        angle += step
    # A chapter as a target sits on the middle of its arc.
    for index, (iri, _label, _title, _href) in enumerate(chapters):
        if index in chapter_span:
            middle = sum(chapter_span[index]) / len(chapter_span[index])
            positions[iri] = (centre + radius * math.cos(middle), centre + radius * math.sin(middle), middle)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        'role="img" aria-labelledby="network-title network-desc" class="picture">',
        '<title id="network-title">Cross-references between the articles of the Convention</title>',
        '<desc id="network-desc">Articles on a circle grouped by chapter; curves are typed cross-references; '
        "thick red curves are the scope of a safeguard.</desc>",
        '<g class="edges" fill="none">',
    ]
    for edge in sorted(edges, key=lambda e: (e.safeguard, e.source, e.target)):
        if edge.source not in positions or edge.target not in positions:
            continue
        x1, y1, _ = positions[edge.source]
        x2, y2, _ = positions[edge.target]
        colour, width, opacity = (SAFEGUARD_COLOUR, 3.2, 0.95) if edge.safeguard else (REFERENCE_COLOUR, 1.2, 0.7)
        out.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{centre:.1f},{centre:.1f} {x2:.1f},{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-opacity="{opacity}" class="{"safeguard" if edge.safeguard else "ref"}">'
            f"<title>{escape(edge.label)}</title></path>"
        )
    out.append("</g>")
    # Chapter arcs and names.
    out.append('<g class="chapters">')
    for index, (_iri, label, title, target) in enumerate(chapters):
        angles = chapter_span.get(index)
        if not angles:
            continue
        start, end = angles[0] - step / 2, angles[-1] + step / 2
        r = radius + 16
        x1, y1 = centre + r * math.cos(start), centre + r * math.sin(start)
        x2, y2 = centre + r * math.cos(end), centre + r * math.sin(end)
        large = 1 if end - start > math.pi else 0
        colour = CHAPTER_COLOURS[index % len(CHAPTER_COLOURS)]
        middle = (start + end) / 2
        lx, ly = centre + (radius + 62) * math.cos(middle), centre + (radius + 62) * math.sin(middle)
        anchor = "middle" if abs(math.cos(middle)) < 0.3 else ("start" if math.cos(middle) > 0 else "end")
        out.append(
            _linked(
                target,
                f'<path d="M{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 '
                f'{x2:.1f},{y2:.1f}" stroke="{colour}" stroke-width="8" fill="none"><title>{escape(label)}: '
                f'{escape(title)}</title></path><text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" '
                f'font-size="13" font-weight="bold" fill="#222">{escape(label.replace("Chapter ", "Ch. "))}</text>',
            )
        )
    out.append("</g>")
    # Article dots and numbers.
    out.append('<g class="articles">')
    for node in nodes:
        x, y, a = positions[node.iri]
        colour = CHAPTER_COLOURS[node.chapter % len(CHAPTER_COLOURS)]
        tx, ty = centre + (radius + 34) * math.cos(a), centre + (radius + 34) * math.sin(a)
        tooltip = f"{node.label}: {node.title}" if node.title else node.label
        out.append(
            _linked(
                node.href,
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">'
                f'<title>{escape(tooltip)}</title></circle><text x="{tx:.1f}" y="{ty + 3:.1f}" text-anchor="middle" '
                f'font-size="9" fill="#333">{escape(node.short)}</text>',
            )
        )
    out.append("</g>")
    out.append(
        f'<g class="legend" font-size="12"><line x1="16" y1="{size - 40}" x2="46" y2="{size - 40}" '
        f'stroke="{SAFEGUARD_COLOUR}" stroke-width="3.2"/><text x="52" y="{size - 36}">scope of a safeguard '
        f'(applies to, applies indirectly to)</text><line x1="16" y1="{size - 20}" x2="46" y2="{size - 20}" '
        f'stroke="{REFERENCE_COLOUR}" stroke-width="1.2"/><text x="52" y="{size - 16}">other cross-reference '
        "(cites, scoped by, uses definition from…)</text></g>"
    )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Column:
    iri: str
    label: str
    href: str | None


@dataclass(frozen=True)
class Row:
    iri: str
    label: str
    title: str
    href: str | None


def _shade(value: int, maximum: int) -> str:
    """White to dark red on a square-root scale, so one claim is visible next to twelve."""
    if value <= 0 or maximum <= 0:
        return "#ffffff"
    t = math.sqrt(value / maximum)
    low, high = (255, 245, 240), (165, 15, 21)
    r, g, b = (round(lo + (hi - lo) * t) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(rows: list[Row], columns: list[Column], counts: dict[tuple[str, str], int], totals: dict[str, int]) -> str:
    """Criticism per article (rows) and stakeholder kind (columns); the last column is the article's
    total, each claim once (``totals``: a claim credited to two kinds counts in both columns)."""
    cell_w, cell_h, left, top = 74, 22, 300, 150
    width = left + cell_w * (len(columns) + 1) + 110  # room for the slanted last header
    height = top + cell_h * len(rows) + 20
    maximum = max(counts.values(), default=0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-labelledby="heat-title heat-desc" class="picture" font-size="12">',
        '<title id="heat-title">Criticism of the Convention per article and kind of stakeholder</title>',
        '<desc id="heat-desc">Each cell counts the criticisms and demands about an article or its parts credited '
        "to stakeholders of a kind (a document's issuers and signatories, or the party it reports), where the "
        "document cites the article itself (links we inferred are not counted); a claim credited to two kinds "
        "counts in both; the last column counts each claim once; darker is more.</desc>",
        '<text x="8" y="16" font-style="italic">Counts cited links only: a claim we linked to an article '
        "ourselves (inferred) is not counted.</text>",
    ]
    for index, column in enumerate([*columns, Column("", "All (each claim once)", None)]):
        x = left + cell_w * index + cell_w / 2
        text = (
            f'<text transform="translate({x:.1f},{top - 8}) rotate(-35)" font-weight="bold">'
            f"{escape(_short(column.label, 28))}<title>{escape(column.label)}</title></text>"
        )
        out.append(_linked(column.href, text))
    for r, row in enumerate(rows):
        y = top + cell_h * r
        name = f"{row.label}: {row.title}" if row.title else row.label
        out.append(
            _linked(
                row.href,
                f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">'
                f"{escape(_short(name, 44))}<title>{escape(name)}</title></text>",
            )
        )
        for c, column in enumerate(columns):
            value = counts.get((row.iri, column.iri), 0)
            out.append(_cell(left + cell_w * c, y, cell_w, cell_h, value, maximum, f"{row.label} × {column.label}"))
        total = totals.get(row.iri, 0)
        out.append(_cell(left + cell_w * len(columns), y, cell_w, cell_h, total, max(maximum, total), row.label))
    out.append("</svg>")
    return "\n".join(out)


def _cell(x: float, y: float, w: float, h: float, value: int, maximum: int, title: str) -> str:
    fill = _shade(value, maximum)
    ink = "#ffffff" if value and value / max(maximum, 1) > 0.45 else "#222222"
    label = str(value) if value else ""
    return (
        f'<g><rect x="{x}" y="{y}" width="{w - 2}" height="{h - 2}" fill="{fill}" stroke="#dddddd">'
        f"<title>{escape(title)}: {value}</title></rect>"
        f'<text x="{x + w / 2 - 1}" y="{y + 15}" text-anchor="middle" fill="{ink}">{label}</text></g>'
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
