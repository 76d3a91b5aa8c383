"""`tracker serve`: the database in Datasette, with tracker's feeds added by a plugin."""
