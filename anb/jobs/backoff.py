from __future__ import annotations

import random


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential back-off with full jitter: attempt 1 waits up to ``base``, then 2×, 4×… capped.

    The jitter spreads the retries of jobs that failed together (a storage outage) so they do not
    come back as one wave.
    """
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - timing jitter, not security
