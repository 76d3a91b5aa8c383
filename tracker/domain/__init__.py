"""The domain: what may be recorded about films, releases, production, lists and the
diary, and the writes that record it. Each module owns its rules."""
