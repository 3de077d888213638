"""Security headers on every response, and no traceback ever reaches a client.

The pages need no script at all and only our own stylesheet, so the Content-Security-Policy can
be strict: a ``javascript:`` link or an injected ``<script>`` that slipped past the templates
(:mod:`treatykg.web.links`) would still not run. The inline SVG pictures use presentation
attributes (``fill=``, ``stroke=``), which ``style-src`` does not govern.

A pure ASGI middleware, not ``BaseHTTPMiddleware``: it adds headers as the response starts and
does not buffer bodies, so streamed answers and client disconnects behave as without it.
"""

from __future__ import annotations

import logging

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'none'",
        "object-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_NAMES = {name for name, _ in HEADERS}
log = logging.getLogger("treatykg.web")


class SecurityHeaders:
    """Add :data:`HEADERS` to every HTTP response; answer an unhandled error with one line."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": kept + HEADERS}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s", scope.get("path"))
            if started:
                raise
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                }
            )
            await send({"type": "http.response.body", "body": b"internal error: the request could not be answered\n"})
