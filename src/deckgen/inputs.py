"""Read one input file whole (an outline, a brand file, a picture, a template), or hash one,
safely.

`Path.read_bytes` waits for ever on a named pipe, reads a device without end, and reads any
size of file into memory. An outline folder may hold any of these under the name of a picture
or an outline. Here the file is opened without waiting, must be a regular file (told by fstat
on the open file, so it cannot be swapped between the check and the read), and no more than
`limit` bytes of it are read: each refusal is an OSError whose `strerror` says what is wrong,
so the callers' messages ("cannot read image x.png: ...") need nothing more. A shared helper
(beside atomic.py and entry.py): the source and data stages both read inputs.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

#: Opened for reading without waiting: a named pipe with no writer would block the open itself.
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


class NotAFile(OSError):
    """The path is a named pipe, a device or a socket: nothing deckgen can read as a file."""


class TooLarge(OSError):
    """The file is larger than the reader's limit."""


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them. Raises
    FileNotFoundError, IsADirectoryError, NotAFile, TooLarge, or another OSError."""
    fd = os.open(path, _OPEN)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(errno.EINVAL, "is a named pipe or a device, not a file", str(path))
        if st.st_size > limit:
            raise TooLarge(errno.EFBIG, f"is {st.st_size:,} bytes, more than {limit:,}",
                           str(path))
        chunks, got = [], 0
        while True:  # to the end, or one byte past the limit if the file grew meanwhile
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if got > limit:
                raise TooLarge(errno.EFBIG, f"is more than {limit:,} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


#: How much of a file is hashed at a time: a large extract is never held whole.
_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes as stored (compressed or not), read in chunks so a large
    extract is never held whole: the build's manifest of its inputs (source/manifest.py) and
    the key of a record file's parse (data/records.py). Only a regular file is read: a named
    pipe or a device (which would never end, or never start) is an OSError, told without
    waiting for it."""
    fd = os.open(path, _OPEN)
    digest = hashlib.sha256()
    with open(fd, "rb", buffering=0) as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                return digest.hexdigest()
            digest.update(chunk)
