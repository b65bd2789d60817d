"""Ctrl-C (and SIGTERM) that is never lost, and never prints a traceback.

Python turns Ctrl-C into a KeyboardInterrupt wherever the program happens to be; when that is
inside a weakref callback or a __del__ method (say, while the garbage collector runs), Python
prints "Exception ignored" with a traceback and carries on, and the build would go on to write
the deck. The handler here remembers the key was pressed, and `check()` is called before each
deck is written and between the decks of a batch, so a swallowed Ctrl-C still stops the work;
the "Exception ignored" report of a swallowed KeyboardInterrupt is not printed, since `check()`
will raise it again. SIGTERM (what `kill` and service managers send) is handled the same way, so
a terminated build removes its temporary file like an interrupted one.

A batch's worker process installs the handler disarmed: while it waits for its next deck the key
is only noted (raising there would kill the worker with a traceback), and it is armed while a
deck is built.
"""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from types import FrameType
from typing import Iterator, Optional

_pressed = False
_signal = signal.SIGINT
_armed = True  # raise at once when the key is pressed (else only note it)


def install(armed: bool = True) -> None:
    """Handle Ctrl-C (SIGINT) and SIGTERM in this process; the command line calls this first,
    and each worker of a batch (disarmed)."""
    global _pressed, _armed
    _pressed = False
    _armed = armed
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    sys.unraisablehook = _unraisable


@contextmanager
def arm() -> Iterator[None]:
    """Within: a Ctrl-C raises KeyboardInterrupt at once (and one pressed before raises now)."""
    global _armed
    check()
    was, _armed = _armed, True
    try:
        yield
    finally:
        _armed = was


def _handler(signum: int, frame: Optional[FrameType]) -> None:
    global _pressed, _signal
    _pressed = True
    _signal = signal.Signals(signum)
    if _armed:
        raise KeyboardInterrupt


def _unraisable(report: "sys.UnraisableHookArgs") -> None:
    """A KeyboardInterrupt that Python had to swallow is remembered (`check()` raises it
    again), so it is not reported; anything else is, as Python would."""
    if report.exc_type is not None and issubclass(report.exc_type, KeyboardInterrupt) \
            and _pressed:
        return
    sys.__unraisablehook__(report)


def exit_status() -> int:
    """The exit status for the interruption: 128 + the signal's number (130 for Ctrl-C)."""
    return 128 + int(_signal)


def name() -> str:
    return "terminated" if _signal == signal.SIGTERM else "interrupted"


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if its first one was swallowed."""
    if _pressed:
        raise KeyboardInterrupt
