"""A large, consistent demo dataset: players, published videos and votes, written in bulk.

Vote counts per video follow a long-tailed curve (a few videos get most votes, as in real
contests); every counter (``videos.vote_count``, ``users.vote_count``) is computed from the very
votes written, so the dataset satisfies the same invariants as one built through the API.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Column, Connection, Constraint, Engine, ForeignKeyConstraint, Table, insert
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from anb.accounts.models import User
from anb.accounts.normalize import city_key, name_key
from anb.db.base import Base, utcnow
from anb.videos import file_layout
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote

CITIES = (
    "Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Cúcuta", "Bucaramanga", "Pereira", "Santa Marta",
    "Ibagué", "Manizales", "Villavicencio", "Pasto", "Montería", "Neiva", "Armenia", "Popayán", "Sincelejo",
    "Valledupar", "Tunja",
)  # fmt: skip
FIRST_NAMES = ("Ana", "Luis", "Sofía", "Juan", "Valentina", "Andrés", "Camila", "Santiago", "Mariana", "Mateo")
LAST_NAMES = ("Pérez", "Gómez", "Rodríguez", "Martínez", "López", "García", "Díaz", "Hernández", "Muñoz", "Rojas")
BATCH = 50_000
VOTES = cast(Table, Vote.__table__)


@dataclass(frozen=True)
class Plan:
    player_ids: list[uuid.UUID]
    video_ids: list[uuid.UUID]
    # Votes of each video, and where its run of (distinct) voters starts among the players.
    video_votes: list[int]
    voter_starts: list[int]
    started: datetime

    def owner(self, video: int) -> int:
        return video % len(self.player_ids)

    def player_votes(self) -> list[int]:
        totals = [0] * len(self.player_ids)
        for video, votes in enumerate(self.video_votes):
            totals[self.owner(video)] += votes
        return totals


def long_tail(total: int, buckets: int, cap: int, rng: random.Random) -> list[int]:
    """``total`` split over ``buckets`` with Zipf-like weights (shuffled), none above ``cap``."""
    if total > buckets * cap:
        raise ValueError(f"{total} votes do not fit: {buckets} videos × {cap} voters at most")
    weights = [1 / (rank + 1) ** 0.8 for rank in range(buckets)]
    rng.shuffle(weights)
    scale = total / sum(weights)
    counts = [min(cap, int(w * scale)) for w in weights]
    # Hand out what rounding and the cap left over, one vote at a time to videos with room.
    room = [i for i, c in enumerate(counts) if c < cap]
    missing = total - sum(counts)
    while missing:
        index = room[rng.randrange(len(room))]
        step = min(missing, cap - counts[index])
        counts[index] += step
        missing -= step
        if counts[index] == cap:
            room.remove(index)
    return counts


def make_plan(players: int, videos: int, votes: int, seed: int = 2024) -> Plan:
    rng = random.Random(seed)  # noqa: S311 - a reproducible dataset, not a secret
    return Plan(
        player_ids=[uuid.uuid4() for _ in range(players)],
        video_ids=[uuid.uuid4() for _ in range(videos)],
        video_votes=long_tail(votes, videos, players, rng),
        voter_starts=[rng.randrange(players) for _ in range(videos)],
        started=utcnow(),
    )


def user_rows(plan: Plan, password_hash: str, tag: str) -> Iterator[dict[str, Any]]:
    for n, (user_id, votes) in enumerate(zip(plan.player_ids, plan.player_votes(), strict=True)):
        city = CITIES[n % len(CITIES)]
        first_name = FIRST_NAMES[n % len(FIRST_NAMES)]
        last_name = f"{LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]} {n}"
        yield {
            "id": user_id,
            "email": f"demo-{tag}-{n}@demo.anb.test",
            "password_hash": password_hash,
            "first_name": first_name,
            "last_name": last_name,
            # Written here: COPY bypasses the column's default.
            "name_key": name_key(first_name, last_name),
            "city": city,
            "city_key": city_key(city),
            "country": "Colombia",
            "is_active": True,
            "vote_count": votes,
            "created_at": plan.started - timedelta(seconds=len(plan.player_ids) - n),
        }


def video_rows(plan: Plan) -> Iterator[dict[str, Any]]:
    for n, (video_id, votes) in enumerate(zip(plan.video_ids, plan.video_votes, strict=True)):
        published = plan.started - timedelta(seconds=len(plan.video_ids) - n)
        yield {
            "id": video_id,
            "owner_id": plan.player_ids[plan.owner(n)],
            "title": f"Jugada {n}",
            "status": VideoStatus.PROCESSED.value,
            "original_key": file_layout.original_key(video_id),
            "processed_key": file_layout.processed_key(video_id),
            "poster_key": file_layout.poster_key(video_id),
            "size_bytes": 20_000_000,
            "duration_seconds": 30.0,
            "width": 1920,
            "height": 1080,
            "uploaded_at": published - timedelta(minutes=2),
            "processed_at": published,
            "vote_count": votes,
            "progress": 1.0,
            "attempts": 1,
            "queued_at": published - timedelta(minutes=2),
        }


def vote_rows(plan: Plan, player_ids: list[Any], video_ids: list[Any], created_at: Any) -> Iterator[tuple[Any, ...]]:
    """(video_id, user_id, created_at) in the database's own formats (formatted once per id, not per vote).

    Each video's voters are a run of consecutive players, so no one votes twice for a video.
    """
    players = len(player_ids)
    for video_id, votes, start in zip(video_ids, plan.video_votes, plan.voter_starts, strict=True):
        for k in range(votes):
            yield video_id, player_ids[(start + k) % players], created_at


def _batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(conn: Connection, model: type[Base], rows: Iterable[dict[str, Any]]) -> None:
    """executemany in big batches, for SQLite; SQLAlchemy's column types format UUIDs and datetimes."""
    for batch in _batches(rows):
        conn.execute(insert(model), batch)


def _copy(conn: Connection, model: type[Base], rows: Iterable[dict[str, Any]]) -> None:
    """PostgreSQL COPY through psycopg, by far the fastest way in."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    with _copy_in(conn, model.__tablename__, columns) as copy:
        for row in itertools.chain([first], rows):
            copy.write_row([row[column] for column in columns])


def _copy_in(conn: Connection, table: str, columns: list[str]) -> Any:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    return cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")


def _db_format(conn: Connection, column: Column[Any]) -> Callable[[Any], Any]:
    """The column type's own conversion to what the driver stores (e.g. a UUID as 32 hex digits on SQLite)."""
    return column.type.bind_processor(conn.dialect) or (lambda value: value)


def _write_votes(conn: Connection, plan: Plan) -> None:
    votes = VOTES.c
    user_id, video_id = _db_format(conn, votes.user_id), _db_format(conn, votes.video_id)
    rows = vote_rows(
        plan,
        [user_id(player) for player in plan.player_ids],
        [video_id(video) for video in plan.video_ids],
        _db_format(conn, votes.created_at)(plan.started),
    )
    if conn.dialect.name == "postgresql":
        with _copy_in(conn, "votes", ["video_id", "user_id", "created_at"]) as copy:
            for row in rows:
                copy.write_row(row)
        return
    for batch in _batches(rows):
        conn.exec_driver_sql("INSERT INTO votes (video_id, user_id, created_at) VALUES (?, ?, ?)", batch)


@contextmanager
def _built_after_load(conn: Connection, table: Table) -> Iterator[None]:
    """Drop the table's indexes (and on PostgreSQL its keys) during a bulk load and build them after.

    One sorted build is many times faster than a million random index insertions and foreign-key
    checks. The definitions come from the models, so they are exactly the migrations' ones.
    """
    indexes = list(table.indexes)
    keys: list[Constraint] = []
    if conn.dialect.name == "postgresql":
        foreign = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
        keys = [*foreign, table.primary_key]
    for key in keys:
        conn.execute(DropConstraint(key))
    for index in indexes:
        conn.execute(DropIndex(index))
    yield
    for key in reversed(keys):
        conn.execute(AddConstraint(key))
    for index in indexes:
        conn.execute(CreateIndex(index))


def write_dataset(engine: Engine, plan: Plan, password_hash: str, tag: str) -> None:
    """Everything in one transaction: the dataset appears whole or not at all."""
    with engine.begin() as conn:
        write = _copy if conn.dialect.name == "postgresql" else _insert
        write(conn, User, user_rows(plan, password_hash, tag))
        write(conn, Video, video_rows(plan))
        with _built_after_load(conn, VOTES):
            _write_votes(conn, plan)
        if conn.dialect.name == "sqlite":
            # Fresh planner statistics: the new rows outnumber whatever was there.
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        # Statistics and the visibility map now (VACUUM cannot run in a transaction), rather than
        # from autovacuum a minute later, in the middle of whatever the operator runs next
        # (benchmarks included); the ranking indexes need the visibility map for index-only scans.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) users, videos, votes")
