"""Capacity planning kit: the competition's two load scenarios, one command each, with a report.

    .venv/bin/python -m bench.capacity web --base-url URL --users 50 100 200 ...   # scenario 1 (web layer)
    .venv/bin/python -m bench.capacity workers --sizes 50 100 --concurrency 1 2 4  # scenario 2 (workers)
    .venv/bin/python -m bench.capacity aws --web .../summary.json --workers .../runs.json  # AWS tasks and cost

See docs/capacity.md.
"""
