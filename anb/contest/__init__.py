"""The contest: the close that freezes each city's squad, the verifiable export, the jury's scores
(docs/contest.md). Its rules and the window votes and uploads meet are anb/contest_rules/."""
