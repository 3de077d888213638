"""Limits a worker process puts on itself before it touches anything a visitor sent.

A public server runs visitors' work (SPARQL queries, statement checks) in child processes. Time
is bounded by the parent, which kills a child that does not answer; what only the child can bound
is set here, as the first thing it does:

* **memory**: ``RLIMIT_AS`` caps the address space, so an ``ORDER BY`` over a cartesian product,
  a ``GROUP_CONCAT`` of the whole graph or a parser gone wild fails with an allocation error (or
  the child aborts) instead of taking the host's memory; the parent sees the child die and says
  so in one line;
* **CPU**: ``RLIMIT_CPU`` is a second line behind the parent's wall-clock limit (a child whose
  parent is stuck still stops);
* **network**: on Linux, a process that may create namespaces (root, or unprivileged user
  namespaces) moves into a new, empty network namespace, where no address is reachable. Then no
  parser bug, no ``SERVICE`` that slipped past a check and no ``@import`` can reach another host:
  the guards in front stay the rule, this is the belt behind them. Where the OS refuses, the
  function says so and the guards alone hold (:func:`isolate_network` returns False).

Everything here is best effort by design, reports what it did, and never raises: a limit the
platform does not offer must not stop the server from starting.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def limit_memory(max_bytes: int | None) -> bool:
    """Cap this process's address space at ``max_bytes`` (None or 0: no cap). True if set."""
    if not max_bytes:
        return False
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return True
    except (ImportError, ValueError, OSError):
        return False


def limit_cpu(seconds: float | None) -> bool:
    """Stop this process (SIGXCPU, then SIGKILL) after ``seconds`` of CPU time. True if set."""
    if not seconds:
        return False
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        wanted = max(1, int(seconds + 0.999))
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
        return True
    except (ImportError, ValueError, OSError):
        return False


def isolate_network() -> bool:
    """Move this process into a new network namespace with no interfaces up (Linux only).

    Must run before the process starts threads (``unshare`` of a user namespace refuses a
    multi-threaded caller). True when the process can no longer reach any address."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return False
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    # Without CAP_SYS_ADMIN, an unprivileged user namespace may still grant it.
    return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def network_reachable(host: str = "127.0.0.1", port: int = 9) -> bool:
    """Whether this process can open a socket to ``host`` at all (used by tests and /health)."""
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except ConnectionRefusedError:
        return True  # something answered: the address is reachable
    except OSError:
        return False


def apply(memory_bytes: int | None = None, cpu_seconds: float | None = None, network: bool = False) -> dict:
    """Apply the limits in the order that works (network first, while single-threaded) and
    return what took effect, for the parent to log once."""
    isolated = False if network else isolate_network()
    return {
        "network_isolated": isolated,
        "memory_limited": limit_memory(memory_bytes),
        "cpu_limited": limit_cpu(cpu_seconds),
        "pid": os.getpid(),
    }
