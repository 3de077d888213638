"""Where the web package's own files are (templates, static files, page queries).

A module of its own so that the application (``app``) and the pages (``pages``) can both name it
without importing each other.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
