"""Metrics, structured logs and traces shared by every role (API, embedded workers, Celery workers)."""
