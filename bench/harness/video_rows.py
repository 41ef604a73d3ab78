"""Rows and stored originals for worker tests and the capacity kit, bypassing the HTTP upload."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from anb.accounts.models import User
from anb.storage.base import Storage
from anb.videos import file_layout
from anb.videos.models import Video


def new_player(email: str | None = None) -> User:
    """A player row (not added to any session) that cannot log in."""
    return User(
        email=email or f"{uuid.uuid4().hex}@example.com",
        password_hash="x",
        first_name="Ana",
        last_name="Pérez",
        city="Cali",
        city_key="cali",
        country="CO",
    )


def new_video(engine: Engine, storage: Storage | None = None, clip: Path | None = None) -> uuid.UUID:
    """A pending video (and its owner); with ``storage`` and ``clip``, its original is stored too."""
    with Session(engine) as session, session.begin():
        user = new_player()
        session.add(user)
        session.flush()
        video = Video(
            owner_id=user.id,
            title="jugada",
            size_bytes=1,
            duration_seconds=21.0,
            width=1920,
            height=1080,
        )
        video.id = uuid.uuid4()
        video.original_key = file_layout.original_key(video.id)
        session.add(video)
        video_id = video.id
    if storage is not None and clip is not None:
        copy = storage.new_temp_path(".mp4")
        shutil.copyfile(clip, copy)
        storage.save_file(file_layout.original_key(video_id), copy, "video/mp4")
    return video_id


def load(engine: Engine, video_id: uuid.UUID) -> Video | None:
    with Session(engine) as session:
        video = session.get(Video, video_id)
        if video is not None:
            session.expunge(video)
        return video
