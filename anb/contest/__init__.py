"""The contest: its rules and voting window, the close that freezes each city's squad, the
verifiable export (docs/contest.md)."""
