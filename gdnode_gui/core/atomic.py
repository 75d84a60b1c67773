"""Writing a file all or nothing: the new content is written aside, then put in place at once.

Used for traces, setups and exported plots: a failure part-way (a full disk, a
permission, an interrupted program) leaves the old file, or no file, and never half a
file or a stray temporary file.

On Linux the content goes to an unnamed temporary file (``os.O_TMPFILE``) in the
target's folder, which gets a name only when it is complete (linked in through
``/proc/self/fd``, then renamed over the target): a process killed while writing, even
by SIGKILL, leaves nothing behind.  Elsewhere, or on a filesystem without
``O_TMPFILE``, a named temporary file ``.<name>.<pid>.<random>.gdnode-part`` is used;
it is removed on any exception (the CLI turns SIGTERM and SIGHUP into one), and the
next write to the same folder removes those left by processes that no longer exist.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Iterable

#: Temporary files of ours: ``.<target name>.<process id>.<random>.gdnode-part``.
TEMPORARY_SUFFIX = ".gdnode-part"
_TEMPORARY = re.compile(r"\..*\.(\d+)\.[0-9a-f]{8}" + re.escape(TEMPORARY_SUFFIX), re.DOTALL)

#: False to always use a named temporary file (set by tests, or after O_TMPFILE failed).
use_unnamed_temporary = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


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
    target, status = _target(path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        with open(target, "wb") as out:  # a device or a pipe: nothing to replace
            for block in blocks:
                out.write(block)
        return
    mode = stat.S_IMODE(status.st_mode) if status is not None else _new_file_mode()
    remove_stale_temporaries(target.parent)
    handle, temporary = _open_temporary(target)
    try:
        with os.fdopen(handle, "wb", closefd=False) as out:
            os.fchmod(handle, mode)
            for block in blocks:
                out.write(block)
            out.flush()
            os.fsync(handle)
        if temporary is None:
            temporary = _link_unnamed(handle, target)
        os.replace(temporary, target)
        temporary = None
    finally:
        os.close(handle)
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def check_writable(path: str | os.PathLike) -> None:
    """Raise the :class:`OSError` that :func:`write_atomically` would raise for ``path``
    because of the path itself (a folder, a read-only file, a missing or read-only
    folder), without changing anything: for checking before a long computation.
    A full disk shows only when writing."""
    target, status = _target(path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        return  # a device or a pipe: opening it could wait for a reader
    handle, temporary = _open_temporary(target)
    os.close(handle)
    if temporary is not None:
        os.unlink(temporary)


def remove_stale_temporaries(folder: str | os.PathLike) -> list[str]:
    """Remove, in ``folder``, the temporary files of ours whose process no longer exists
    (one killed while writing); returns their names.  Never raises."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match is None or _process_exists(int(match.group(1))):
            continue
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            continue
        removed.append(name)
    return removed


# -- helpers -------------------------------------------------------------------------------
def _target(path: str | os.PathLike) -> tuple[Path, os.stat_result | None]:
    """The real path and its status (None when there is no file yet); refuses a folder
    and a read-only file."""
    target = Path(os.path.realpath(path))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if (status is not None and stat.S_ISREG(status.st_mode)
            and not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)):
        raise PermissionError(errno.EACCES, "The file is read-only", str(path))
    return target, status


def _open_temporary(target: Path) -> tuple[int, str | None]:
    """A file descriptor open for writing in ``target``'s folder, and the temporary file's
    name (None for an unnamed one)."""
    global use_unnamed_temporary
    if use_unnamed_temporary:
        try:
            return os.open(target.parent, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600), None
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise  # a missing or read-only folder, a permission: the real answer
            use_unnamed_temporary = False  # this filesystem (or kernel) cannot; stop asking
    while True:
        name = str(target.parent / _temporary_name(target.name))
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), name
        except FileExistsError:
            continue


def _link_unnamed(handle: int, target: Path) -> str:
    """Give the unnamed file open as ``handle`` a temporary name beside ``target``.

    ``linkat(..., AT_SYMLINK_FOLLOW)`` links the file that ``/proc/self/fd/N`` stands for;
    Python calls linkat (rather than ``link``, which would link the /proc entry itself
    and fail with EXDEV) only when a folder descriptor is given, hence ``dst_dir_fd``.
    """
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        while True:
            name = _temporary_name(target.name)
            try:
                os.link(f"/proc/self/fd/{handle}", name, dst_dir_fd=folder, follow_symlinks=True)
                return str(target.parent / name)
            except FileExistsError:
                continue
    finally:
        os.close(folder)


def _temporary_name(name: str) -> str:
    return f".{name[:50]}.{os.getpid()}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's, or nothing we may judge: leave it
    except OSError:
        return True
    return True


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file under the current umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


__all__ = ["write_atomically", "check_writable", "remove_stale_temporaries", "TEMPORARY_SUFFIX"]
