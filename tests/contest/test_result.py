"""The close freezes each city's standing from the ledger's counted votes; the export verifies from the
file alone, and a tampered export does not (``anb contest close|export|verify`` as real processes)."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from anb.accounts.models import User
from anb.config import Settings
from anb.contest.export import replayed
from anb.db.base import utcnow
from anb.voting import ledger
from bench.harness.processes import ANB
from tests.contest.conftest import make_operator, set_rules
from tests.support.voting_rows import make_player, make_video

VOTED = {"message": "Voto registrado exitosamente."}


def _anb(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ANB_DATABASE__URL": settings.resolved_database_url,
        "ANB_DATA_DIR": str(settings.data_dir),
        "ANB_CONTEST__CLOSE_GRACE_SECONDS": "0",
    }
    return subprocess.run([ANB, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


async def test_close_export_verify_and_tamper(contest_app, contest_settings: Settings, tmp_path: Path) -> None:
    app, client = contest_app
    operator = await make_operator(app)
    ana, beto, caro = [await make_player(app, name, "Bogotá", "Bogotá") for name in ("Ana", "Beto", "Caro")]
    dani = await make_player(app, "Dani", "Cali", "Cali")
    a1, a2 = await make_video(app, ana), await make_video(app, ana)
    b1, c1, d1 = await make_video(app, beto), await make_video(app, caro), await make_video(app, dani)
    fans = [await make_player(app, f"Fan{i}", "Hincha", "Medellín") for i in range(4)]
    closes = utcnow() + timedelta(seconds=6)
    answer = await set_rules(
        client, operator, utcnow() - timedelta(hours=1), closes, squad_size=2, self_votes_count=False
    )
    assert answer.status_code == 200, answer.text

    async def vote(voter, video: str) -> None:
        assert (await client.post(f"/api/public/videos/{video}/vote", headers=voter.headers)).json() == VOTED

    # Ana reaches 3 votes before Beto does: they tie on votes, Ana takes position 1.
    for voter, video in [(fans[0], b1), (fans[0], a1), (fans[1], b1), (fans[1], a1), (fans[2], a2), (fans[2], b1)]:
        await vote(voter, video)
    await vote(fans[0], c1)
    await vote(fans[1], d1)
    await vote(caro, c1)  # a self-vote: these rules do not count it
    await vote(fans[3], c1)  # held by the integrity review: not counted
    async with app.state.anb.sessions() as db:
        moved = await ledger.transition(
            db, [(uuid.UUID(c1), fans[3].id)], ledger.VoteStatus.COUNTED, ledger.VoteStatus.HELD, "test", "scan"
        )
        assert len(moved) == 1
        # The live counters are never what the close reads.
        await db.execute(update(User).where(User.id == caro.id).values(vote_count=999))
        await db.commit()

    early = _anb(contest_settings, "contest", "close")
    assert early.returncode == 1 and "not closable yet" in early.stderr
    assert (await client.get("/api/public/results")).status_code == 404
    await asyncio.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.2)
    late = await client.post(f"/api/public/videos/{d1}/vote", headers=fans[3].headers)
    assert late.status_code == 400 and late.json()["code"] == "voting_closed"

    closed = _anb(contest_settings, "contest", "close")
    assert closed.returncode == 0, closed.stderr
    assert "contest closed now" in closed.stdout
    results = (await client.get("/api/public/results")).json()
    assert results["votes"] == 8 and len(results["head_digest"]) == 64
    assert (await client.get("/api/public/contest")).json()["results_published"] is True
    bogota, cali = results["standings"]
    assert (bogota["city"], cali["city"]) == ("Bogotá", "Cali")
    summary = [(p["name"], p["votes"], p["rank"], p["position"], p["squad"], p["tied"]) for p in bogota["players"]]
    assert summary == [
        ("Ana Bogotá", 3, 1, 1, True, True),
        ("Beto Bogotá", 3, 1, 2, True, True),
        ("Caro Bogotá", 1, 3, 3, False, False),
    ]
    assert [(p["name"], p["votes"], p["squad"]) for p in cali["players"]] == [("Dani Cali", 1, True)]
    # Closing again changes nothing; the rules of a closed contest are frozen.
    assert "contest already closed" in _anb(contest_settings, "contest", "close").stdout
    assert (await client.get("/api/public/results")).json() == results
    frozen = await set_rules(client, operator, utcnow(), utcnow() + timedelta(days=1))
    assert frozen.status_code == 400 and frozen.json()["code"] == "invalid_rules"

    folder = tmp_path / "export"
    exported = _anb(contest_settings, "contest", "export", str(folder))
    assert exported.returncode == 0, exported.stderr
    text = (folder / "contest.json").read_text(encoding="utf-8")
    document = json.loads(text)
    # Written as the votes stream by, yet exactly what json.dumps gives for the whole document.
    assert text == json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    assert sorted(path.name for path in folder.iterdir()) == ["contest.json", "standings.csv", "votes.csv"]
    assert document["head_digest"] == results["head_digest"] and document["standings"] == results["standings"]
    assert len(document["votes"]) == 8
    assert all(
        len(vote["voter"]) == 32 and vote["voter"] not in {str(f.id) for f in fans} for vote in document["votes"]
    )
    with (folder / "votes.csv").open() as votes_csv:
        rows = list(csv.DictReader(votes_csv))
    assert len(rows) == 8 and rows[-1]["chain_digest"] == results["head_digest"]
    published = tmp_path / "published.json"
    published.write_text(json.dumps(results))

    verified = _anb(contest_settings, "contest", "verify", str(folder / "contest.json"), "--published", str(published))
    assert verified.returncode == 0, verified.stderr
    assert f"OK: the records chain to {results['head_digest']}" in verified.stdout
    # The same document re-serialised with sorted keys (votes before players): read whole, still verified.
    resorted = tmp_path / "resorted.json"
    resorted.write_text(json.dumps(document, sort_keys=True))
    verified = _anb(contest_settings, "contest", "verify", str(resorted), "--published", str(published))
    assert verified.returncode == 0, verified.stderr
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2])
    unreadable = _anb(contest_settings, "contest", "verify", str(cut))
    assert unreadable.returncode == 1 and "cannot read" in unreadable.stderr

    # One line changed: a vote's instant moved by a second.
    line = next(line for line in text.splitlines() if '"cast_at"' in line)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(text.replace(line, line.replace(line[-9], "0" if line[-9] != "0" else "1"), 1))
    assert tampered.read_text() != text
    refused = _anb(contest_settings, "contest", "verify", str(tampered))
    assert refused.returncode == 1 and "do not chain to the stated head" in refused.stderr

    # A forger who moves a vote to Caro and rewrites the standings to match still breaks the chain.
    forged = json.loads(text)
    forged["votes"][0]["video_id"] = c1
    forged["standings"], _ = replayed(forged)
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    refused = _anb(contest_settings, "contest", "verify", str(tmp_path / "forged.json"), "--published", str(published))
    assert refused.returncode == 1
    assert "do not chain" in refused.stderr and "published standings" in refused.stderr

    # A counted vote of the window held after the close: the ledger no longer gives the frozen
    # result, and the export refuses, leaving nothing behind.
    async with app.state.anb.sessions() as db:
        moved = await ledger.transition(
            db, [(uuid.UUID(a2), fans[2].id)], ledger.VoteStatus.COUNTED, ledger.VoteStatus.HELD, "late", "scan"
        )
        assert len(moved) == 1
        await db.commit()
    refused = _anb(contest_settings, "contest", "export", str(tmp_path / "after-change"))
    assert refused.returncode == 1 and "the ledger now chains to" in refused.stderr
    assert list((tmp_path / "after-change").iterdir()) == []
