""" "Check your statements" (``/check``): the upload form, the check itself in a child process
(:mod:`.checkrun`) and the report as a table of file, line, column and problem. Nothing a
visitor uploads is stored (a test compares digests of ``graph/``).
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..model.iri import PREFIXES
from .checkrun import CheckBusyError
from .protocol import ProtocolError, read_body
from .render import render

TKG = PREFIXES["tkg"]


UPLOAD_SUFFIXES = {".ttl", ".trig", ".jsonld", ".json", ".csv", ".yaml", ".yml"}


async def check(request: Request) -> Response:
    """Paste Turtle or upload a statements file: the report of ``treatykg check``; nothing is stored.

    The check runs in a child process (:mod:`treatykg.web.checkrun`) under a time and a memory
    limit, without network, and is killed if the visitor leaves; at most ``check_concurrency`` run
    at once. Bad input is 400 with one line; a check the limits stopped, or no free slot, is 503
    with ``Retry-After``."""
    from .starters import offered

    title = "Check your statements"
    request.state.templates = offered()  # the template downloads, on every state of the page
    if request.method == "GET":
        return render(request, "check.html", title=title)
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    try:
        name, content = await _read_statements(request, limit)
    except ProtocolError as exc:
        return render(request, "check.html", title=title, error=exc.message, status=exc.status)
    pasted = content.decode("utf-8", "replace") if name == "pasted.ttl" else ""
    runner = request.app.state.checks
    try:
        outcome = await runner.run(name, content, request.is_disconnected)
    except CheckBusyError as exc:
        retry = settings.check_timeout / 2
        return render(request, "check.html", title=title, error=str(exc), pasted=pasted, status=503, retry_after=retry)
    if outcome is None:  # the client left; the child is already stopped and nobody reads this
        return PlainTextResponse("the client disconnected; the check was stopped\n", status_code=499)
    return render(
        request,
        "check.html",
        title=title,
        report=outcome.report,
        lines=report_lines(outcome.report),
        conforms=outcome.conforms,
        error=outcome.error,
        pasted=pasted,
        status=outcome.status,
        retry_after=settings.check_timeout / 2,
    )


_REPORT_LINE = re.compile(
    r"^(?P<where>[^\n]*?): (?P<severity>Violation|Warning|Info) \[(?P<field>[^\]\n]{1,200})\] (?P<message>.*)$"
)


def report_lines(report: str) -> list[dict[str, str]]:
    """The check's report, one entry per line, with where (file, row or line), severity, the field
    (a CSV column or YAML key where the report names one, else the property) and the message, so
    the page can lay them out to wrap instead of one wide preformatted block."""
    from ..statements.templates import column_name

    out = []
    for line in report.splitlines():
        match = _REPORT_LINE.match(line)
        if not match:
            out.append({"where": "", "severity": "", "field": "", "message": line})
            continue
        entry = match.groupdict()
        focus = entry["message"].split(":", 1)[0]
        record = _RECORD_OF_PREFIX.get(focus.split(":")[0] if ":" in entry["message"] else "")
        template = re.search(r"\.(csv|ya?ml)\b", entry["where"]) is not None  # columns mean nothing in Turtle
        column = column_name(record, entry["field"]) if record and template else None
        if column and column != entry["field"]:
            entry["field"] = f"{column} ({entry['field']})"  # the column or key the contributor filled in
        out.append(entry)
    return out


_RECORD_OF_PREFIX = {"claim": "claim", "doc": "document", "stk": "stakeholder", "person": "stakeholder"}


async def _read_statements(request: Request, limit: int) -> tuple[str, bytes]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data" and media != "application/x-www-form-urlencoded":
        raise ProtocolError(415, "send the form (multipart/form-data or application/x-www-form-urlencoded)")
    # Read the whole body under a hard cap first (a missing or lying Content-Length cannot make
    # the server spool more), then let Starlette parse the form from it: Request.stream() replays
    # a body that was already read.
    try:
        request._body = await read_body(request, limit + 64 * 1024)
    except ProtocolError as exc:
        message = f"upload too large ({exc.message}); the limit is {limit} bytes, as treatykg check"
        raise ProtocolError(413, message) from None
    async with request.form(max_files=1, max_fields=10, max_part_size=limit + 1) as form:
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            suffix = Path(upload.filename).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                raise ProtocolError(
                    400, f"file: unsupported type {suffix or '(none)'!r}; use {', '.join(sorted(UPLOAD_SUFFIXES))}"
                )
            content = await upload.read(limit + 1)
            if len(content) > limit:
                raise ProtocolError(413, f"file: too large (limit {limit} bytes, as treatykg check)")
            return _safe_name(upload.filename), content
        text = form.get("turtle")
        if isinstance(text, str) and text.strip():
            content = text.encode("utf-8")
            if len(content) > limit:
                raise ProtocolError(413, f"turtle: too large (limit {limit} bytes, as treatykg check)")
            return "pasted.ttl", content
    raise ProtocolError(400, "nothing to check: paste Turtle into the box or choose a file")


def _safe_name(filename: str) -> str:
    """The upload's base name reduced to safe characters (it is shown in the report)."""
    base = Path(filename.replace("\\", "/")).name
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".")
    return cleaned[:100] or "upload"
