"""The class diagram's layout and drawing: SVG written in Python (no Graphviz, no JavaScript, no CDN).

Modules are columns, classes stacked as an indented subclass tree, other arrows routed
orthogonally through the gaps between columns so no line crosses a box. Every text and attribute
written is escaped here, which is why the index may embed the result as markup.

May import: the standard library and :mod:`.model` only (the boxes and arrows come from
:mod:`.diagram`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .model import Module, Term


@dataclass(frozen=True)
class Edge:
    """An arrow: an object property from domain to range, or a subclass to its superclass."""

    kind: str  # "property" | "subclass"
    source: str
    target: str
    label: str
    curie: str
    href: str


@dataclass
class Box:
    """A class's box, placed in its module's column."""

    iri: str
    term: Term
    column: int
    x: float
    y: float
    w: float
    h: float
    depth: int
    parent: str | None


_TARGET_WIDTH = 1200
_BOX_H = 40
_BOX_GAP = 16
_INDENT = 22
_TRACK = 9
_LANE = 18
_HEAD = 40  # title row
_COLUMN_HEAD = 34
_LABEL_FONT = 11


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """A conservative estimate of rendered width (no font metrics on the server)."""
    return len(text) * size * (0.64 if bold else 0.58)


class ModelDiagram:
    """Lays out the boxes and routes the arrows (:meth:`_layout`), then writes the SVG (:meth:`render`)."""

    def __init__(
        self,
        modules: list[Module],
        columns: list[tuple[Module, list[tuple[Term, int, str | None]]]],
        edges: list[Edge],
        href_page: str,
    ) -> None:
        self.modules = modules
        self.columns = columns
        self.href_page = href_page
        unique = {(e.kind, e.source, e.target, e.label, e.curie, e.href) for e in edges}
        self.edges = [Edge(*u) for u in sorted(unique)]
        self.column_of = {term.iri: index for index, (_, stack) in enumerate(columns) for term, _, _ in stack}
        self._layout()

    # -- layout -------------------------------------------------------------------------------------
    def _layout(self) -> None:
        ncols = len(self.columns)
        self.routes: list[dict] = []
        gutter_tracks: dict[int, list[int]] = {g: [] for g in range(ncols + 1)}
        gutter_labels: dict[int, list[int]] = {g: [] for g in range(ncols + 1)}
        lanes: list[int] = []
        for index, edge in enumerate(self.edges):
            s, t = self.column_of[edge.source], self.column_of[edge.target]
            if s == t:
                side = "R" if edge.kind == "property" else "L"
                gutter = s + 1 if side == "R" else s
                route = {"exit": side, "entry": side, "gutters": [gutter]}
            elif s < t:
                route = {"exit": "R", "entry": "L", "gutters": [s + 1] if s + 1 == t else [s + 1, t]}
            else:
                route = {"exit": "L", "entry": "R", "gutters": [s] if s == t + 1 else [s, t + 1]}
            for g in route["gutters"]:
                gutter_tracks[g].append(index)
            if len(route["gutters"]) == 2:
                lanes.append(index)
            elif edge.kind == "property":
                gutter_labels[route["gutters"][0]].append(index)
            self.routes.append(route)
        self.lane_of = {edge_index: i for i, edge_index in enumerate(lanes)}
        # Gutter widths: tracks, plus room for the labels written beside them.
        widths = []
        for g in range(ncols + 1):
            tracks = len(gutter_tracks[g])
            label_room = max((_text_width(self.edges[i].label, _LABEL_FONT) for i in gutter_labels[g]), default=0)
            minimum = 14 if g in (0, ncols) else 34
            widths.append(max(minimum, 12 + tracks * _TRACK + (label_room + 10 if label_room else 0)))
        needed = max(
            (
                depth * _INDENT + max(_text_width(term.label, 12, True), _text_width(term.curie, 10)) + 20
                for _, stack in self.columns
                for term, depth, _ in stack
            ),
            default=120,
        )
        column_width = max(needed, (_TARGET_WIDTH - sum(widths)) / max(ncols, 1))
        self.width = round(sum(widths) + column_width * ncols)
        # Track x positions: in each gutter, shorter vertical spans nearer the boxes on the left.
        self.gutter_x: list[float] = []
        x = 0.0
        self.column_x: list[float] = []
        for g in range(ncols + 1):
            self.gutter_x.append(x)
            x += widths[g]
            if g < ncols:
                self.column_x.append(x)
                x += column_width
        self.column_width = column_width
        self.lane_top = _HEAD
        lanes_height = len(lanes) * _LANE + (8 if lanes else 0)
        self.column_top = self.lane_top + lanes_height
        box_top = self.column_top + _COLUMN_HEAD
        self.boxes: dict[str, Box] = {}
        rows = 0
        for c, (_, stack) in enumerate(self.columns):
            for r, (term, depth, parent) in enumerate(stack):
                bx = self.column_x[c] + depth * _INDENT
                self.boxes[term.iri] = Box(
                    iri=term.iri,
                    term=term,
                    column=c,
                    x=bx,
                    y=box_top + r * (_BOX_H + _BOX_GAP),
                    w=self.column_x[c] + column_width - bx,
                    h=_BOX_H,
                    depth=depth,
                    parent=parent,
                )
            rows = max(rows, len(stack))
        self.legend_top = box_top + rows * (_BOX_H + _BOX_GAP) + 8
        self.height = round(self.legend_top + 24 + 22 * math.ceil(len(self.modules) / 3) + 16)
        # Ports: each box side spreads its attached lines along its height, ordered by the other end.
        ports: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
        for index, (edge, route) in enumerate(zip(self.edges, self.routes, strict=True)):
            ports.setdefault((edge.source, route["exit"]), []).append((self.boxes[edge.target].y, index, "s"))
            ports.setdefault((edge.target, route["entry"]), []).append((self.boxes[edge.source].y, index, "t"))
        self.port_y: dict[tuple[int, str], float] = {}
        for (iri, _side), attached in ports.items():
            box = self.boxes[iri]
            attached.sort()
            for k, (_, index, end) in enumerate(attached):
                self.port_y[(index, end)] = box.y + (k + 1) * box.h / (len(attached) + 1)
        self.track_x: dict[tuple[int, int], float] = {}
        for g, members in gutter_tracks.items():
            span = lambda i: abs(self.port_y[(i, "s")] - self.port_y[(i, "t")])  # noqa: E731
            for k, index in enumerate(sorted(members, key=lambda i: (span(i), i))):
                self.track_x[(g, index)] = self.gutter_x[g] + 10 + k * _TRACK
        self.gutter_labels = gutter_labels

    # -- drawing ------------------------------------------------------------------------------------
    def render(self, title: str) -> str:
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-labelledby="model-title model-desc" class="model" '
            'font-family="Helvetica, Arial, sans-serif">',
            f'<title id="model-title">{escape(title)}</title>',
            '<desc id="model-desc">Classes of the treatykg ontology as boxes grouped by module; solid arrows are '
            "object properties from their domain to their range; dashed arrows with a hollow head point from a "
            "class to its superclass.</desc>",
            "<defs>",
            '<marker id="model-arrow-property" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
            'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>',
            '<marker id="model-arrow-subclass" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="11" '
            'markerHeight="11" orient="auto-start-reverse"><path d="M1,1 L11,6 L1,11 z" fill="#fff" '
            'stroke="#555" stroke-width="1.2"/></marker>',
            "</defs>",
            f'<text x="10" y="24" font-size="16" font-weight="bold" fill="#222">{escape(title)}</text>',
        ]
        out.append('<g class="modules">')
        for c, (module, _) in enumerate(self.columns):
            x = self.column_x[c]
            out.append(
                f"<a href={quoteattr(self.href_page + '#' + module.anchor)}>"
                f'<rect x="{x:.1f}" y="{self.column_top:.1f}" '
                f'width="{self.column_width:.1f}" height="24" rx="3" fill="{module.colour}"/>'
                f'<text x="{x + 8:.1f}" y="{self.column_top + 16:.1f}" font-size="13" font-weight="bold" fill="#fff">'
                f"{escape(module.title)}</text></a>"
            )
        out.append("</g>")
        # Subclasses stacked under their superclass: one trunk per superclass, one branch per subclass.
        out.append('<g class="tree" fill="none" stroke="#555" stroke-width="1.2" stroke-dasharray="4 3">')
        children: dict[str, list[Box]] = {}
        for box in self._sorted_boxes():
            if box.parent is not None:
                children.setdefault(box.parent, []).append(box)
        for parent_iri, kids in sorted(
            children.items(), key=lambda item: (self.boxes[item[0]].column, self.boxes[item[0]].y)
        ):
            parent = self.boxes[parent_iri]
            trunk = parent.x + _INDENT / 2
            names = ", ".join(k.term.curie for k in kids)
            out.append(
                f'<path class="edge subclass" d="M{trunk:.1f},{kids[-1].y + kids[-1].h / 2:.1f} '
                f'V{parent.y + parent.h:.1f}" marker-end="url(#model-arrow-subclass)">'
                f"<title>{escape(names)}: subclasses of {escape(parent.term.curie)}</title></path>"
            )
            for kid in kids:
                out.append(
                    f'<path d="M{trunk:.1f},{kid.y + kid.h / 2:.1f} H{kid.x:.1f}"><title>{escape(kid.term.curie)} '
                    f"subclass of {escape(parent.term.curie)}</title></path>"
                )
        out.append("</g>")
        out.append('<g class="edges" fill="none">')
        labels: list[str] = []
        gutter_label_y: dict[int, list[tuple[float, int]]] = {}
        for index, (edge, route) in enumerate(zip(self.edges, self.routes, strict=True)):
            source, target = self.boxes[edge.source], self.boxes[edge.target]
            sy, ty = self.port_y[(index, "s")], self.port_y[(index, "t")]
            sx = source.x + source.w if route["exit"] == "R" else source.x
            tx = target.x + target.w if route["entry"] == "R" else target.x
            gutters = route["gutters"]
            x1 = self.track_x[(gutters[0], index)]
            if len(gutters) == 1:
                d = f"M{sx:.1f},{sy:.1f} H{x1:.1f} V{ty:.1f} H{tx:.1f}"
            else:
                x2 = self.track_x[(gutters[1], index)]
                ly = self.lane_top + 8 + self.lane_of[index] * _LANE
                d = f"M{sx:.1f},{sy:.1f} H{x1:.1f} V{ly:.1f} H{x2:.1f} V{ty:.1f} H{tx:.1f}"
                if edge.kind == "property":
                    labels.append(self._label(edge, (x1 + x2) / 2, ly - 4, "middle"))
            if edge.kind == "property":
                style = 'stroke="#333" stroke-width="1.4" marker-end="url(#model-arrow-property)"'
                tip = f"{edge.curie}: {self.boxes[edge.source].term.curie} to {self.boxes[edge.target].term.curie}"
                css = "edge property"
                if len(gutters) == 1:
                    gutter_label_y.setdefault(gutters[0], []).append(((sy + ty) / 2 + 4, index))
            else:
                style = (
                    'stroke="#555" stroke-width="1.2" stroke-dasharray="4 3" marker-end="url(#model-arrow-subclass)"'
                )
                tip = f"{source.term.curie} subclass of {target.term.curie}"
                css = "edge subclass"
            out.append(f'<path class="{css}" d="{d}" {style}><title>{escape(tip)}</title></path>')
        out.append("</g>")
        # Labels beside vertical segments, pushed apart where they would overlap.
        for g, wanted in sorted(gutter_label_y.items()):
            previous = -math.inf
            for y, index in sorted(wanted):
                y = max(y, previous + 14)
                previous = y
                x = self.track_x[(g, index)] + 4
                labels.append(self._label(self.edges[index], x, y, "start"))
        out.append('<g class="boxes">')
        for box in self._sorted_boxes():
            module = self.columns[box.column][0]
            out.append(
                f"<a href={quoteattr(self.href_page + '#' + box.term.local)}>"
                f'<g class="class-box" id={quoteattr("model-" + box.term.local)}>'
                f"<title>{escape(box.term.curie)}</title>"
                f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="4" '
                f'fill="{tint(module.colour)}" stroke="{module.colour}" stroke-width="1.6"/>'
                f'<text x="{box.x + 8:.1f}" y="{box.y + 17:.1f}" font-size="12" font-weight="bold" fill="#111">'
                f"{escape(box.term.label)}</text>"
                f'<text x="{box.x + 8:.1f}" y="{box.y + 32:.1f}" font-size="10" fill="#444">'
                f"{escape(box.term.curie)}</text></g></a>"
            )
        out.append("</g>")
        out.append(f'<g class="labels" font-size="{_LABEL_FONT}">')
        out.extend(labels)
        out.append("</g>")
        out.append(self._legend())
        out.append("</svg>")
        return "\n".join(out)

    def _sorted_boxes(self) -> list[Box]:
        return sorted(self.boxes.values(), key=lambda b: (b.column, b.y))

    def _label(self, edge: Edge, x: float, y: float, anchor: str) -> str:
        return (
            f'<a href={quoteattr(edge.href)}><text class="edge-label" x="{x:.1f}" y="{y:.1f}" '
            f'text-anchor="{anchor}" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke" '
            f"data-property={quoteattr(edge.curie)}>{escape(edge.label)}<title>{escape(edge.curie)}</title></text></a>"
        )

    def _legend(self) -> str:
        y = self.legend_top + 14
        parts = [
            f'<g class="legend" font-size="11" fill="#222">'
            f'<path d="M10,{y:.1f} H50" stroke="#333" stroke-width="1.4" marker-end="url(#model-arrow-property)"/>'
            f'<text x="58" y="{y + 4:.1f}">object property, from its domain to its range</text>'
            f'<path d="M330,{y:.1f} H370" stroke="#555" stroke-width="1.2" stroke-dasharray="4 3" '
            'marker-end="url(#model-arrow-subclass)"/>'
            f'<text x="378" y="{y + 4:.1f}">subclass of</text>'
            f'<text x="470" y="{y + 4:.1f}" fill="#555">Properties whose domain or range is outside treatykg '
            "are listed in the reference, not drawn.</text>"
        ]
        lx, ly = 10.0, y + 22
        for module in self.modules:
            drawn = any(module is m for m, _ in self.columns)
            note = "" if drawn else " (no classes: properties only)"
            step = 20 + _text_width(module.title + note, 11) + 24
            if lx > 10 and lx + step > self.width:
                lx, ly = 10.0, ly + 22
            parts.append(
                f'<rect x="{lx:.1f}" y="{ly - 10:.1f}" width="14" height="14" rx="2" fill="{tint(module.colour)}" '
                f'stroke="{module.colour}" stroke-width="1.6"/><text x="{lx + 20:.1f}" y="{ly + 1:.1f}">'
                f"{escape(module.title + note)}</text>"
            )
            lx += step
        parts.append("</g>")
        return "".join(parts)


def tint(colour: str, amount: float = 0.85) -> str:
    """The module colour mixed with white, as a light box fill that keeps black text readable."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = (round(v + (255 - v) * amount) for v in (r, g, b))
    return "#" + "".join(f"{v:02x}" for v in mix)
