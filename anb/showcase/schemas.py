from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field, TypeAdapter


class ShowcaseVideoOut(BaseModel):
    video_id: uuid.UUID
    title: str
    username: str = Field(description='"Nombre Apellido", como en la galería del contrato.')
    player_id: uuid.UUID
    player_name: str = Field(
        description="Nombre para mostrar: con la ciudad (y un número) si otro jugador se llama igual."
    )
    city: str
    votes: int
    duration_seconds: float = Field(description="Duración del video publicado (cortinillas incluidas).")
    processed_url: str | None
    poster_url: str | None
    uploaded_at: datetime
    published_at: datetime | None
    page_url: str = Field(description="Dirección estable y compartible del video.")


class PlayerOut(BaseModel):
    player_id: uuid.UUID
    username: str
    player_name: str
    city: str
    votes: int = Field(description="Votos de todos sus videos publicados.")
    city_rank: int | None = Field(description="Posición en el ranking de su ciudad; null sin votos.")
    page_url: str
    videos: list[ShowcaseVideoOut]


class RankedPlayerOut(BaseModel):
    position: int
    player_id: uuid.UUID
    username: str
    player_name: str
    city: str
    votes: int


class MyVotesOut(BaseModel):
    video_ids: list[uuid.UUID] = Field(
        description="Videos por los que ha votado quien llama, del más antiguo al último."
    )


SHOWCASE_VIDEOS = TypeAdapter(list[ShowcaseVideoOut])
RANKED_PLAYERS = TypeAdapter(list[RankedPlayerOut])
