from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field, TypeAdapter


class PublicVideoOut(BaseModel):
    video_id: uuid.UUID
    title: str
    username: str = Field(description='Nombre del jugador: "Nombre Apellido".')
    city: str
    votes: int
    processed_url: str | None = Field(description="URL firmada y temporal del video procesado (admite Range).")
    poster_url: str | None
    uploaded_at: datetime


class RankingEntryOut(BaseModel):
    position: int = Field(
        description="Posición (desde 1) en el orden del ranking; los empates ocupan posiciones seguidas."
    )
    username: str
    city: str
    votes: int


class CityOut(BaseModel):
    city: str = Field(description="Nombre para mostrar: la escritura más usada por los jugadores de la ciudad.")
    key: str = Field(description="Valor para el filtro `city` (sin mayúsculas ni tildes).")
    videos: int = Field(description="Videos publicados de jugadores de la ciudad.")


class VoteOut(BaseModel):
    message: str


PUBLIC_VIDEOS = TypeAdapter(list[PublicVideoOut])
RANKING = TypeAdapter(list[RankingEntryOut])
CITIES = TypeAdapter(list[CityOut])
