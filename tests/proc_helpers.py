"""Processes seen through Linux /proc, for tests that check nothing outlives a plan."""

from __future__ import annotations

from pathlib import Path


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
