"""What `show` adds for production: shoots, credits, the latest events, and date moves."""

from __future__ import annotations

import datetime
from typing import Any

from tracker.domain.events import events_of
from tracker.domain.films import Film
from tracker.domain.people import credits_of
from tracker.domain.releases import history
from tracker.domain.shoots import list_shoots
from tracker.store import Store

LATEST_EVENTS = 5


def date_moves(store: Store, film: Film, today: datetime.date) -> int:
    """How many announcements changed a date already set for their country and type."""
    return sum(
        1
        for entry in history(store, film, today)
        if entry["previous"] is not None and entry["previous"] != entry["date"]
    )


def production(store: Store, film: Film, today: datetime.date) -> dict[str, Any]:
    return {
        "date_moves": date_moves(store, film, today),
        "shoots": [
            {key: value for key, value in shoot.items() if key != "films"}
            for shoot in list_shoots(store, today, film=film)
        ],
        "credits": credits_of(store, film.id),
        "events": events_of(store, film.id, today, limit=LATEST_EVENTS),
    }
