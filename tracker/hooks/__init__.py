"""Hooks: after a command commits, an executable `on-change` in $TRACKER_HOOKS (default:
`hooks/` beside the database) gets one JSON object per change on stdin (JSON Lines).

A hook runs after the commit: one that fails or runs too long is reported and the write
stays. This module finds and runs the hook; `tracker.hooks.changes` works out what a
command changed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

HOOK_NAME = "on-change"
TIMEOUT_SECONDS = 10.0


def hook_for(db_path: Path | None) -> Path | None:
    """The on-change executable that applies to a database, if there is one."""
    folder = os.environ.get("TRACKER_HOOKS")
    if folder is None:
        if db_path is None:
            return None
        folder = str(db_path.parent / "hooks")
    path = Path(folder) / HOOK_NAME
    return path if path.is_file() and os.access(path, os.X_OK) else None


def run_hook(hook: Path, found: list[dict[str, Any]], timeout: float | None = None) -> str | None:
    """Run the hook with the changes on stdin; a one-line problem, or None when it worked."""
    import json
    import signal
    import subprocess

    if not found:
        return None
    text = "".join(json.dumps(change, ensure_ascii=False) + "\n" for change in found)
    limit = TIMEOUT_SECONDS if timeout is None else timeout
    try:
        # Its own process group, so a timeout stops whatever the hook started too.
        process = subprocess.Popen(
            [str(hook)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        return f"hook {hook} could not run: {error.strerror}; the change is saved"
    try:
        _, said = process.communicate(text.encode("utf-8"), timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"hook {hook} ran past {limit:g} s and was stopped; the change is saved"
    if process.returncode != 0:
        lines = said.decode("utf-8", "replace").strip().splitlines()
        why = f": {lines[-1]}" if lines else ""
        return f"hook {hook} failed (exit {process.returncode}){why}; the change is saved"
    return None
