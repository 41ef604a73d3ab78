"""The contest's rules: its voting window and upload deadline, what the close will weigh, and the
checks every vote and upload meets (docs/contest.md). Votes and uploads build on this package; the
close, the export and the jury (anb/contest/) build on them."""
