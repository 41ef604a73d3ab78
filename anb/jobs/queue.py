"""The hand-off of a committed job to whatever runs it.

The job itself lives in the database (the video row); the queue only wakes a worker. A lost
hand-off is therefore never a lost video: the sweeper finds pending rows and hands them off again.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod


class JobQueue(ABC):
    @abstractmethod
    def enqueue(self, video_id: uuid.UUID, correlation_id: str) -> None:
        """Hand a committed job to the workers; may raise when the broker is down."""

    @abstractmethod
    def check(self) -> None:
        """Raise when the queue cannot accept jobs (readiness probe)."""


class DatabaseQueue(JobQueue):
    """Embedded backend: workers owned by ``anb serve`` claim pending rows from the database,
    so there is nothing to send and nothing that can be down."""

    def enqueue(self, video_id: uuid.UUID, correlation_id: str) -> None:
        return None

    def check(self) -> None:
        return None
