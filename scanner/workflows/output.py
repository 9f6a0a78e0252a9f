"""Where results go: stdout, or a file written atomically (``--output FILE``).

A report file is either the complete output of a finished run or untouched: results are
written to a temporary file in the destination's directory and moved over the destination
with ``os.replace`` only when the run completes. On any error (or Ctrl-C) the temporary file
is removed and an existing destination keeps its old content.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator, TextIO

from scanner.errors import InputError


@contextlib.contextmanager
def atomic_text_writer(path: str | os.PathLike[str], encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text stream whose content replaces ``path`` only if the block succeeds."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(directory), hint="create it first")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise InputError(f"cannot write output: {err.strerror}", path=str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(target, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _keep_mode(target: Path, tmp_name: str) -> None:
    """mkstemp creates 0600 files; give the report the mode a plain open() would have."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp_name, mode)


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str] | None) -> Iterator[TextIO]:
    """stdout for None or ``-``; otherwise an atomic writer for the file."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_text_writer(path) as stream:
        yield stream
