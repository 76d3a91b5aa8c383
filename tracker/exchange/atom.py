"""What changed, as an Atom feed (RFC 4287): date moves, refinements, status changes and
retitles from the `changes` collectors (tracker.views.changes), newest first.

Ids are `urn:uuid:` names derived from the database's UUID and the change itself, so a feed
reader sees each change once however often it polls. An entry is updated on the day its
fact counts as known (the last day of its window: "Jul 2020" on 31 July, as `changes
--since` takes it), at midnight UTC.
"""

from __future__ import annotations

import datetime
import uuid

from tracker.dates import FuzzyDate, classify_change, describe_move
from tracker.exchange.ics import database_uuid
from tracker.records import release_where
from tracker.store import Store
from tracker.views.rows import ChangeRow

ATOM = "http://www.w3.org/2005/Atom"
# Every date change but a confirmation (the same date again) is news to a feed reader.
DATE_CHANGES = ("first", "moved", "refined", "vaguer", "tba")
# Entry categories in the hooks' vocabulary.
CATEGORIES = {"first": "added", "retitle": "retitled"}


def _stamp(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_kind(change: ChangeRow) -> str:
    """The hook vocabulary: moved, refined, vaguer, tba, added, status, retitled."""
    kind = str(change["kind"])
    if kind == "release_moved":
        kind = classify_change(change["old"], change["new"])
    return CATEGORIES.get(kind, kind)


def entry_title(change: ChangeRow) -> str:
    title = change["title"]
    if change["kind"] == "release_moved" and change["type"] is not None:
        where = release_where(change["type"], change["country"])
        return f"{title} · {where}: {describe_move(change['old'], change['new'])}"
    if change["kind"] == "status":
        return f"{title}: {change['old'] or 'no status'} → {change['new']}"
    return f"{change['old']} is now {change['new']}"


def build(
    store: Store,
    today: datetime.date,
    *,
    since: datetime.date,
    watchlist: str | None = None,
    self_url: str | None = None,
) -> str:
    import xml.etree.ElementTree as ET

    from tracker.views.changes import changes

    found = list(changes(store, today, since=since, watchlist=watchlist, date_changes=DATE_CHANGES))
    database = database_uuid(store)
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    name = f"changes/{watchlist or ''}"
    add(feed, "id", f"urn:uuid:{uuid.uuid5(database, name)}")
    add(feed, "title", "Film release changes" + (f": {watchlist}" if watchlist else ""))
    days = [c["announced"].end for c in found if c["announced"].end is not None]
    add(feed, "updated", _stamp(max(days, default=since)))
    author = add(feed, "author")
    add(author, "name", "tracker")
    add(feed, "generator", "tracker")
    if self_url:
        add(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    for change in found:
        kind = entry_kind(change)
        announced: FuzzyDate = change["announced"]
        assert announced.end is not None
        key = "|".join(
            str(part)
            for part in (
                kind,
                change["film_id"],
                change["country"],
                change["type"],
                announced.iso,
                change["old"],
                change["new"],
            )  # fmt: skip
        )
        entry = add(feed, "entry")
        add(entry, "id", f"urn:uuid:{uuid.uuid5(database, key)}")
        add(entry, "title", entry_title(change))
        add(entry, "updated", _stamp(announced.end))
        add(entry, "category", term=kind)
        lines = [entry_title(change), f"Announced {announced.display()}"]
        if change["shift_days"] is not None:
            lines.append(f"Shift: {change['shift_days']:+d} days")
        add(entry, "summary", ". ".join(lines), type="text")
    ET.indent(feed)
    body: str = ET.tostring(feed, encoding="unicode")
    return "<?xml version='1.0' encoding='utf-8'?>\n" + body + "\n"
