"""Writing files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import InputError


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse before any work is done: an existing file without ``force``, or a folder."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name for --output")
    if path.exists() and not force:
        raise InputError(f"{path} already exists; use --force to replace it")


def write_atomic(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename,
    so a reader (or a crash) sees the old file or the new one, never a mix."""
    check_writable(path, force=force)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create folder {parent} ({exc.strerror}); choose another --output") from None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"cannot write in {parent} ({exc.strerror}); choose another --output") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            # mkstemp makes the file private (0600); a report should get the mode any new
            # file gets (umask), or keep the mode of the file it replaces.
            os.fchmod(fh.fileno(), _mode_for(path))
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists() and not force:  # appeared while we worked
            raise InputError(f"{path} already exists; use --force to replace it")
        os.replace(tmp_name, path)
    except OSError as exc:
        raise InputError(f"cannot write {path} ({exc.strerror}); choose another --output") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
