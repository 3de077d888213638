"""Regenerate ``src/treatykg/model/terms.py``: a closed rdflib ``DefinedNamespace`` for ``tkg:``.

Run ``python scripts/generate_terms.py`` after adding or removing an ontology term. The test
suite fails while the class and the ontology disagree, so ``TKG.appliesto`` (a typo) raises an
error in Python instead of silently minting a new IRI.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from treatykg.model.terms_source import render  # noqa: E402

if __name__ == "__main__":
    target = ROOT / "src" / "treatykg" / "model" / "terms.py"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
