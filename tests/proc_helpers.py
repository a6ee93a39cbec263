"""Processes seen through Linux /proc, for tests that check nothing outlives a plan."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def never_outlives(process: subprocess.Popen[Any]) -> Iterator[subprocess.Popen[Any]]:
    """``process``, killed and reaped on leaving the block if it is still running (a failed
    assertion or a timeout inside), so that no test leaves one behind."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def processes_mentioning(*texts: str) -> list[int]:
    """Pids of the processes whose command line holds every one of ``texts``."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes()
        except OSError:
            continue
        if all(text.encode() in line for text in texts):
            pids.append(int(cmdline.parent.name))
    return pids
