"""The one format of what deckgen keeps between builds, and the one careful reader of it.

The chart cache (cache/charts.py), the parse cache (data/records.py) and the memo of each
build (cache/memo.py) each keep entries: one file each, a first line naming what it holds
(`deckgen chart 4`), the key it was stored under (so an entry copied or renamed onto another
key is not taken for it), the sha256 of the rest, and the rest, the body. Key and digest tell
a damaged, truncated or swapped entry, never a forged one: anyone who can write the file can
recompute them. That is why the cache lives in the user's own folder (cache/__init__.py), never
in an outline's folder that others may write.

Reading trusts the file system no more than the bytes: the entry is opened without following a
link and without waiting (a named pipe in its place would hang the build), must be a regular
file no larger than the caller's limit, and only that much is read (a link to /dev/zero, or a
huge file, cannot exhaust memory). Bodies are stored as they are, never compressed, so an entry
costs the memory of its size and no more. Anything wrong is no entry, and the work is done
again: never an error, never a crash. It is a shared helper (beside atomic.py), because the
data stage, which comes before cache/, keeps parses too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path
from typing import Optional, Sequence, Union

from deckgen.atomic import write_atomic

#: How an entry is opened: never through a link, never waiting on a pipe.
_OPEN = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
         | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_DIGEST = 64  # hexadecimal characters of a sha256


def _head(kind: str, key: str) -> bytes:
    return f"deckgen {kind}\n{key}\n".encode()


def read(path: Path, kind: str, key: str, limit: int) -> Optional[memoryview]:
    """The body of the sound entry at `path` for `kind` and `key`, or None: none there, not a
    regular file, larger than `limit` bytes, another kind or key, or a digest that does not
    match."""
    data = _read_file(path, limit)
    if data is None:
        return None
    head = _head(kind, key)
    start = len(head) + _DIGEST + 1
    if len(data) < start or not data.startswith(head) or data[start - 1] != ord("\n"):
        return None
    body = memoryview(data)[start:]
    if hashlib.sha256(body).hexdigest().encode() != data[len(head):start - 1]:
        return None
    return body


def _read_file(path: Path, limit: int) -> Optional[bytearray]:
    if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():  # Windows: told before opening
        return None
    try:
        fd = os.open(path, _OPEN)
    except OSError:  # none there, a link (ELOOP), no permission
        return None
    try:
        with open(fd, "rb", buffering=0) as handle:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
                return None
            data = bytearray(st.st_size)
            view, got = memoryview(data), 0
            while got < st.st_size:
                n = handle.readinto(view[got:])
                if not n:
                    return None  # shorter than it said: being replaced
                got += n
            return data
    except OSError:
        return None


def write(path: Path, kind: str, key: str, body: Sequence[Union[bytes, memoryview]],
          limit: int) -> bool:
    """Store `body` (in pieces, joined) as the entry for `kind` and `key` at `path`, atomically,
    when it is within `limit`; its folder is made private (0700) if missing and must be a real
    folder (never a link). Whether it was stored: one that cannot be only costs time later."""
    digest = hashlib.sha256()
    for piece in body:
        digest.update(piece)
    head = _head(kind, key) + digest.hexdigest().encode() + b"\n"
    if len(head) + sum(len(piece) for piece in body) > limit or not private_folder(path.parent):
        return False
    try:
        write_atomic(path, [head, *body])
    except OSError:
        return False
    return True


def private_folder(folder: Path) -> bool:
    """Make `folder` (mode 0700) if it is missing; whether it is now a real folder of this
    user's that no one else may write: not a link, not a file, not group- or world-writable."""
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700)
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return False
    return True
