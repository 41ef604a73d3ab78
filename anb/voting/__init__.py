"""Public gallery, one-vote-per-user voting and per-city player rankings (docs/voting.md)."""
