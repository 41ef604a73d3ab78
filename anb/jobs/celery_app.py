"""Celery for the distributed backend: RabbitMQ (``amqp://``) or Amazon SQS (``sqs://``).

Reliability settings, and why:
- late acknowledgement + reject on worker loss: a job is acknowledged only once it ended, so a
  killed worker's job is delivered again (the database lease makes the redelivery harmless);
- prefetch 1: a worker never sits on jobs another worker could run;
- soft/hard time limits, and a broker visibility timeout longer than the hard limit, so SQS never
  hands a running job to a second worker (the previous platform's 60 s vs 900 s mistake);
- a dead-letter queue ``<queue>.dlq`` that keeps exhausted and poison jobs for an operator.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Exchange, Queue

from anb.config import JobSettings

TASK_NAME = "anb.process_video"
DEAD_LETTER_EXCHANGE = "anb.dead-letter"


def dead_letter_queue_name(settings: JobSettings) -> str:
    # SQS names allow no dots.
    return f"{settings.queue_name}-dlq"


def is_sqs(settings: JobSettings) -> bool:
    return settings.broker_url.startswith("sqs://")


def _queues(settings: JobSettings) -> list[Queue]:
    if is_sqs(settings):
        # On SQS the redrive policy (maxReceiveCount) of the queue itself feeds the DLQ.
        return [Queue(settings.queue_name)]
    dlx = Exchange(DEAD_LETTER_EXCHANGE, type="direct", durable=True)
    dead = dead_letter_queue_name(settings)
    return [
        Queue(
            settings.queue_name,
            Exchange(settings.queue_name, type="direct", durable=True),
            routing_key=settings.queue_name,
            durable=True,
            queue_arguments={"x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": dead},
        ),
        Queue(dead, dlx, routing_key=dead, durable=True),
    ]


def _transport_options(settings: JobSettings) -> dict[str, Any]:
    options: dict[str, Any] = {"visibility_timeout": settings.visibility_timeout_seconds}
    if is_sqs(settings):
        options.update(wait_time_seconds=10, is_secure=settings.sqs_is_secure)
        if settings.sqs_region:
            options["region"] = settings.sqs_region
        if settings.sqs_queue_url and settings.sqs_dead_letter_queue_url:
            options["predefined_queues"] = {
                settings.queue_name: {"url": settings.sqs_queue_url},
                dead_letter_queue_name(settings): {"url": settings.sqs_dead_letter_queue_url},
            }
    else:
        options["confirm_publish"] = True
        options["max_retries"] = 2
    return options


def make_celery(settings: JobSettings) -> Celery:
    app = Celery("anb", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_queues=_queues(settings),
        task_default_queue=settings.queue_name,
        task_routes={TASK_NAME: {"queue": settings.queue_name, "routing_key": settings.queue_name}},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.soft_time_limit_seconds,
        task_time_limit=settings.hard_time_limit_seconds,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        result_backend=None,
        broker_transport_options=_transport_options(settings),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_hijack_root_logger=False,
    )
    return app


def dead_letter_queue(settings: JobSettings) -> Queue:
    if is_sqs(settings):
        return Queue(dead_letter_queue_name(settings))
    return _queues(settings)[1]


def drain_dead_letters(app: Celery, settings: JobSettings, limit: int) -> list[list[Any]]:
    """Take up to ``limit`` messages off the dead-letter queue and return their task arguments.

    Each message is acknowledged (removed) only after it was read; the caller re-drives them.
    """
    taken: list[list[Any]] = []
    # An SQS long poll (10 s) outlasting the wait would take a message and hide it for the visibility timeout.
    wait = 15.0 if is_sqs(settings) else 2.0
    with app.connection_for_write() as connection:
        simple = connection.SimpleQueue(dead_letter_queue(settings))
        try:
            while len(taken) < limit:
                try:
                    message = simple.get(block=True, timeout=wait)
                except simple.Empty:
                    break
                # Celery message protocol 2: the body is [args, kwargs, embed].
                taken.append(list(message.payload[0]))
                message.ack()
        finally:
            simple.close()
    return taken
