"""Display names that tell namesakes apart.

A player is shown as "First Last". Players who share that name get their city after it, and
namesakes of one city a number by seniority of their account: "John Doe (Cali)", "John Doe (Cali, 2)".
Only players with published videos count, so a namesake who never published changes nobody's name.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence

from anb.voting.repository import AnyRow


def full_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


def display_names(namesakes: Sequence[AnyRow]) -> dict[uuid.UUID, str]:
    """``namesakes``: (id, first_name, last_name, city, city_key) rows, oldest account first."""
    by_name: defaultdict[tuple[str, str], list[AnyRow]] = defaultdict(list)
    for row in namesakes:
        by_name[(row.first_name, row.last_name)].append(row)
    names: dict[uuid.UUID, str] = {}
    for (first, last), players in by_name.items():
        name = full_name(first, last)
        if len(players) == 1:
            names[players[0].id] = name
            continue
        seen: Counter[str] = Counter()
        for row in players:
            seen[row.city_key] += 1
            ordinal = f", {seen[row.city_key]}" if seen[row.city_key] > 1 else ""
            names[row.id] = f"{name} ({row.city}{ordinal})"
    return names
