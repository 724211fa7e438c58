"""Performance benchmarks for the wall: one command (`python -m benchmarks`) runs them all and
writes benchmarks/RESULTS.md. Every figure is a median of several runs and every ratio is taken
against a baseline measured in the same run, so a noisy shared machine skews both sides alike.
Benchmarks never fail on timing; tests/benchmarks/test_smoke.py only checks they produce numbers."""
