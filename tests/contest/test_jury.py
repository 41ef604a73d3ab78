"""The jury scores published videos; with a jury weight, the close combines both ranks, and the export
(jury scores included, jurors pseudonymous) still verifies."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from anb.accounts.models import User
from anb.contest import export, service
from anb.contest.verify import verify_document
from anb.db.base import utcnow
from anb.db.unit_of_work import UnitOfWork
from anb.videos.models import VideoStatus
from tests.contest.conftest import make_operator, set_rules
from tests.support.voting_rows import make_player, make_video


async def test_jury_scores_weigh_in_the_close_and_verify(contest_app, contest_settings, tmp_path: Path) -> None:
    app, client = contest_app
    operator = await make_operator(app)
    juror, fan = await make_player(app, "Julia", "Jurado"), await make_player(app, "Fan", "Uno")
    async with app.state.anb.sessions() as db:
        await db.execute(update(User).where(User.id == juror.id).values(role="jury"))
        await db.commit()
    popular, skilled = (
        await make_player(app, "Pia", "Popular", "Pasto"),
        await make_player(app, "Sal", "Hábil", "Pasto"),
    )
    popular_video, skilled_video = await make_video(app, popular), await make_video(app, skilled)
    pending = await make_video(app, skilled, status=VideoStatus.UPLOADED)
    closes = utcnow() + timedelta(seconds=2)
    await set_rules(client, operator, utcnow() - timedelta(hours=1), closes, squad_size=1, jury_weight=75)

    def score(video: str, value: int, who=juror):
        return client.put(f"/api/contest/jury/videos/{video}", json={"score": value}, headers=who.headers)

    assert (await score(skilled_video, 3)).json() == {"message": "Calificación registrada."}
    assert (await score(skilled_video, 10)).status_code == 200  # scoring again replaces the score
    assert (await score(popular_video, 4)).status_code == 200
    assert (await score(popular_video, 4, fan)).json()["code"] == "not_a_juror"
    assert (await score(pending, 5)).status_code == 404
    assert (await score(skilled_video, 11)).status_code == 400
    assert (await client.post(f"/api/public/videos/{popular_video}/vote", headers=fan.headers)).status_code == 200

    await asyncio.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.1)
    secret = contest_settings.secret_key.get_secret_value()
    async with UnitOfWork(app.state.anb.sessions) as unit:
        result, closed_now = await service.close(unit.session, secret, 0, utcnow())
    assert closed_now
    pasto = next(city for city in result.standings if city["city_key"].startswith("pasto"))
    # Public: Pia 1st, Sal 2nd; jury: Sal 1st (10), Pia 2nd (4). 25×1 + 75×2 = 175 vs 25×2 + 75×1 = 125.
    assert [(p["name"], p["squad"], p["jury_score"]) for p in pasto["players"]] == [
        ("Sal Hábil", True, "10.00"),
        ("Pia Popular", False, "4.00"),
    ]
    async with app.state.anb.sessions() as db:
        await service.export_files(db, secret, tmp_path)
    document = json.loads((tmp_path / "contest.json").read_text(encoding="utf-8"))
    assert len(document["jury_scores"]) == 2
    assert {s["juror"] for s in document["jury_scores"]} == {export.pseudonym(secret, "juror", juror.id)}
    assert verify_document(document, service.published(result)).ok
    document["jury_scores"][0]["score"] = 9
    assert not verify_document(document).ok
