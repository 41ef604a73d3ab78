"""The sweeper removes what dead workers and servers leave behind, and only that."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, update

from anb.db.base import utcnow
from anb.processing.sweeper import remove_abandoned_work_dirs
from anb.videos.models import Video, VideoStatus
from bench.harness.video_rows import new_video


def _work_dir(root: Path, video_id: uuid.UUID) -> Path:
    path = root / f"job-{video_id}-a1b2c3"
    (path).mkdir(parents=True)
    (path / "original.mp4").write_bytes(b"\0" * 1024)
    return path


def _set(engine: Engine, video_id: uuid.UUID, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(Video).where(Video.id == video_id).values(**values))


def test_work_dirs_of_jobs_no_live_worker_holds_are_removed(engine: Engine, tmp_path: Path) -> None:
    held, abandoned, published = (new_video(engine) for _ in range(3))
    deleted = uuid.uuid4()
    _set(engine, held, status=VideoStatus.PROCESSING, lease_owner="alive", lease_until=utcnow() + timedelta(minutes=1))
    _set(
        engine,
        abandoned,
        status=VideoStatus.PROCESSING,
        lease_owner="dead",
        lease_until=utcnow() - timedelta(seconds=1),
    )
    _set(engine, published, status=VideoStatus.PROCESSED)
    kept = _work_dir(tmp_path, held)
    gone = [_work_dir(tmp_path, video_id) for video_id in (abandoned, published, deleted)]
    unrelated = tmp_path / "curtains"
    unrelated.mkdir()

    assert remove_abandoned_work_dirs(engine, tmp_path) == 3
    assert kept.is_dir() and unrelated.is_dir()
    assert not any(path.exists() for path in gone)
    assert remove_abandoned_work_dirs(engine, tmp_path / "missing") == 0
