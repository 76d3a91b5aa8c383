"""Answers as of a day: the readers behind every listing (show, timeline, chart, delays,
changes). They ask the domain and the store; nothing here writes."""
