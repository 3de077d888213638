"""Blank node canonicalisation for the exports: pyoxigraph's (what ``treatykg export`` uses since
decision 81) against rdflib's RGDA1 (``to_canonical_graph``, before), measured in the same run.

Two cases: each source graph canonicalised alone (what the export does), and the whole union in
one graph (what the triple formats did before). Prints the median of ``--repeats`` runs for each
and the ratio against RGDA1.

    python benchmarks/canonical_labels.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time


def _median(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per case (default 3)")
    args = parser.parse_args()

    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    from treatykg.publish.export import _canonical, assemble

    source, _derived = assemble()
    graphs = [g for g in source.graphs() if len(g)]
    union = Graph()
    for s, p, o, _ in source.quads((None, None, None, None)):
        union.add((s, p, o))
    print(f"{len(graphs)} source graphs, {len(union)} triples; median of {args.repeats} runs")
    cases = {
        "per graph": (
            lambda: [_canonical(g) for g in graphs],
            lambda: [list(to_canonical_graph(g)) for g in graphs],
        ),
        "one union graph": (lambda: _canonical(union), lambda: list(to_canonical_graph(union))),
    }
    print(f"{'case':<16} {'pyoxigraph s':>13} {'RGDA1 s':>9} {'RGDA1 / pyoxigraph':>19}")
    for name, (ours, baseline) in cases.items():
        fast = _median(ours, args.repeats)
        slow = _median(baseline, args.repeats)
        print(f"{name:<16} {fast:>13.2f} {slow:>9.2f} {slow / fast:>18.0f}x")


if __name__ == "__main__":
    main()
