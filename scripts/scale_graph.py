"""Write the shipped graph N times (renamed copies, same shapes) as one N-Quads file.

    python scripts/scale_graph.py 100 -o /tmp/treatykg-100x.nq

The logic, and the renaming scheme, are in ``benchmarks/scale.py`` (benchmark-only code, not in the
wheel: issue 20).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.scale import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
