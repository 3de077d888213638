"""Regenerate the README's query catalogue table from the ``queries/*.rq`` headers.

The table sits between ``<!-- catalogue:start -->`` and ``<!-- catalogue:end -->``; a test fails
when the README and the headers disagree, so the documentation cannot drift from the queries.
Run ``python scripts/update_readme.py`` after adding or changing a query.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from treatykg.publish.readme import update_readme  # noqa: E402

if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(update_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {path.relative_to(ROOT)}")
