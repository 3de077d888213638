"""Benchmarks (each a script: ``python benchmarks/NAME.py``) and the synthetic-graph generator they
share (:mod:`benchmarks.scale`). Not part of the wheel; results go to ``BENCHMARKS.md``."""
