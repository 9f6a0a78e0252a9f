"""Where results go: stdout, or ``--output FILE``.

A report file is either the complete output of a finished run or untouched: results are
written to a temporary file in the destination's directory and moved over the destination
with ``os.replace`` only when the run completes. On any error (or Ctrl-C, SIGTERM, SIGHUP:
the CLI turns them into exceptions) the temporary file is removed and an existing
destination keeps its old content.

Only a regular file (or a new one) is replaced that way. A symlink is followed, and its
target is replaced, so the link stays a link; a character device (``/dev/null``), a FIFO or
a socket is written straight through, as a shell's ``>`` would: replacing one with a regular
file would break it for everyone.

A failed write (a full disk, a file-size limit, an I/O error) is an ``OutputError`` naming
the destination; on stdout a reader that went away (``| head -1``) is ``OutputClosed``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator, TextIO

from scanner.errors import InputError, OutputClosed, OutputError


class GuardedStream:
    """A text stream whose write errors become one-line OutputErrors naming the destination
    (``name``; None for stdout)."""

    def __init__(self, stream: TextIO, name: str | None) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as err:
            raise output_error(err, self._name) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as err:
            raise output_error(err, self._name) from None

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._stream, attribute)


def output_error(err: OSError, name: str | None) -> OutputError:
    """The one-line error for a failed write to ``name`` (None: stdout)."""
    reason = err.strerror or str(err)
    if name is None:
        if err.errno == errno.EPIPE:
            return OutputClosed("stdout was closed by its reader", to_stdout=True)
        return OutputError(f"cannot write the results to stdout: {reason}", to_stdout=True)
    return OutputError(f"{name}: cannot write the results: {reason}")


@contextlib.contextmanager
def atomic_text_writer(path: str | os.PathLike[str], encoding: str = "utf-8",
                       display: str | None = None) -> Iterator[TextIO]:
    """Yield a text stream whose content replaces ``path`` only if the block succeeds;
    errors name ``display`` (default: ``path``)."""
    target = Path(path)
    name = display or os.fspath(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(directory), hint="create it first")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise InputError(f"cannot write output: {err.strerror}", path=str(target)) from None
    stream = os.fdopen(fd, "w", encoding=encoding, newline="")
    try:
        yield GuardedStream(stream, name)  # type: ignore[misc]
        try:
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            _keep_mode(target, tmp_name)
            os.replace(tmp_name, target)
        except OSError as err:
            raise output_error(err, name) from None
    except BaseException:
        with contextlib.suppress(OSError):
            stream.close()  # may fail again flushing what the disk refused
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def _write_through(path: str, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Write straight into a device, FIFO or socket (opening a FIFO waits for its reader)."""
    try:
        stream = open(path, "w", encoding=encoding, newline="")
    except OSError as err:
        raise output_error(err, path) from None
    try:
        guarded = GuardedStream(stream, path)
        yield guarded  # type: ignore[misc]
        guarded.flush()
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def _keep_mode(target: Path, tmp_name: str) -> None:
    """mkstemp creates 0600 files; give the report the mode a plain open() would have."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp_name, mode)


def _is_special(path: str) -> bool:
    """An existing node that is not a regular file or a directory (device, FIFO, socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str] | None) -> Iterator[TextIO]:
    """stdout for None or ``-``; a device, FIFO or socket written through; otherwise an
    atomic writer for the file (a symlink's target, so the link survives)."""
    if path is None or str(path) == "-":
        out = GuardedStream(sys.stdout, None)
        yield out  # type: ignore[misc]
        out.flush()
        return
    name = os.fspath(path)
    if _is_special(name):
        with _write_through(name) as stream:
            yield stream
        return
    # realpath resolves every link on the way (and a dangling link to where it points);
    # error messages keep naming the path the user gave.
    real = os.path.realpath(name) if os.path.islink(name) else name
    with atomic_text_writer(real, display=name) as stream:
        yield stream
