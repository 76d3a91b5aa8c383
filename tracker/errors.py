"""Exceptions the library raises for anything a user can get wrong.

The CLI turns every TrackerError into one `Error: ...` line and exit 1, in one place.
"""


class TrackerError(Exception):
    """A problem with what the user asked for; the message is shown as is."""


class FilmNotFound(TrackerError):
    pass


class AmbiguousFilm(TrackerError):
    pass


class DuplicateFilm(TrackerError):
    pass


class InvalidDate(TrackerError):
    pass


class InvalidValue(TrackerError):
    """A value outside a fixed set (status, type, country, role...)."""


class BadFile(TrackerError):
    """An import file that cannot be read, with where it failed."""


class DatabaseProblem(TrackerError):
    """A database file that cannot be used: not SQLite, newer schema, unwritable."""


class RemoteError(TrackerError):
    """A service (TMDB, Wikidata) that could not be reached or refused: offline, a bad key,
    an unknown id, too many tries."""
