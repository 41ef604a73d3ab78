"""The rules operators set, the public contest page's data, and the voting and upload windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from anb.db.base import utcnow
from tests.contest.conftest import make_operator, set_rules
from tests.support.voting_rows import make_player, make_video

VOTED = {"message": "Voto registrado exitosamente."}


async def test_without_rules_votes_are_open_as_in_the_statement(contest_app) -> None:
    app, client = contest_app
    contest = (await client.get("/api/public/contest")).json()
    assert contest["phase"] == "unscheduled" and contest["squad_size"] == 5 and contest["opens_at"] is None
    assert contest["self_votes_count"] is True and (contest["public_weight"], contest["jury_weight"]) == (100, 0)
    video = await make_video(app, await make_player(app))
    voter = await make_player(app)
    assert (await client.post(f"/api/public/videos/{video}/vote", headers=voter.headers)).json() == VOTED


async def test_only_operators_set_rules_and_bad_rules_are_refused(contest_app) -> None:
    app, client = contest_app
    now = utcnow()
    player = await make_player(app)
    refused = await set_rules(client, player, now, now + timedelta(days=1))
    assert refused.status_code == 403 and refused.json()["code"] == "operator_only"
    operator = await make_operator(app)
    backwards = await set_rules(client, operator, now, now - timedelta(days=1))
    assert backwards.status_code == 400 and backwards.json()["code"] == "invalid_rules"
    assert (await set_rules(client, operator, now, now + timedelta(days=1), squad_size=0)).status_code == 400
    naive = {"opens_at": "2027-03-01T08:00:00", "closes_at": "2027-03-15T20:00:00"}
    assert (await client.put("/api/admin/contest", json=naive, headers=operator.headers)).status_code == 400
    assert (await client.put("/api/admin/contest", json=naive)).status_code == 401


async def test_votes_outside_the_window_are_refused_naming_the_dates(contest_app) -> None:
    app, client = contest_app
    operator = await make_operator(app)
    video = await make_video(app, await make_player(app))
    voters = [await make_player(app) for _ in range(3)]
    now = utcnow()
    # 2030-03-01 13:00 UTC is 08:00 in Colombia (UTC−5).
    upcoming = await set_rules(
        client, operator, datetime(2030, 3, 1, 13, 0, tzinfo=UTC), datetime(2030, 3, 15, 1, 0, tzinfo=UTC)
    )
    assert upcoming.status_code == 200, upcoming.text
    contest = (await client.get("/api/public/contest")).json()
    assert contest["phase"] == "upcoming" and contest["opens_at"] == "2030-03-01T13:00:00.000000Z"
    early = await client.post(f"/api/public/videos/{video}/vote", headers=voters[0].headers)
    assert early.status_code == 400
    assert early.json() == {
        "code": "voting_closed",
        "detail": "La votación aún no ha abierto: abre el 1 de marzo de 2030, 08:00 y cierra el"
        " 14 de marzo de 2030, 20:00 (hora de Colombia).",
    }

    await set_rules(client, operator, now - timedelta(hours=1), now + timedelta(hours=1), squad_size=3)
    assert (await client.get("/api/public/contest")).json()["phase"] == "open"
    assert (await client.post(f"/api/public/videos/{video}/vote", headers=voters[0].headers)).json() == VOTED
    again = await client.post(f"/api/public/videos/{video}/vote", headers=voters[0].headers)
    assert again.json() == {"detail": "Ya has votado por este video.", "code": "already_voted"}

    await set_rules(client, operator, datetime(2020, 1, 10, 13, tzinfo=UTC), datetime(2020, 1, 20, 23, 30, tzinfo=UTC))
    late = await client.post(f"/api/public/videos/{video}/vote", headers=voters[1].headers)
    assert late.status_code == 400
    assert late.json()["detail"] == (
        "La votación está cerrada: estuvo abierta del 10 de enero de 2020, 08:00 al"
        " 20 de enero de 2020, 18:30 (hora de Colombia)."
    )
    assert (await client.get("/api/public/contest")).json()["phase"] == "closed"


async def test_uploads_may_have_their_own_deadline(contest_app) -> None:
    app, client = contest_app
    operator = await make_operator(app)
    player = await make_player(app)
    now = utcnow()
    await set_rules(
        client, operator, now - timedelta(days=1), now + timedelta(days=1), uploads_close_at="2020-01-31T05:00:00Z"
    )
    answer = await client.post("/api/videos/upload", headers=player.headers, files={"video_file": ("a.mp4", b"x")})
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "uploads_closed",
        "detail": "El plazo para subir videos terminó el 31 de enero de 2020, 00:00 (hora de Colombia).",
    }
