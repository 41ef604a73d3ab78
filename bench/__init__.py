"""Benchmarks and the capacity kit: scripts that compare ratios and medians within one run.

``python -m bench`` lists them and how to run each; every run writes a summary to docs/results/
(bench/results.py). ``bench.harness`` runs the real product on this machine for them and for the tests.
"""
