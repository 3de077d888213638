"""Set-up the test files share: a statements file written into a test's directory, and a digest
of a directory tree (to show that a command stored nothing).

Kept here rather than as fixtures because they take arguments and return values; the fixtures
(``contrib``, the servers, the parsed graphs) are in ``conftest.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def write(directory: Path, name: str, text: str) -> Path:
    """``directory/name`` holding ``text`` (UTF-8): a contributor's file, a broken input."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def tree_digest(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) with its SHA-256 digest; empty when ``root``
    does not exist. Two equal digests show that nothing was written, renamed or left behind."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).digest() for p in root.rglob("*") if p.is_file()}
