"""Issue 14, fault 10: DTDs are refused by the XML parser itself, wherever the declaration
falls in the file. The old guard scanned each read chunk for '<!ENTITY', so a declaration split
over a read boundary (the first reads are 16 KiB + 64 KiB, then 16 KiB each) slipped past it
and expat expanded the entity into a mark name."""

from __future__ import annotations

import io

import pytest

from trademarks.errors import ListFormatError
from trademarks.importers import iter_marks_from_stream
from trademarks.uspto import iter_uspto

KIB = 1024
CASE = (b"<case-file><serial-number>71000001</serial-number><case-file-header><status-code>800"
        b"</status-code><mark-identification>&x;</mark-identification></case-file-header></case-file>")


def split_declarations(doctype_at: int, entity_at: int) -> bytes:
    """A daily file whose '<!DOCTYPE' starts at byte ``doctype_at`` and '<!ENTITY' at
    ``entity_at``, padded with comments, with the entity used as a mark name."""
    head = b'<?xml version="1.0"?>\n<!--'
    head += b"p" * (doctype_at - len(head) - 4) + b"-->\n"
    assert len(head) == doctype_at
    head += b"<!DOCTYPE trademark-applications-daily [\n<!--"
    head += b"q" * (entity_at - len(head) - 4) + b"-->\n"
    assert len(head) == entity_at
    return (head + b'<!ENTITY x "EVIL BRAND">\n]>\n<trademark-applications-daily>' + CASE
            + b"</trademark-applications-daily>\n")


@pytest.mark.parametrize("before", [7, 4, 1], ids=lambda n: f"{n} bytes before the boundary")
def test_declarations_split_over_read_boundaries_are_refused(before):
    first_boundary = 16 * KIB + 64 * KIB  # the old guard's head, then 16 KiB reads
    data = split_declarations(first_boundary - before, first_boundary + 16 * KIB - before)
    with pytest.raises(ListFormatError, match="XML entity declarations are refused") as caught:
        list(iter_uspto(io.BytesIO(data), "split.xml"))
    assert str(caught.value).startswith("split.xml:3: XML entity declarations are refused")
    with pytest.raises(ListFormatError, match="XML entity declarations are refused"):
        list(iter_marks_from_stream(io.BytesIO(data), "split.xml", "uspto"))


@pytest.mark.parametrize("read_size", [1, 7, 4096])
def test_refused_whatever_the_stream_hands_out(read_size):
    """The stream decides the read sizes (a socket, a zip member): the parser refuses anyway."""

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            n = min(len(buffer), read_size, len(self.data))
            buffer[:n], self.data = self.data[:n], self.data[n:]
            return n

    data = (b'<?xml version="1.0"?>\n<!DOCTYPE trademark-applications-daily [\n<!ENTITY x "EVIL">\n]>\n'
            b"<trademark-applications-daily>" + CASE + b"</trademark-applications-daily>")
    with pytest.raises(ListFormatError, match="XML entity declarations are refused"):
        list(iter_uspto(Trickle(data), "trickle.xml"))


def test_an_internal_subset_without_entities_is_refused_too():
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE trademark-applications-daily [ <!ELEMENT a ANY> ]>\n'
            b"<trademark-applications-daily></trademark-applications-daily>")
    with pytest.raises(ListFormatError, match="XML entity declarations are refused"):
        list(iter_uspto(io.BytesIO(data), "subset.xml"))


def test_an_external_dtd_reference_like_the_published_files_is_read():
    data = (b'<?xml version="1.0"?>\n'
            b'<!DOCTYPE trademark-applications-daily SYSTEM "trademark-applications-daily-v2-0.dtd">\n'
            b"<trademark-applications-daily>" + CASE.replace(b"&x;", b"ACME") + b"</trademark-applications-daily>")
    assert [m.name for m in iter_uspto(io.BytesIO(data), "daily.xml")] == ["ACME"]
