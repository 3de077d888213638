"""Same-run before/after of canned queries' first pages (LIMIT 100) on a scaled graph.

    python benchmarks/compare_queries.py --scale 100 --before HEAD~1 --repeat 9 \
        --queries gender,refusal-gaps

benchmarks/run.py measures every query of the working tree; a rewrite needs its baseline measured
in the same run, on the same loaded store, under the same load (the machine is shared, so figures
from different runs are not comparable). This script builds the scaled graph as run.py does
(``benchmarks.scale``, in-memory pyoxigraph), takes the old query texts from git (``--before``),
binds both with their default parameters as ``treatykg query --limit 100`` does, and alternates
before and after runs so that a change in load hits both. It prints medians with min-max and the
rows, and fails if the two forms give different rows.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--before", default="HEAD~1", help="git revision of the baseline queries")
    parser.add_argument("--queries", required=True, help="comma-separated query names")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value instead of its default, for each query that has the parameter (repeatable)",
    )
    args = parser.parse_args(argv)

    names = args.queries.split(",")
    args.given = dict(item.split("=", 1) for item in args.param)
    with tempfile.TemporaryDirectory() as tmp:
        return _compare(args, names, Path(tmp))


def _compare(args: argparse.Namespace, names: list[str], tmp: Path) -> int:
    """The measurement, with the baseline queries in ``tmp`` (kept until the end: the catalogue
    reads them lazily)."""
    import pyoxigraph as ox

    from benchmarks.scale import scaled_file
    from treatykg.engine.catalogue import Catalogue, Page, resolve
    from treatykg.engine.store import EmbeddedStore

    old = Path(tmp, "before")
    old.mkdir()
    for path in sorted((ROOT / "queries").glob("*.rq")):
        shown = subprocess.run(
            ["git", "show", f"{args.before}:queries/{path.name}"], cwd=ROOT, capture_output=True, text=True
        )
        if shown.returncode == 0:
            Path(old, path.name).write_text(shown.stdout, encoding="utf-8")
    nq = scaled_file(args.scale, Path(tmp, f"{args.scale}x.nq"))
    raw = ox.Store()
    raw.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store = EmbeddedStore(raw)
    catalogues = {"before": Catalogue(old), "after": Catalogue()}
    given = "".join(f", {item}" for item in args.param)
    print(f"{args.scale}x, first page (LIMIT 100), median of {args.repeat} (min-max), before = {args.before}{given}")
    status = 0
    for name in names:
        texts = {}
        for label, catalogue in catalogues.items():
            query = catalogue.get(name)
            values = {p.name: resolve(store, p, args.given.get(p.name, p.default)) for p in query.params}
            texts[label] = query.bind(values, Page(100))
        times: dict[str, list[float]] = {label: [] for label in texts}
        rows: dict[str, list] = {}
        for _ in range(args.repeat):
            for label, text in texts.items():
                start = time.perf_counter()
                rows[label] = store.query(text).rows
                times[label].append(time.perf_counter() - start)
        same = rows["before"] == rows["after"]
        status |= not same
        cells = [
            f"{label} {statistics.median(t) * 1000:.1f} ms ({min(t) * 1000:.1f}-{max(t) * 1000:.1f})"
            for label, t in times.items()
        ]
        print(
            f"{name:24} " + "  ".join(cells) + f"  rows={len(rows['after'])} {'same rows' if same else 'ROWS DIFFER'}"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
