"""Folders in the system's temporary folder named for the process that made them (CBC's, a
local batch's), and the removal of those left behind by a process killed outright (SIGKILL,
the out-of-memory killer), whose own clean-up never ran."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path


def sweep_stale_dirs(prefix: str, older_than_s: float, folder: Path | None = None, *,
                     now: float | None = None) -> list[Path]:  # fmt: skip
    """Remove the folders named ``prefix``PID-… in ``folder`` (the system's temporary folder)
    whose process no longer runs, once they are older than ``older_than_s`` (a /tmp shared
    with processes this one cannot see may hold another's live folder under a pid that looks
    free here); one named without a pid, as earlier versions did, by its age alone. Returns
    what was removed; never raises."""
    folder = Path(tempfile.gettempdir()) if folder is None else folder
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f"{prefix}*"))
    except OSError:
        return removed
    for path in candidates:
        pid_text = path.name.removeprefix(prefix).split("-", 1)[0]
        try:
            if now - path.stat().st_mtime < older_than_s or not path.is_dir() or path.is_symlink():
                continue
            if pid_text.isdigit() and alive(int(pid_text)):
                continue
            shutil.rmtree(path)
            removed.append(path)
        except OSError:
            continue
    return removed


def alive(pid: int) -> bool:
    """Whether process ``pid`` may still run (this one, or any this one cannot tell is gone)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not a pid at all: leave it
    return True
