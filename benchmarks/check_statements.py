"""Benchmark: checking a batch of 50 new statements incrementally vs a full SHACL validation.

    python benchmarks/check_statements.py [--scales 1 10 100] [--repeat 3] [--full-cap 300]

At scale N the shipped debate graph (documents, stakeholders, claims, events) is copied N-1 more
times under fresh IRIs and names into a temporary contrib directory, so both modes see a graph N
times larger. Prints medians and the ratio full/incremental, measured in the same run. The full
validation is skipped (and reported as such) at scales where one run would exceed --full-cap s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BATCH = ROOT / "tests" / "check_data" / "claim-article-30.csv"


def make_batch(directory: Path, n: int = 50) -> Path:
    """50 new claim rows (plus their document) in the CSV template."""
    rows = [
        "record,id,label,kind,about,concern,quote,document,description,type,stance,date,signatories,source_file",
        "document,bench-letter,Benchmark letter,,,,,,,joint-letter,reject,2025-01-15,access-now,bench.txt",
    ]
    for i in range(n - 1):
        article = 25 + i % 20
        rows.append(
            f"claim,bench-claim-{i},Benchmark claim {i},criticism,Article {article},weak-safeguards,"
            f"benchmark quote {i},bench-letter,A benchmark claim.,,,,,"
        )
    path = directory / "batch.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def scale_graph(contrib: Path, copies: int) -> int:
    """Write ``copies`` renamed copies of the debate graph into ``contrib``; returns triples written."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    from treatykg.model.sources import data_root

    base = Graph()
    for path in sorted((data_root() / "graph" / "debate").rglob("*.ttl")):
        base.parse(path)
    renamable = re.compile(r"^https://w3id\.org/treatykg/(claim|doc|org|person|event)/")
    total = 0
    for copy in range(1, copies + 1):
        lines = []
        for s, p, o in base:

            def rename(term, copy=copy):
                if isinstance(term, URIRef) and renamable.match(str(term)):
                    return URIRef(f"{term}-x{copy}")
                if isinstance(term, BNode):
                    return BNode(f"{term}x{copy}")
                return term

            obj = rename(o)
            if p in (RDFS.label, SKOS.altLabel) and isinstance(o, Literal):
                obj = Literal(f"{o} (copy {copy})", lang=o.language)
            lines.append(f"{rename(s).n3()} {p.n3()} {obj.n3()} .")
        (contrib / f"scale-{copy:04d}.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        total += len(lines)
    return total


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full-cap", type=float, default=300.0)
    parser.add_argument(
        "--full-max-scale",
        type=int,
        default=10,
        help="skip the full validation above this scale (one run at 100x exceeded 15 min)",
    )
    args = parser.parse_args()
    print(f"{'scale':>5} {'triples':>9} {'incremental median':>20} {'full median':>14} {'full/incr':>9}")
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            contrib = tmp_path / "contrib"
            contrib.mkdir()
            os.environ["TREATYKG_CONTRIB_DIR"] = str(contrib)
            os.environ["TREATYKG_CACHE_DIR"] = str(tmp_path / "cache")
            added = scale_graph(contrib, scale - 1) if scale > 1 else 0
            batch = make_batch(tmp_path)
            from treatykg.engine.store import EmbeddedStore, cached_dataset_path
            from treatykg.statements.check import check_statements

            cached_dataset_path()  # build the cache once, outside the timings
            store = EmbeddedStore.open()
            triples = len(list(store.raw.quads_for_pattern(None, None, None, None)))
            incremental = timed(lambda batch=batch: check_statements([batch], store=EmbeddedStore.open()), args.repeat)
            verdict = check_statements([batch]).conforms()
            inc_median = statistics.median(incremental)
            if scale > args.full_max_scale:
                print(
                    f"{scale:>5} {triples:>9} {inc_median:>19.2f}s {'skipped':>14} {'':>9}"
                    f"   (added {added} triples; full validation not run above scale {args.full_max_scale})",
                    flush=True,
                )
                continue
            # One full run first, to see whether repeating it fits in the cap.
            start = time.perf_counter()
            full_report = check_statements([batch], full=True)
            first = time.perf_counter() - start
            assert full_report.conforms() == verdict, "incremental and full verdicts differ"
            full = [first]
            if first * (args.repeat - 1) <= args.full_cap:
                full += timed(lambda batch=batch: check_statements([batch], full=True), args.repeat - 1)
            full_median = statistics.median(full)
            print(
                f"{scale:>5} {triples:>9} {inc_median:>19.2f}s {full_median:>13.2f}s {full_median / inc_median:>8.1f}x"
                f"   (added {added} triples; full runs: {len(full)})",
                flush=True,
            )


if __name__ == "__main__":
    main()
