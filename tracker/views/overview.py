"""`show`: everything known about one film as of a day, gathered from each part."""

from __future__ import annotations

import datetime
from typing import Any

from tracker.domain.films import Film, aliases_of, film_row, status_as_of
from tracker.domain.identifiers import external_ids_of
from tracker.domain.releases import current_releases, release_row
from tracker.store import Store
from tracker.views.production_show import production


def show(store: Store, film: Film, today: datetime.date) -> dict[str, Any]:
    return {
        **film_row(film, status_as_of(store, film.id, today)),
        "aliases": aliases_of(store, film.id),
        "ids": external_ids_of(store, film.id),
        "releases": [release_row(release) for release in current_releases(store, film.id, today)],
        # Production (issue 3): date_moves, shoots, credits, the latest events.
        **production(store, film, today),
    }
