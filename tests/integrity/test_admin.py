"""Operators over HTTP: the role, flags with evidence, a player's ledger, bulk decisions, the audit log."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from anb.config import DatabaseSettings, IntegritySettings, Settings, VotingSettings
from anb.integrity.scan import scan
from anb.voting.ledger import counter_differences
from bench.harness.processes import ANB
from tests.integrity.test_scan import vote_from
from tests.support.accounts import bearer, signup_and_login
from tests.support.in_process import app_client
from tests.support.voting_rows import make_player, make_video, seconds_ago


async def test_operators_review_and_decide_held_votes(fresh_database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=fresh_database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )
    async with app_client(settings) as (application, http):
        target = await make_player(application, city="Pasto")
        video_id = await make_video(application, target)
        for n in range(3):
            await vote_from(
                application,
                await make_player(application, created_at=seconds_ago(40 * 86400)),
                video_id,
                f"198.51.{n}.1",
            )
        ring = [await make_player(application) for _ in range(10)]
        for n, voter in enumerate(ring):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 1}")
        async with application.state.anb.sessions() as db:
            await scan(db, IntegritySettings())
            await db.commit()

        player = await signup_and_login(http)
        refused = await http.get("/api/admin/flags", headers=bearer(player["access_token"]))
        assert refused.status_code == 403
        assert refused.json() == {
            "detail": "Solo los operadores pueden acceder a esta sección.",
            "code": "operator_only",
        }
        assert (await http.get("/api/admin/audit")).status_code == 401

        env = {**os.environ, "ANB_DATABASE__URL": fresh_database_url, "ANB_DATA_DIR": str(tmp_path / "data")}
        granted = subprocess.run(
            [ANB, "users", "grant-operator", player["email"].upper()],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert granted.returncode == 0, granted.stderr
        unknown = subprocess.run(
            [ANB, "users", "grant-operator", "nobody@example.com"], env=env, capture_output=True, text=True, check=False
        )
        assert unknown.returncode == 1
        operator = bearer(player["access_token"])

        (flag,) = (await http.get("/api/admin/flags", headers=operator)).json()
        assert (flag["rule"], flag["votes"], flag["player"]["id"], flag["player"]["votes"]) == (
            "prefix_cluster",
            10,
            str(target.id),
            3,
        )
        assert flag["evidence"]["prefix"] == "203.0.113.0/24"

        timeline = (await http.get(f"/api/admin/players/{target.id}/votes", headers=operator)).json()
        assert sorted(v["status"] for v in timeline["votes"]) == ["counted"] * 3 + ["held"] * 10
        assert {v["client_prefix"] for v in timeline["votes"] if v["status"] == "held"} == {"203.0.113.0/24"}
        assert (await http.get("/api/admin/players/not-an-id/votes", headers=operator)).status_code == 404

        two = [{"video_id": video_id, "user_id": str(voter.id)} for voter in ring[:2]]
        restored = await http.post(
            "/api/admin/votes/decisions",
            headers=operator,
            json={"action": "restore", "votes": two, "note": "amigos del club"},
        )
        assert restored.json() == {"moved": 2}
        confirmed = await http.post(
            "/api/admin/votes/decisions", headers=operator, json={"action": "confirm", "flag_id": flag["id"]}
        )
        assert confirmed.json() == {"moved": 8}
        assert (await http.get("/api/admin/flags", headers=operator)).json() == []
        assert (await http.get("/api/admin/flags", headers=operator, params={"state": "confirmed"})).json()[0][
            "id"
        ] == flag["id"]
        rankings = (await http.get("/api/public/rankings", params={"city": "Pasto"})).json()
        assert rankings[0]["votes"] == 5

        audit = (await http.get("/api/admin/audit", headers=operator)).json()
        me = player["user_id"]
        assert [(e["actor"], e["action"]) for e in audit] == [
            (me, "confirm"), (me, "restore"), ("cli", "set_role_operator"), ("scan", "hold")
        ]  # fmt: skip
        assert audit[1]["detail"]["note"] == "amigos del club" and audit[0]["detail"]["votes_moved"] == 8

        async with application.state.anb.sessions() as db:
            # The next scan finds the same cluster: the restored votes stay counted, nothing is raised.
            again = await scan(db, IntegritySettings())
            await db.commit()
            assert (again.flags, again.held) == (0, 0)
            assert await counter_differences(db) == []
            # Append-only in the database itself.
            for statement in ("UPDATE audit_log SET actor = 'someone'", "DELETE FROM audit_log"):
                with pytest.raises(DBAPIError, match="append-only"):
                    await db.execute(text(statement))
                await db.rollback()
