"""A one-line progress report on stderr: rows, rows/s and, when the input size is known, an ETA.

Only on a terminal and only when not silenced; never on stdout. Cheap: the clock is read once
every ``CHECK_EVERY`` rows and the line redrawn at most every ``interval`` seconds (5 per second).
"""

from __future__ import annotations

import os
import time
from typing import Callable, Sequence, TextIO

CHECK_EVERY = 64


class Progress:
    def __init__(self, stream: TextIO | None, total_bytes: int | None = None, *, interval: float = 0.2,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """stream None: disabled (every method is a no-op)."""
        self.stream = stream
        self.total = total_bytes or None
        self.interval = interval
        self.clock = clock
        self.rows = 0
        self.started = clock()
        self.last_draw = self.started
        self.drawn = False
        self._done_files = 0  # bytes of inputs already finished
        self._current: tuple[str, int] | None = None  # (path, bytes into it)
        self._sizes: dict[str, int] = {}
        self._ranges: tuple[int, int] | None = None  # (done, planned so far) on a cluster

    @classmethod
    def for_run(cls, stream: TextIO, paths: Sequence[str], silent: bool) -> Progress:
        """Enabled when stream is a terminal and not silent; total size from regular files."""
        enabled = not silent and _is_tty(stream)
        sizes = {p: os.path.getsize(p) for p in paths if p != "-" and os.path.isfile(p)}
        total = sum(sizes.values()) if len(sizes) == len(set(paths)) else None
        progress = cls(stream if enabled else None, total)
        progress._sizes = sizes
        return progress

    @property
    def enabled(self) -> bool:
        return self.stream is not None

    def advance(self, rows: int = 1) -> None:
        self.rows += rows
        if self.stream is not None and self.rows % CHECK_EVERY < rows:
            now = self.clock()
            if now - self.last_draw >= self.interval:
                self.last_draw = now
                self.draw(now)

    def position(self, path: str, offset: int) -> None:
        """Bytes of path consumed so far (an input change means the previous one is done)."""
        if self._current and self._current[0] != path:
            self._done_files += self._sizes.get(self._current[0], self._current[1])
        self._current = (path, offset)

    def ranges(self, done: int, total: int) -> None:
        """Byte ranges scanned and planned so far (a Dask run)."""
        self._ranges = (done, total)

    def bytes_done(self) -> int:
        return self._done_files + (self._current[1] if self._current else 0)

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.rows / elapsed
        text = f"listguard: {self.rows:,} rows, {rate:,.0f} rows/s"
        if self._ranges is not None:
            text += f", ranges {self._ranges[0]:,}/{self._ranges[1]:,}"
        done = self.bytes_done()
        if self.total and done > 0:
            fraction = min(done / self.total, 1.0)
            eta = elapsed * (1 - fraction) / fraction
            text += f", {fraction:.0%}, ETA {_clock(eta)}"
        return text

    def draw(self, now: float | None = None) -> None:
        if self.stream is None:
            return
        self.stream.write("\r" + self.line(self.clock() if now is None else now) + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the line so the summary starts clean."""
        if self.stream is not None and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
