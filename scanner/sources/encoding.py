"""Choosing the text encoding of an input file, and opening it as a stream of text.

Order (first that applies wins), and why:

1. ``encoding=`` (``--encoding``) overrides everything: the user knows better than a guess.
2. A byte-order mark decides: ``EF BB BF`` -> UTF-8 (WooCommerce, eBay Seller Hub),
   ``FF FE`` / ``FE FF`` -> UTF-16 LE/BE (Taobao Assistant 5.x). A BOM is unambiguous.
3. No BOM and the head is binary (a known magic number such as gzip, PNG, PDF or SQLite,
   NUL bytes scattered rather than every other byte, or many control bytes) -> error: a
   binary file, named as such (suggesting an encoding for it would send the user astray).
   Else, the head full of NUL bytes at every other position -> error: UTF-16 without a BOM;
   say so instead of scanning text with a NUL between every letter.
4. Strict UTF-8 when the first 64 KiB decode as UTF-8: the modern default, and random
   legacy bytes almost never form valid UTF-8, so success is strong evidence.
5. Otherwise the preset's legacy encoding: GB18030 (a superset of GBK/GB2312) for Taobao
   (files whose headers are Chinese); cp1252 for the Amazon and eBay presets (their US/EU
   text exports). Other presets have none.
6. Otherwise an ``InputError`` naming the file and the line of the first undecodable byte and
   suggesting ``--encoding``. We never guess further: a wrong guess silently changes the text
   the scanner judges.

Decoding streams: ``io.TextIOWrapper`` decodes chunk by chunk with ``errors="surrogateescape"``
and ``checked_lines`` raises ``UndecodableLine`` on the first line holding an escaped byte
(U+DC80..U+DCFF, which strict decoding never produces), so an undecodable byte past the 64 KiB
head becomes an ``InputError`` with its exact line, after every listing before that line was
yielded. (With ``errors="strict"`` the whole 8 KiB chunk around the byte would be lost.)
A ``UnicodeDecodeError`` the handler cannot escape (broken UTF-16) is located by
``locate_decode_error``, which re-reads the file once, streaming, on that cold path.
NUL characters are removed from every line here too (see ``delimited``).
"""

from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO, Iterable, Iterator

from scanner.errors import InputError, UsageError

HEAD_SIZE = 64 * 1024
ENCODING_HINT = "use --encoding, e.g. --encoding gb18030 or --encoding cp1252"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_bom(head: bytes) -> str | None:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def check_codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"unknown encoding {name!r}; use a Python codec name such as utf-8, gb18030, cp1252") from None


def utf8_error(head: bytes) -> int | None:
    """Offset of the first invalid UTF-8 byte in head, ignoring a sequence cut off at its end."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and len(head) == HEAD_SIZE:
            return None
        return err.start
    return None


def decode_head(head: bytes) -> str:
    """Best-effort text of the head, for format detection only (never for scanning)."""
    bom = sniff_bom(head)
    if bom:
        return head.decode(bom, errors="replace").lstrip("\ufeff")
    if utf8_error(head) is None:
        return head.decode("utf-8", errors="replace")
    return head.decode("gb18030", errors="replace")


_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed data", "decompress it first, e.g. gunzip -k FILE"),
    (b"BZh", "bzip2-compressed data", "decompress it first, e.g. bunzip2 -k FILE"),
    (b"\xfd7zXZ\x00", "xz-compressed data", "decompress it first, e.g. unxz -k FILE"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", "extract the export from the archive first"),
    (b"\x89PNG", "PNG image", ""),
    (b"\xff\xd8\xff", "JPEG image", ""),
    (b"GIF8", "GIF image", ""),
    (b"%PDF-", "PDF document", ""),
    (b"\x7fELF", "executable", ""),
    (b"SQLite format 3\x00", "SQLite database", "a listguard database is passed with --db, not scanned"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1a\x1b")
BINARY_HINT = "export the catalog as CSV, TSV, JSON Lines, JSON or XML and scan that"


def _utf16_shaped(head: bytes) -> bool:
    """NUL bytes at nearly every even or every odd position: UTF-16 text of mostly Latin
    letters, digits and punctuation, without a byte-order mark."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = max(len(head) // 2, 1)
    return max(even, odd) >= 0.5 * half and min(even, odd) <= 0.05 * max(even, odd)


def binary_kind(head: bytes) -> tuple[str, str] | None:
    """(what the file is, a hint) when the head is not text in any encoding we would read."""
    for magic, kind, hint in _MAGIC:
        if head.startswith(magic):
            return kind, hint or BINARY_HINT
    if not head or _utf16_shaped(head):
        return None
    controls = sum(1 for byte in head[:8192] if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if head.count(0) * 4 > len(head) or controls > 0.05 * min(len(head), 8192):
        return "binary data", BINARY_HINT
    return None


def choose_encoding(path: str, head: bytes, fallback: str | None, override: str | None) -> str:
    """The encoding to read path with (see the module docstring for the order)."""
    if override:
        return check_codec(override)
    bom = sniff_bom(head)
    if bom:
        return bom
    binary = binary_kind(head)
    if binary:
        raise InputError(f"a binary file ({binary[0]}), not a text export", path, hint=binary[1])
    if head and head.count(0) * 4 > len(head):
        raise InputError("looks like UTF-16 without a byte-order mark", path,
                         hint="use --encoding utf-16-le (or utf-16-be)")
    bad = utf8_error(head)
    if bad is None:
        return "utf-8"
    if fallback:
        return fallback
    line = head[:bad].count(b"\n") + 1
    if line > 1:
        # Read as UTF-8 anyway: the stream stops with this same error at that line, after
        # the records before it have been scanned, so no finding is lost.
        return "utf-8"
    raise InputError(f"not valid UTF-8 (byte 0x{head[bad]:02x})", path, line, hint=ENCODING_HINT)


def locate_decode_error(path: str, encoding: str) -> int | None:
    """Line of the first byte path cannot be decoded with; None if it decodes (or is stdin)."""
    if path == "-":
        return None
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    newlines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                newlines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as err:
                before = err.object[: err.start].decode(encoding, errors="replace")
                return newlines + before.count("\n") + 1
    return None


_ESCAPED = re.compile("[\udc80-\udcff]")


class UndecodableLine(Exception):
    """A physical line held bytes the chosen encoding cannot decode."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def text_stream(binary: BinaryIO, encoding: str) -> io.TextIOWrapper:
    """Incrementally decoding text over binary; newline='' so csv sees the real line ends."""
    return io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")


def checked_lines(lines: Iterable[str]) -> Iterator[str]:
    """Physical lines with NULs removed; raises UndecodableLine at the first escaped byte."""
    for number, line in enumerate(lines, 1):
        if not line.isascii() and _ESCAPED.search(line):
            raise UndecodableLine(number)
        yield line.replace("\0", "") if "\0" in line else line


def check_line(line: str, number: int) -> None:
    """``checked_lines``' test for one non-ASCII line: UndecodableLine if it holds an escaped byte."""
    if _ESCAPED.search(line):
        raise UndecodableLine(number)
