"""Running the real product on this machine, shared by the benchmarks, the capacity kit and the tests.

``anb`` processes on free ports, a scratch PostgreSQL database, generated clips, memory readings
and rows made directly in the database. Nothing here imports ``tests``: the tests build on it.
"""
