"""tracker: film release dates and production, from announcement to release."""

__version__ = "0.1.0"
