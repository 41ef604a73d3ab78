from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from anb.videos.models import VideoStatus


class UploadOut(BaseModel):
    message: str
    task_id: uuid.UUID
    video_id: uuid.UUID


class VideoSummaryOut(BaseModel):
    video_id: uuid.UUID
    title: str
    status: VideoStatus
    uploaded_at: datetime
    processed_at: datetime | None
    processed_url: str | None
    poster_url: str | None
    progress: float
    failure_reason: str | None


class VideoDetailOut(VideoSummaryOut):
    original_url: str | None
    votes: int


class DeletedOut(BaseModel):
    message: str
    video_id: uuid.UUID
