"""The hand-off of a committed job to whatever runs it.

The job itself lives in the database (the video row); the queue only wakes a worker. A lost
hand-off is therefore never a lost video: the sweeper finds pending rows and hands them off again.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod

from celery import Celery
from opentelemetry.trace import SpanKind

from anb.config import JobSettings
from anb.jobs.celery_app import (
    DEAD_LETTER_EXCHANGE,
    TASK_NAME,
    dead_letter_queue,
    dead_letter_queue_name,
    is_sqs,
    make_celery,
)
from anb.observability.tracing import outgoing_headers, traced


class JobQueue(ABC):
    @abstractmethod
    def enqueue(self, video_id: uuid.UUID, correlation_id: str) -> None:
        """Hand a committed job to the workers; may raise when the broker is down."""

    @abstractmethod
    def check(self) -> None:
        """Raise when the queue cannot accept jobs (readiness probe)."""

    def dead_letter(self, video_id: uuid.UUID, correlation_id: str, reason: str) -> None:  # noqa: B027
        """Keep a failed job for an operator; where there is no dead-letter queue, the failed row is
        the record (``anb jobs list --status failed``)."""

    def dead_letter_count(self) -> int | None:
        """Messages waiting in the dead-letter queue; None where there is no such queue."""
        return None


class DatabaseQueue(JobQueue):
    """Embedded backend: workers owned by ``anb serve`` claim pending rows from the database,
    so there is nothing to send and nothing that can be down (nor traced: the row carries the
    upload request's traceparent to the worker)."""

    def enqueue(self, video_id: uuid.UUID, correlation_id: str) -> None:
        return None

    def check(self) -> None:
        return None


class CeleryQueue(JobQueue):
    """Distributed backend: one Celery message per job, carrying only the video id."""

    def __init__(self, app: Celery, settings: JobSettings) -> None:
        self.app = app
        self.settings = settings

    def enqueue(self, video_id: uuid.UUID, correlation_id: str) -> None:
        with traced(
            f"publish {self.settings.queue_name}",
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "aws_sqs" if is_sqs(self.settings) else "rabbitmq",
                "messaging.operation.type": "send",
                "messaging.destination.name": self.settings.queue_name,
                "anb.video_id": str(video_id),
            },
        ):
            self.app.send_task(
                TASK_NAME,
                args=[str(video_id), correlation_id],
                queue=self.settings.queue_name,
                # The worker's job span continues this one (anb.processing.celery_task).
                headers=outgoing_headers(),
                # Fail fast when the broker is down: the job is already durable in the database.
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2},
            )

    def dead_letter(self, video_id: uuid.UUID, correlation_id: str, reason: str) -> None:
        """Keep a failed job's message in the dead-letter queue for an operator to inspect and re-drive."""
        self.app.send_task(
            TASK_NAME,
            args=[str(video_id), correlation_id],
            kwargs={"failure_reason": reason},
            queue=dead_letter_queue_name(self.settings),
            exchange=DEAD_LETTER_EXCHANGE if not is_sqs(self.settings) else None,
            routing_key=dead_letter_queue_name(self.settings),
        )

    def check(self) -> None:
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)

    def dead_letter_count(self) -> int | None:
        try:
            with self.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                queue = dead_letter_queue(self.settings)(connection.default_channel)
                return int(queue.queue_declare(passive=True).message_count)
        except Exception:  # the gauge is left out while the broker does not answer
            return None


def build_queue(settings: JobSettings) -> JobQueue:
    """The one place that chooses the job backend."""
    if settings.backend == "celery":
        return CeleryQueue(make_celery(settings), settings)
    return DatabaseQueue()
