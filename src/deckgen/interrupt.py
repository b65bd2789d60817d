"""Ctrl-C (and SIGTERM) that is never lost.

Python turns Ctrl-C into a KeyboardInterrupt wherever the program happens to be; when that is
inside a weakref callback or a __del__ method (say, while the garbage collector runs), Python
prints "Exception ignored" and carries on, and the build would go on to write the deck. The
command line's handler also remembers the key was pressed, and `check()` is called before each
deck is written and between the decks of a batch, so a swallowed Ctrl-C still stops the work.
SIGTERM (what `kill` and service managers send) is handled the same way, so a terminated build
removes its temporary file like an interrupted one.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Optional

_pressed = False
_signal = signal.SIGINT


def install() -> None:
    """Handle Ctrl-C (SIGINT) and SIGTERM in this process; the command line calls this first."""
    global _pressed
    _pressed = False
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)


def _handler(signum: int, frame: Optional[FrameType]) -> None:
    global _pressed, _signal
    _pressed = True
    _signal = signal.Signals(signum)
    raise KeyboardInterrupt


def exit_status() -> int:
    """The exit status for the interruption: 128 + the signal's number (130 for Ctrl-C)."""
    return 128 + int(_signal)


def name() -> str:
    return "terminated" if _signal == signal.SIGTERM else "interrupted"


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if its first one was swallowed."""
    if _pressed:
        raise KeyboardInterrupt
