"""`deckgen watch`: a warm process that builds the deck again whenever a file it reads is
saved, and survives any bad edit.

The files are the last build's manifest of its inputs (source/manifest.py, through app.watch),
asked again after every build, so a data source or picture added to the outline is watched
from its next save; a pattern's files are looked for again before each build, so a file that
comes to match it is noticed too. Changes are noticed by the operating system (inotify,
through the watchfiles library), or by polling where that is missing (a network drive, a
container's bind mount).
"""

from __future__ import annotations

import fnmatch
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

#: how long to wait for an editor to finish saving (several writes, a rename) before building:
#: the build starts this long after the last change seen
STEP_MS = 10
DEBOUNCE_MS = 1600  # at most this long, when changes keep coming


def watch_files(build: Callable[[], Any], inputs: Callable[[], list[Path]],
                report: Callable[[Any], None], stop: Optional[threading.Event] = None,
                poll: bool = False) -> None:
    """Build, report, and again after each save of one of `inputs()`, until `stop` is set.
    `build` never raises for a problem with the deck (it returns it, for `report`). A save
    made while a build runs, before watching starts again, is not lost: the files' times and
    sizes from before the build are compared once watching has started."""
    paths = inputs()
    while stop is None or not stop.is_set():
        before = _stats(paths)  # the files' stats only: a save is built at once
        report(build())
        paths = inputs()  # after the report: the outline may name other files now
        if not _wait(paths, before, stop, poll):
            return


def _wait(paths: list[Path], before: dict[Path, tuple[int, int]],
          stop: Optional[threading.Event], poll: bool) -> bool:
    """Wait for a save of one of `paths` (or one since `before`); False when stopped."""
    import watchfiles

    for changes in watchfiles.watch(
            *_folders(paths), watch_filter=lambda _, path: matches(Path(path), paths),
            debounce=DEBOUNCE_MS, step=STEP_MS, stop_event=stop, force_polling=poll or None,
            poll_delay_ms=100, rust_timeout=300, yield_on_timeout=True, recursive=False,
            raise_interrupt=True):
        if stop is not None and stop.is_set():
            return False
        if changes:
            return True
        if _stats(paths) != before:  # saved while the build ran
            return True
    return stop is None or not stop.is_set()


def _stats(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """The time and size of each file (a pattern's matches), to notice a save by."""
    out = {}
    for path in paths:
        text = str(path)
        for name in _matches(text) if _is_pattern(text) else [text]:
            try:
                st = Path(name).stat()
            except OSError:
                continue
            out[Path(name).resolve()] = (st.st_mtime_ns, st.st_size)
    return out


def matches(path: Path, inputs: Iterable[Path]) -> bool:
    """Whether a changed file is one the build reads: one of `inputs`, or a match of one that
    is a pattern (data files: raw/*/*-street.csv)."""
    path = path.resolve()
    for item in inputs:
        text = str(item)
        if path == item or (_is_pattern(text) and fnmatch.fnmatch(str(path), text)):
            return True
    return False


def _matches(pattern: str) -> list[str]:
    """What an (absolute) pattern matches, in bounded time: source/patterns.py, which never
    goes into a linked folder under `**` (Python's glob would, forever, on a link loop)."""
    from deckgen.source.patterns import PatternTooWide, expand

    try:
        return expand(Path(pattern).parent, pattern)
    except PatternTooWide:  # the build says so
        return []


def _is_pattern(text: str) -> bool:
    """Whether a path is a glob pattern (a data source's `files:`), not one file."""
    return any(c in text for c in "*?[")


def _folders(paths: Iterable[Path]) -> list[Path]:
    """The folders to watch, each on its own (not the folders inside it: an outline beside a
    virtualenv must not watch the virtualenv): each input's folder, and for a pattern the
    folders of the files it matches and the folder before its first wildcard."""
    out: set[Path] = set()
    for path in paths:
        parts = path.parts
        cut = next((i for i, part in enumerate(parts) if _is_pattern(part)), None)
        if cut is None:
            out.add(path.parent)
            continue
        out.add(Path(*parts[:cut]) if cut else Path(path.anchor))
        out |= {Path(match).parent for match in _matches(str(path))}
    existing = set()
    for folder in out:
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        existing.add(folder)
    return sorted(existing)
