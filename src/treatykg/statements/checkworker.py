"""One statements check in a process of its own: ``python -m treatykg.statements.checkworker MEMORY CPU FILE``.

Why a process per check: validating a contributor's file (parsing, SHACL over the context it
touches) has no cancellation point and its cost grows with what the visitor sends: 500 KB of
Turtle took 48 s of CPU inside the web server, and the work went on after the visitor left. A
child process can be limited (memory, CPU, no network: :mod:`treatykg.util.sandbox`, applied first,
before anything reads the file) and killed by its parent at any moment. A fresh interpreter costs
about half a second, which a person pressing "Check" does not notice.

The child writes one JSON object to its original standard output and nothing else (anything a
library prints goes to standard error): ``{"kind": "report", "text": ..., "conforms": ...}``,
``{"kind": "source", "message": ...}`` for unreadable input (the one-line
:class:`~treatykg.model.sources.SourceError`), ``{"kind": "memory"}`` or ``{"kind": "failed",
"message": ...}``.
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> int:
    from ..util import sandbox

    memory, cpu, path = int(argv[0]), float(argv[1]), argv[2]
    sandbox.apply(memory_bytes=memory or None, cpu_seconds=cpu or None, network=False)
    _die_with_parent()
    # Our answer goes to the real stdout; whatever a library prints goes to stderr instead.
    answer_fd = os.dup(1)
    os.dup2(2, 1)
    answer = run_check(path)
    with os.fdopen(answer_fd, "w", encoding="utf-8") as out:
        json.dump(answer, out)
    return 0


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the server dies (``PR_SET_PDEATHSIG``): a server
    killed with SIGKILL cannot run its clean-up, and no check should outlive it. Elsewhere the
    CPU limit alone ends an orphan."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def run_check(path: str) -> dict:
    """``treatykg check FILE`` as a JSON-ready dict; never raises."""
    kind, message = "failed", "the check failed"
    try:
        from pathlib import Path

        from ..model.sources import SourceError
        from .check import check_statements, format_check

        try:
            report = check_statements([Path(path)])
            return {"kind": "report", "text": format_check(report, "text"), "conforms": report.conforms()}
        except SourceError as exc:
            return {"kind": "source", "message": _one_line(str(exc))}
    except MemoryError:
        kind = "memory"  # build nothing here: the frames that hold the memory are still alive
    except RecursionError:
        kind, message = "failed", "the check failed: the statements are nested too deeply"
    except Exception as exc:  # an input we did not foresee: one line, never a traceback
        message = f"the check failed: {_one_line(str(exc))[:300]}"
    return {"kind": kind, "message": message}


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
