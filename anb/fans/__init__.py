"""Fan accounts: people who only vote. A documented variant of the statement's signup (docs/web.md).

A fan is an account without a city or a country: the city is what a player competes in, and the
statement's signup requires one, so an empty city tells a fan from a player without a new column.
Fans log in, refresh and vote like anyone; they cannot upload (``players_only``).
"""
