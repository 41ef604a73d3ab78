"""The test harness shared by several test folders: services on loopback, fault injection, fakes.

What the benchmarks need as well lives in ``bench.harness``; conftest.py files keep only fixtures.
"""
