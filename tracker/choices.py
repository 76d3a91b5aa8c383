"""The fixed vocabularies, and checking a user's word against them."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.errors import InvalidValue

STATUSES = (
    "rumored",
    "announced",
    "development",
    "pre-production",
    "filming",
    "paused",
    "wrapped",
    "post-production",
    "completed",
    "released",
    "cancelled",
)
# TMDB's release types, in TMDB's order (1-6).
RELEASE_TYPES = ("premiere", "limited", "theatrical", "digital", "physical", "tv")
DEFAULT_STATUS = "announced"
DEFAULT_TYPE = "theatrical"


def choose(value: str, options: Sequence[str], what: str) -> str:
    """Return the option the user meant (case-insensitive), or say which ones exist."""
    word = value.strip().lower()
    if word in options:
        return word
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, options, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise InvalidValue(f"unknown {what} '{value}'{hint} (valid: {', '.join(options)})")


def normalise_type(release_type: str | None) -> str:
    """A release type as stored (theatrical when none is given)."""
    return choose(release_type or DEFAULT_TYPE, RELEASE_TYPES, "release type")
