"""The ontology reference served by the site: ``/ontology`` (every class and property, one anchor
per term, so the site's ``/ontology#term`` links land), ``/ontology/vocabularies``,
``/ontology/shapes`` and the model diagram, from the same generator as ``treatykg docs``
(:mod:`treatykg.publish.docgen`).

Why generated here and not copied from ``dist/docs``: a server needs no build step, and the pages
cannot disagree with the ontology it serves. They are built once, in memory, on first request.
The generated files link each other by file name (``vocabularies.html#x``) and carry a few
``style`` attributes; both are rewritten for the site, so the pages keep working under the strict
Content-Security-Policy (``style-src 'self'`` ignores ``style`` attributes: they become classes of
a small stylesheet served beside them).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .links import local_path

#: site path -> (generated file, media type)
FILES = {
    "/ontology": ("index.html", "text/html; charset=utf-8"),
    "/ontology/vocabularies": ("vocabularies.html", "text/html; charset=utf-8"),
    "/ontology/shapes": ("shapes.html", "text/html; charset=utf-8"),
    "/ontology/model.svg": ("model.svg", "image/svg+xml"),
    "/ontology/style.css": ("style.css", "text/css; charset=utf-8"),
    "/ontology/inline.css": ("inline.css", "text/css; charset=utf-8"),
}
_SITE_PATH = {name: path for path, (name, _) in FILES.items()}
_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_BACK = (
    '<p class="site-back"><a href="/">treatykg</a> · <a href="/search">Search</a> · '
    '<a href="/downloads">Downloads</a></p>'
)


def _site_link(target: str) -> str:
    """A generated page's link as a site path: ``vocabularies.html#x`` -> ``/ontology/vocabularies#x``."""
    name, hash_, fragment = target.partition("#")
    if name in _SITE_PATH:
        return _SITE_PATH[name] + hash_ + fragment
    if name.startswith("https://w3id.org/treatykg/"):
        local = local_path(name)
        return (local + hash_ + fragment) if local else target
    return target


def rewrite(files: dict[str, str]) -> dict[str, str]:
    """The generated files with site links and their style attributes turned into classes."""
    styles: dict[str, str] = {}

    def to_class(match: re.Match) -> str:
        name = styles.setdefault(match.group(1), f"tkg-style-{len(styles)}")
        return f' data-style="{name}"'

    out: dict[str, str] = {}
    for name, text in files.items():
        if name.endswith((".html", ".svg")):
            text = _LINK.sub(lambda m: f'{m.group(1)}="{_site_link(m.group(2))}"', text)
        if name.endswith(".html"):
            text = _STYLE.sub(to_class, text)
            text = text.replace(
                '<link rel="stylesheet" href="/ontology/style.css">',
                '<link rel="stylesheet" href="/ontology/style.css">\n'
                '<link rel="stylesheet" href="/ontology/inline.css">',
                1,
            )
            text = text.replace("<body>", "<body>\n" + _BACK, 1)
        out[name] = text
    rules = [f'[data-style="{cls}"] {{ {css} }}' for css, cls in styles.items()]
    rules.append(".site-back { margin: .5rem 1.25rem; font-size: .9rem; }")
    out["inline.css"] = "\n".join(rules) + "\n"
    return out


def build() -> dict[str, str]:
    """Generate the reference (as ``treatykg docs``) into a temporary directory and read it back."""
    from ..publish.docgen import build_docs

    with tempfile.TemporaryDirectory(prefix="treatykg-docs-") as folder:
        written = build_docs(Path(folder))
        files = {path.name: path.read_text(encoding="utf-8") for path in written}
    return rewrite(files)


async def _files(request: Request) -> dict[str, str]:
    state = request.app.state
    if getattr(state, "reference", None) is None:
        lock = state.__dict__.setdefault("_reference_lock", asyncio.Lock())
        async with lock:
            if getattr(state, "reference", None) is None:
                state.reference = await run_in_threadpool(build)
    return state.reference


async def page(request: Request) -> Response:
    """A reference page; ``/ontology`` itself answers RDF as any entity does when asked for it."""
    from .pages import ENTITY_TYPES, _entity_format, entity

    path = request.url.path
    if path == "/ontology":
        fmt = request.query_params.get("format")
        if (fmt and fmt != "html") or (fmt is None and _entity_format(request, None) in ENTITY_TYPES.values()):
            request.scope["path_params"] = {"path": "ontology"}
            return await entity(request)
    name, media = FILES[path]
    files = await _files(request)
    if name not in files:
        raise HTTPException(404, f"the reference has no {name}")
    return Response(files[name], media_type=media, headers={"Vary": "Accept"} if path == "/ontology" else None)


async def version(request: Request) -> Response:
    """``/ontology/0.1.0`` (the owl:versionIRI): this release of the ontology is the one served."""
    fragment = request.url.fragment
    return RedirectResponse("/ontology" + (f"#{fragment}" if fragment else ""), status_code=303)


def routes(version_path: str) -> list[Route]:
    """The reference's routes, for :func:`treatykg.web.app.create_app`."""
    return [Route(path, page, name=f"reference-{path}") for path in FILES] + [
        Route(version_path, version, name="ontology-version")
    ]
