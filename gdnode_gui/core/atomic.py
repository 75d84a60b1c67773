"""Writing a file all or nothing: a temporary file beside it, renamed into place.

Used for traces, setups and exported plots: a failure part-way (a full disk, a
permission, an interrupted program) leaves the old file, or no file, and never half a
file or a stray temporary file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable


def write_atomically(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or an iterable of byte blocks written one after another,
    so a long file never needs to be in memory whole) to ``path``, all or nothing.

    - Symbolic links are followed: the file they point at is replaced, not the link.
    - A read-only file is refused with :class:`PermissionError` rather than replaced.
    - A path that is not a regular file (``/dev/null``, a pipe) is written to directly.
    - The new file gets the mode the old one had, or that of a newly created file
      (not the private 0600 of a temporary file).
    Any failure raises :class:`OSError`.
    """
    blocks = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data
    target = Path(os.path.realpath(path))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        with open(target, "wb") as out:  # a device or a pipe: nothing to replace
            for block in blocks:
                out.write(block)
        return
    if status is not None and not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(13, "The file is read-only", str(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            os.chmod(temporary, stat.S_IMODE(status.st_mode) if status is not None else _new_file_mode())
            for block in blocks:
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file under the current umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
