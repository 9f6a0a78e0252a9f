"""Put back the head of a byte stream that was read to sniff its format.

Both the list importers (here) and the listing readers (``scanner.sources``) read a few KiB
to detect a format, then need the whole stream from its first byte again, also when it
cannot seek (stdin, an HTTP body, a zip member). ``trademarks`` never imports ``scanner``,
so the one copy lives here, in the lower package.
"""

from __future__ import annotations

import io
from typing import IO


def with_head(head: bytes, rest: IO[bytes]) -> io.BufferedReader:
    """A buffered stream that yields ``head`` and then reads on from ``rest``."""
    return io.BufferedReader(_Prefixed(head, rest))


class _Prefixed(io.RawIOBase):
    """A raw stream that replays ``head``, then reads from ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # typeshed: WriteableBuffer
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        # read1 returns what a pipe has now instead of waiting for a full buffer
        read = getattr(self._rest, "read1", self._rest.read)
        data = read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
