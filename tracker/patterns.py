"""Regular expressions compiled on first use: every command is a fresh process, and
compiling the patterns of every module it imports cost each start ~3 ms, most of them for
patterns the command never uses."""

from __future__ import annotations

import re
from typing import Any, cast


class _Lazy:
    """A pattern's source, compiled the first time anything of it is asked for; what is
    asked for is then kept on the instance, so later calls cost what a compiled pattern's
    do."""

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold yet
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


def pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Lazy(source, flags))
