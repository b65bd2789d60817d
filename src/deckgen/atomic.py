"""Write a file so that readers see the old one or the new one, never half of either.

The new bytes go to a hidden temporary file beside the target, named `.deckgen-PID-XXXXXXXX.tmp`
(short, whatever the target's name, so a long but valid file name still fits the file system's
limit), and are renamed into place when complete. A process killed outright (SIGKILL, a power
cut) cannot remove its temporary file; the next write into that folder, and `deckgen clean`,
remove such leftovers: only names deckgen makes, and only when the process that made them is
gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

#: The temporary files deckgen makes: .deckgen-<pid>-<random>.tmp
TEMP = re.compile(r"^\.deckgen-(\d+)-[A-Za-z0-9_]{8}\.tmp$")
#: A temporary file this old is stale even if a process with its number is running (a
#: number reused after a reboot).
STALE_AFTER = 24 * 3600.0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes) -> Path:
    """Write `data` to `target`: a hidden temporary file beside it (same file system), synced,
    given the permissions a new file would get (0666 less the umask: mkstemp's are 0600), then
    renamed into place. On any failure or interruption the temporary file is removed and
    `target` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".deckgen-{os.getpid()}-",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


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
