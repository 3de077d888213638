"""Write the shipped graph N times (renamed copies, same shapes) as one N-Quads file.

    python scripts/scale_graph.py 100 -o /tmp/treatykg-100x.nq

The logic, and the renaming scheme, are in ``treatykg.scale``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from treatykg.scale import main

if __name__ == "__main__":
    sys.exit(main())
