"""Write a file so that readers see the old one or the new one, never half of either.

The new bytes go to a hidden temporary file beside the target, named `.deckgen-PID-XXXXXXXX.tmp`
(short, whatever the target's name, so a long but valid file name still fits the file system's
limit), and are renamed into place when complete. The name is chosen before the file is made,
inside the block that removes it on failure: a Ctrl-C or SIGTERM landing as the file is created
(tempfile.mkstemp would create it and be interrupted before returning its name) cannot leave it
behind. A process killed outright (SIGKILL, a power cut) cannot remove its temporary file; the
next write into that folder, and `deckgen clean`, remove such leftovers: only names deckgen
makes, and only when the process that made them is gone.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import string
import time
from pathlib import Path
from typing import Iterable, Union

#: The temporary files deckgen makes: .deckgen-<pid>-<random>.tmp
TEMP = re.compile(r"^\.deckgen-(\d+)-[A-Za-z0-9_]{8}\.tmp$")
#: A temporary file this old is stale even if a process with its number is running (a
#: number reused after a reboot).
STALE_AFTER = 24 * 3600.0
#: How a temporary file is created: only if no such file exists, never through a link.
_CREATE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
           | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_NAMES = random.Random()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: Union[bytes, Iterable[Union[bytes, memoryview]]]) -> Path:
    """Write `data` (bytes, or pieces of it) to `target`: a hidden temporary file beside it
    (same file system), synced, given the permissions a new file would get (0666 less the
    umask; the temporary file is made 0600), then renamed into place. On any failure or
    interruption the temporary file is removed and `target` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent)
    pieces = [data] if isinstance(data, bytes) else data
    tmp = None
    try:
        while True:
            # the name first: an interruption in os.open, once the file exists, still finds
            # it here to remove (a name with this process's number is made by no one else)
            tmp = target.parent / f".deckgen-{os.getpid()}-{_random_part()}.tmp"
            try:
                fd = os.open(tmp, _CREATE, 0o600)
                break
            except FileExistsError:
                continue
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    return target


def _random_part() -> str:
    return "".join(_NAMES.choices(string.ascii_lowercase + string.digits, k=8))


def remove_stale(folder: Path) -> list[Path]:
    """Remove deckgen's own temporary files in `folder` whose process is gone; returns them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = TEMP.match(entry.name)
        if not match:
            continue
        pid = int(match.group(1))
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
        except OSError:
            continue
        if not old and (pid == os.getpid() or _running(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or cannot tell: leave its file alone
    return True
