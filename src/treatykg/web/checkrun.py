"""The parent side of "check your statements": run :mod:`treatykg.statements.checkworker` in a child
process, with a wall-clock limit, a memory limit, no network, at most N at once, and kill it as
soon as the visitor leaves.

The event loop never does the check's work and never blocks on it: the child is an asyncio
subprocess, and while it runs the loop polls, a few times a second, whether the client is still
connected and whether the time limit has passed. Whatever happens (time limit, client gone, the
request cancelled, a crash) the ``finally`` clause kills the child and reaps it, so no check
outlives its request.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

#: A report longer than this is not shown (a 5 MB file with a problem on every line gives ~1 MB).
MAX_REPORT_BYTES = 8 * 1024 * 1024
POLL_SECONDS = 0.2


class CheckBusyError(Exception):
    """All check slots are taken (HTTP 503 with Retry-After)."""


@dataclass
class CheckOutcome:
    """What the page shows: a report (200), a one-line error for bad input (400) or a one-line
    reason the check could not finish (503: time or memory limit, a crash)."""

    status: int
    report: str = ""
    conforms: bool = False
    error: str | None = None


@dataclass
class CheckStats:
    """Counters an operator and the tests can read (``app.state.checks``)."""

    started: int = 0
    finished: int = 0
    timed_out: int = 0
    abandoned: int = 0  # the client left; the child was killed
    failed: int = 0  # memory limit or crash
    refused: int = 0  # all slots busy
    running: int = 0


class CheckRunner:
    """Runs checks in child processes under the server's limits; one per app."""

    def __init__(self, timeout: float, memory: int, concurrency: int) -> None:
        self.timeout = timeout
        self.memory = memory
        self.concurrency = max(1, concurrency)
        self.stats = CheckStats()

    async def run(self, name: str, content: bytes, disconnected: Callable[[], Awaitable[bool]]) -> CheckOutcome | None:
        """Check ``content`` shown as file ``name``; None if the client left before the end."""
        if self.stats.running >= self.concurrency:
            self.stats.refused += 1
            raise CheckBusyError(
                f"{self.concurrency} check(s) are running, the limit of this server; try again in a few seconds"
            )
        self.stats.running += 1
        self.stats.started += 1
        try:
            with tempfile.TemporaryDirectory(prefix="treatykg-check-") as directory:
                path = Path(directory) / name
                path.write_bytes(content)
                outcome = await self._child(path, disconnected)
                if outcome is not None:
                    outcome.report = _unplace(outcome.report, path, directory, name)
                    outcome.error = _unplace(outcome.error, path, directory, name) if outcome.error else None
                return outcome
        finally:
            self.stats.running -= 1

    async def _child(self, path: Path, disconnected: Callable[[], Awaitable[bool]]) -> CheckOutcome | None:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "treatykg.statements.checkworker",
            str(self.memory),
            # CPU time as a second line behind the wall clock (a child whose parent hangs still stops)
            str(self.timeout + 5),
            str(path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
        )
        reader = asyncio.ensure_future(_read_capped(process.stdout, MAX_REPORT_BYTES))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            while True:
                done, _ = await asyncio.wait({reader}, timeout=max(0.0, min(POLL_SECONDS, deadline - loop.time())))
                if done:
                    break
                if await disconnected():
                    self.stats.abandoned += 1
                    return None
                if loop.time() >= deadline:
                    self.stats.timed_out += 1
                    return CheckOutcome(
                        503,
                        error=f"the check ran longer than the time limit of {self.timeout:g} s and was stopped; "
                        "check a smaller file, or run treatykg check on your own computer",
                    )
            output = reader.result()
            returncode = await process.wait()
        finally:
            reader.cancel()
            if process.returncode is None:
                process.kill()
                await process.wait()
        return self._outcome(output, returncode)

    def _outcome(self, output: bytes | None, returncode: int) -> CheckOutcome:
        answer = _parse(output) if returncode == 0 else None
        kind = answer.get("kind") if answer else None
        if kind == "report":
            self.stats.finished += 1
            return CheckOutcome(200, report=str(answer.get("text", "")), conforms=bool(answer.get("conforms")))
        if kind == "source":
            self.stats.finished += 1
            return CheckOutcome(400, error=str(answer.get("message", "the statements could not be read")))
        self.stats.failed += 1
        if output is None:
            return CheckOutcome(503, error="the check's report is too large to show; check a smaller file")
        if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            reason = f"the check used more than the CPU time limit of {self.timeout:g} s and was stopped"
        elif kind == "failed":
            reason = str(answer.get("message", "the check failed"))
        else:  # a MemoryError answer, or a child the memory limit made abort
            reason = (
                f"the check needed more than the memory limit of {self.memory // (1024 * 1024)} MiB and was stopped"
            )
        return CheckOutcome(503, error=f"{reason}; check a smaller file, or run treatykg check on your own computer")


async def _read_capped(stream: asyncio.StreamReader, limit: int) -> bytes | None:
    """All of ``stream``, or None once it passes ``limit`` bytes (the rest is read and dropped,
    so the child is not blocked on a full pipe)."""
    chunks, size = [], 0
    while True:
        chunk = await stream.read(65536)
        if not chunk:
            return b"".join(chunks) if size <= limit else None
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        else:
            chunks.clear()


def _parse(output: bytes | None) -> dict | None:
    if not output:
        return None
    try:
        answer = json.loads(output)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _unplace(text: str, path: Path, directory: str, name: str) -> str:
    """Messages name the file as the visitor called it, never our temporary directory."""
    return text.replace(str(path), name).replace(directory + "/", "")
