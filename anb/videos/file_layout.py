"""Where a video's files live in storage: everything of one video under one folder."""

from __future__ import annotations

import uuid


def video_folder(video_id: uuid.UUID) -> str:
    return f"videos/{video_id}"


def original_key(video_id: uuid.UUID) -> str:
    return f"{video_folder(video_id)}/original.mp4"


def processed_key(video_id: uuid.UUID) -> str:
    return f"{video_folder(video_id)}/processed.mp4"


def poster_key(video_id: uuid.UUID) -> str:
    return f"{video_folder(video_id)}/poster.jpg"
