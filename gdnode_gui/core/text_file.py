"""Reading the files people give us (setups, tables of examples): only regular files, never
waiting, never more than a limit, UTF-8 or UTF-16 with its byte-order mark.

A named pipe, a device, a socket or a folder is refused at once: the file is opened with
``O_NONBLOCK`` (so opening a pipe that nobody writes to does not wait) and checked with
``fstat`` before anything is read.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFileError(OSError):
    """A path that names a pipe, a device, a socket or a folder, not a file to read."""


def read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (one more than the limit, so
    the caller can tell a file that is too large).

    Raises
    ------
    NotARegularFileError
        ``path`` is a named pipe, a device, a socket or a folder (its ``strerror`` says
        which, e.g. "it is a named pipe, not a regular file").
    OSError
        The file cannot be opened or read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if error.errno in (errno.ENXIO, errno.EOPNOTSUPP):  # a socket cannot be opened
            _refuse_special(path, os.stat(path).st_mode)
        raise
    try:
        _refuse_special(path, os.fstat(handle).st_mode)
    except BaseException:
        os.close(handle)
        raise
    with open(handle, "rb", closefd=True) as source:
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = source.read(min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def check_regular_file(path: str | os.PathLike) -> None:
    """Raise :class:`NotARegularFileError` when ``path`` is a pipe, a device, a socket or a
    folder, the :class:`OSError` of ``stat`` when it cannot be looked at (FileNotFoundError
    when there is nothing); never opens it."""
    _refuse_special(path, os.stat(path).st_mode)


def _refuse_special(path: str | os.PathLike, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((word for test, word in _KINDS if test(mode)), "not a file")
    code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
    raise NotARegularFileError(code, f"it is {kind}, not a regular file", os.fspath(path))


def utf16_text(raw: bytes) -> str | None:
    """The text of ``raw`` when it starts with a UTF-16 byte-order mark, else None.

    Raises
    ------
    UnicodeDecodeError
        It has the mark but is not valid UTF-16 (or it is UTF-32, whose mark starts alike).
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnicodeDecodeError("utf-32", raw[:4], 0, 4, "UTF-32 text")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")  # the mark gives the byte order and is dropped
    return None


def looks_like_utf16(raw: bytes) -> bool:
    """True for UTF-16 text without a byte-order mark (every other byte zero, mostly)."""
    sample = raw[:4096]
    if len(sample) < 4:
        return False
    zeros = max(sample[0::2].count(0), sample[1::2].count(0))
    return zeros >= 0.8 * (len(sample) // 2)


__all__ = ["NotARegularFileError", "check_regular_file", "read_regular_file", "utf16_text", "looks_like_utf16"]
