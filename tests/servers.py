"""Real servers for tests, started on 127.0.0.1 on a free port and stopped afterwards: our own
``treatykg serve`` and ``oxigraph serve`` (PyPI package ``oxigraph``). No mocks."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running(
    command: list[str],
    probe_url: str,
    timeout: float = 60.0,
    env: dict | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
) -> Iterator[subprocess.Popen]:
    """Start ``command``, wait until ``probe_url`` answers 2xx, yield the process, then stop it.

    ``log`` sends the server's standard error to that file instead of a pipe (for chatty
    servers, whose pipe would fill and block them)."""
    stderr = open(log, "wb") if log else subprocess.PIPE  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env, cwd=cwd)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(probe_url, timeout=2) as response:
                    response.read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    message = (log.read_bytes() if log else process.stderr.read()).decode(errors="replace")
                    raise RuntimeError(f"{command[0]} did not start: {message}") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if log:
            stderr.close()


def oxigraph_binary() -> str:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        raise RuntimeError("the 'oxigraph' server (PyPI package oxigraph, in the test extra) is not installed")
    return binary


@contextlib.contextmanager
def oxigraph(union_default_graph: bool = True) -> Iterator[str]:
    """An empty in-memory ``oxigraph serve``; yields its base URL (``/query``, ``/store``...)."""
    port = free_port()
    command = [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    base = f"http://127.0.0.1:{port}"
    with running(command, base + "/query?query=ASK%7B%7D"):
        yield base


@contextlib.contextmanager
def treatykg(*options: str, env: dict | None = None) -> Iterator[str]:
    """``treatykg serve`` as a real process; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "treatykg", "serve", "--port", str(port), *options]
    with running(command, base + "/health", env=env):
        yield base
