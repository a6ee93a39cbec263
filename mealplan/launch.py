"""The ``mealplan`` command's entry point.

Importing the command takes a few tenths of a second, most of it PuLP's, and PuLP's import
swallows a KeyboardInterrupt (a bare ``except``): QA's Ctrl-C in that time was lost (exit 0
and the whole plan printed) or ended in a traceback, and a SIGTERM ended the process with no
word. So the command is imported with SIGINT, SIGTERM and SIGHUP held: one that arrives ends
it as one during a command does ("Error: interrupted", exit 130). ``import mealplan`` imports
nothing else (see its __init__), so this module runs a few milliseconds after Python starts.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

INTERRUPTED_EXIT = 130


def handled_signals(*names: str) -> list[int]:
    """The signals of ``names`` that this process may take over: those the platform has
    (Windows has no SIGHUP), and not one its parent made it ignore (SIGINT for a shell's
    background job, SIGHUP under nohup), which stays ignored."""
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    return [number for number in numbers if signal.getsignal(number) is not signal.SIG_IGN]


def main() -> None:
    """Import the command line with SIGINT, SIGTERM and SIGHUP held, then run it."""
    caught: list[int] = []

    def hold(number: int, _frame: FrameType | None) -> None:
        caught.append(number)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {s: signal.signal(s, hold) for s in handled_signals("SIGINT", "SIGTERM", "SIGHUP")}
    try:
        from .cli import main as run
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if caught:
        print("Error: interrupted", file=sys.stderr)
        sys.exit(INTERRUPTED_EXIT)
    run()
