"""Each city's standing from the records alone: ranks, ties shown as ties, the tie-break, the jury."""

from __future__ import annotations

from anb.contest.standings import CastVote, Player, Score, compute

PLAYERS = [
    Player("p1", "Ana Pérez", "Bogotá", "bogota"),
    Player("p2", "Luis Gómez", "bogota", "bogota"),
    Player("p3", "Eva Ríos", "Bogotá", "bogota"),
    Player("p4", "Juan Díaz", "Cali", "cali"),
]
OWNER = {"v1": "p1", "v2": "p2", "v3": "p3", "v4": "p4"}


def _votes(*spec: tuple[str, str]) -> list[CastVote]:
    return [CastVote(f"voter{index}", video, at) for index, (video, at) in enumerate(spec)]


def _by_id(standing: dict) -> dict:
    return {player["player_id"]: player for player in standing["players"]}


def test_ranks_ties_and_the_tie_break() -> None:
    # p1 and p2 tie on 2 votes; p2 reached 2 first (its last vote is earlier), so p2 takes position 1.
    votes = _votes(
        ("v1", "2027-03-01T10:00:00.000000Z"),
        ("v2", "2027-03-01T10:01:00.000000Z"),
        ("v2", "2027-03-01T10:02:00.000000Z"),
        ("v1", "2027-03-01T10:03:00.000000Z"),
        ("v4", "2027-03-01T10:04:00.000000Z"),
    )
    bogota, cali = compute(PLAYERS, OWNER, votes, [], squad_size=2, jury_weight=0)
    assert bogota["city"] == "Bogotá" and cali["city"] == "Cali"
    order = [(p["player_id"], p["position"], p["rank"], p["tied"], p["squad"], p["votes"]) for p in bogota["players"]]
    assert order == [
        ("p2", 1, 1, True, True, 2),
        ("p1", 2, 1, True, True, 2),
        ("p3", 3, 3, False, False, 0),
    ]
    assert _by_id(bogota)["p2"]["reached_total_at"] == "2027-03-01T10:02:00.000000Z"
    assert _by_id(bogota)["p3"]["reached_total_at"] is None
    assert [(p["player_id"], p["squad"]) for p in cali["players"]] == [("p4", True)]


def test_equal_votes_and_instants_fall_back_to_the_player_id() -> None:
    votes = _votes(("v2", "2027-03-01T10:00:00.000000Z"), ("v1", "2027-03-01T10:00:00.000000Z"))
    (bogota, _) = compute(PLAYERS, OWNER, votes, [], squad_size=1, jury_weight=0)
    assert [p["player_id"] for p in bogota["players"]][:2] == ["p1", "p2"]
    assert [p["squad"] for p in bogota["players"]] == [True, False, False]


def test_the_jury_weighs_in_by_rank() -> None:
    votes = _votes(*[("v1", f"2027-03-01T10:0{i}:00.000000Z") for i in range(3)], ("v2", "2027-03-01T11:00:00.000000Z"))
    scores = [Score("j1", "v3", 10), Score("j2", "v3", 9), Score("j1", "v2", 5), Score("j1", "v1", 2)]
    # Public only: p1 (3 votes), p2 (1), p3 (0).
    public_only = compute(PLAYERS, OWNER, votes, scores, squad_size=1, jury_weight=0)[0]
    assert [p["player_id"] for p in public_only["players"]] == ["p1", "p2", "p3"]
    # Jury only: p3 (9.5), p2 (5), p1 (2).
    jury_only = compute(PLAYERS, OWNER, votes, scores, squad_size=1, jury_weight=100)[0]
    assert [p["player_id"] for p in jury_only["players"]] == ["p3", "p2", "p1"]
    assert _by_id(jury_only)["p3"]["jury_score"] == "9.50"
    # Half and half: p1 1×50+3×50 = 200, p2 2×50+2×50 = 200, p3 3×50+1×50 = 200: all tied; votes decide.
    halves = compute(PLAYERS, OWNER, votes, scores, squad_size=1, jury_weight=50)[0]
    assert {p["rank"] for p in halves["players"]} == {1}
    assert [p["player_id"] for p in halves["players"]] == ["p1", "p2", "p3"]


def test_unscored_players_rank_after_scored_ones_for_the_jury() -> None:
    scores = [Score("j1", "v2", 1)]
    (bogota, _) = compute(PLAYERS, OWNER, [], scores, squad_size=5, jury_weight=100)
    assert bogota["players"][0]["player_id"] == "p2"
    assert {p["jury_rank"] for p in bogota["players"][1:]} == {2}
