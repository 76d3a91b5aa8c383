"""What kind of change a new date is to the one it replaces (hooks and the Atom feed)."""

from __future__ import annotations

from tracker.dates import FuzzyDate


def move_kind(old: FuzzyDate | None, new: FuzzyDate) -> str:
    """added (no date before), tba, refined (a narrower window inside the old one, or a date
    where there was TBA), vaguer (the reverse), or moved."""
    if old is None:
        return "added"
    if new.start is None or new.end is None:
        return "tba"
    if old.start is None or old.end is None:
        return "refined"
    if old.start <= new.start and new.end <= old.end:
        return "refined"
    if new.start <= old.start and old.end <= new.end:
        return "vaguer"
    return "moved"
