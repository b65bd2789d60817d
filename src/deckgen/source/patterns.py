"""The files a `files:` pattern matches (`raw/*/*-street.csv*`, `raw/**/*.csv`), found in bounded
time.

Python's glob follows links to folders under `**`, so a link to a folder above (`raw/a/up ->
..`) makes it walk the same folders again and again: two such links and a build never ends.
Here `**` goes through real folders only, never into a linked one, so the walk ends on any
folder; and it looks at most MAX_SCANNED names, so a pattern over a huge tree is refused in
moments instead of taking minutes. Otherwise it matches as glob does: `*`, `?` and `[...]`
within one name, `**` as a whole part for any depth of folders, names starting with a dot only
when the pattern's part does. Where the files may lie (inside the outline's folder) is the
caller's check, on each file found.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from pathlib import Path

#: A pattern may look at this many names (files and folders) at most.
MAX_SCANNED = 100_000


class PatternTooWide(Exception):
    """The pattern looks through more than MAX_SCANNED names."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.message = (f"the pattern looks through more than {MAX_SCANNED:,} files and "
                        "folders; make it name the folders to look in (e.g. raw/*/*.csv "
                        "rather than **/*.csv)")


def expand(folder: Path, pattern: str) -> list[str]:
    """The paths matching `pattern`, written as the pattern writes them (relative to `folder`
    unless the pattern is absolute), sorted; folders that match are included (callers keep
    the files). Raises PatternTooWide."""
    if not glob.has_magic(pattern):
        return [pattern] if os.path.lexists(folder / pattern) else []
    separators = r"[\\/]" if os.sep == "\\" else "/"
    anchor = Path(pattern).anchor
    parts = [p for p in re.split(separators, pattern[len(anchor):]) if p]
    found = [anchor]  # written paths so far; "" is the folder itself
    scanned = [0]
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            found = [p for base in found for p in _below(folder, base, last, scanned, pattern)]
        elif glob.has_magic(part):
            found = [p for base in found
                     for p in _names(folder, base, part, last, scanned, pattern)]
        else:
            found = [os.path.join(base, part) for base in found]
            found = [p for p in found if (os.path.lexists if last else os.path.isdir)(
                folder / p)]
    if pattern.endswith(("/", os.sep)):  # as glob: a pattern ending in a separator, folders
        found = [p for p in found if os.path.isdir(folder / p)]
    return sorted(found)


def _names(folder: Path, base: str, part: str, last: bool, scanned: list[int],
           pattern: str) -> list[str]:
    """The names in folder `base` that `part` matches (folders only, unless it is the last
    part); hidden names only for a part starting with a dot."""
    out = []
    for entry in _entries(folder / base, scanned, pattern):
        if entry.name.startswith(".") and not part.startswith("."):
            continue
        if fnmatch.fnmatch(entry.name, part) and (last or _is_dir(entry, follow=True)):
            out.append(os.path.join(base, entry.name))
    return out


def _below(folder: Path, base: str, last: bool, scanned: list[int], pattern: str) -> list[str]:
    """What `**` matches under `base`: every real folder at any depth (with `base` itself),
    and every file too when it is the pattern's last part. Linked folders are not gone into
    (nor matched), hidden names are skipped."""
    out = [] if last else [base]
    stack = [base]
    while stack:
        here = stack.pop()
        for entry in _entries(folder / here, scanned, pattern):
            if entry.name.startswith("."):
                continue
            path = os.path.join(here, entry.name)
            if _is_dir(entry, follow=False):
                out.append(path)
                stack.append(path)
            elif last and not _is_dir(entry, follow=True):  # a file, or a link to one
                out.append(path)
    return out


def _entries(path: Path, scanned: list[int], pattern: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as entries:
            found = list(entries)
    except OSError:
        return []
    scanned[0] += len(found)
    if scanned[0] > MAX_SCANNED:
        raise PatternTooWide(pattern)
    return found


def _is_dir(entry: os.DirEntry[str], follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False
