"""fetch against a real HTTP server on 127.0.0.1; every failure leaves the registry unchanged."""

from __future__ import annotations

import hashlib
import time

import pytest

from trademarks.errors import ListFormatError, RegistryError
from trademarks.fetch import FetchError, FetchOptions, check_url, fetch_source

from . import httpserver
from .conftest import snapshot

GOOD = ("mark,aliases,owner,classes\n"
        "Nike,耐克,\"Nike, Inc.\",25\n"
        "Adidas,阿迪达斯,adidas AG,25\n"
        "Dove,多芬,Unilever,3\n").encode()
GOOD_V2 = GOOD + "Apple,苹果,Apple Inc.,9\n".encode()
SHA = hashlib.sha256(GOOD).hexdigest()


def ok(body: bytes, **headers: str) -> httpserver.Route:
    return lambda h: h.reply(200, body, headers=headers)


def status(code: int, **headers: str) -> httpserver.Route:
    return lambda h: h.reply(code, b"error", "text/plain", headers=headers)


@pytest.fixture
def server():
    srv = httpserver.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def opts(sleeps):
    def make(**kw):
        base = dict(allow_http=True, connect_timeout=2, read_timeout=2, retries=2, backoff=0.25,
                    sleep=sleeps.append)
        base.update(kw)
        return FetchOptions(**base)
    return make


@pytest.fixture
def seeded(registry, server, opts, db_path):
    """A registry whose 'feed' source already holds GOOD, fetched from the server."""
    server.routes["/seed.csv"] = ok(GOOD)
    fetch_source(registry, server.url("/seed.csv"), "feed", opts())
    server.log.clear()
    return registry


def test_fetch_imports_and_records_the_source(registry, server, opts):
    server.routes["/m.csv"] = ok(GOOD, ETag='"v1"', **{"Last-Modified": "Wed, 01 May 2024 10:00:00 GMT"})
    result = fetch_source(registry, server.url("/m.csv"), "feed", opts(sha256=SHA))
    assert (result.status, result.bytes, result.sha256, result.attempts) == ("imported", len(GOOD), SHA, 1)
    assert [m.name for m in registry.marks(source="feed")] == ["Nike", "Adidas", "Dove"]
    src = registry.source("feed")
    assert (src.kind, src.location, src.checksum, src.etag, src.last_modified, src.marks) == (
        "url", server.url("/m.csv"), SHA, '"v1"', "Wed, 01 May 2024 10:00:00 GMT", 3)


def test_etag_304_changes_nothing(registry, server, opts, db_path):
    def conditional(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.reply(304, b"", length=0)
        else:
            h.reply(200, GOOD, headers={"ETag": '"v1"'})
    server.routes["/m.csv"] = conditional
    fetch_source(registry, server.url("/m.csv"), "feed", opts())
    before = snapshot(db_path)
    result = fetch_source(registry, server.url("/m.csv"), "feed", opts())
    assert result.status == "not-modified"
    assert server.log[-1][1]["If-None-Match"] == '"v1"'
    assert snapshot(db_path) == before


def test_if_modified_since_sent_and_same_body_is_unchanged(registry, server, opts, db_path):
    server.routes["/m.csv"] = ok(GOOD, **{"Last-Modified": "Wed, 01 May 2024 10:00:00 GMT"})
    fetch_source(registry, server.url("/m.csv"), "feed", opts())
    before = snapshot(db_path)
    result = fetch_source(registry, server.url("/m.csv"), "feed", opts())
    assert server.log[-1][1]["If-Modified-Since"] == "Wed, 01 May 2024 10:00:00 GMT"
    assert result.status == "unchanged"  # server ignored the condition, body identical
    assert snapshot(db_path) == before


def test_new_version_replaces_the_source_atomically(seeded, server, opts):
    server.routes["/v2.csv"] = ok(GOOD_V2)
    result = fetch_source(seeded, server.url("/v2.csv"), "feed", opts())
    assert (result.imported.imported, result.imported.replaced, result.imported.total) == (4, 3, 4)
    assert [m.name for m in seeded.marks(source="feed")] == ["Nike", "Adidas", "Dove", "Apple"]


def test_500_then_200_is_retried_with_backoff(registry, server, opts, sleeps):
    server.routes["/m.csv"] = httpserver.sequence(status(500), status(503), ok(GOOD))
    result = fetch_source(registry, server.url("/m.csv"), "feed", opts())
    assert (result.status, result.attempts) == ("imported", 3)
    assert sleeps == [0.25, 0.5]
    assert server.hits("/m.csv") == 3


def test_429_respects_retry_after(registry, server, opts, sleeps):
    server.routes["/m.csv"] = httpserver.sequence(status(429, **{"Retry-After": "7"}), ok(GOOD))
    result = fetch_source(registry, server.url("/m.csv"), "feed", opts())
    assert (result.status, result.attempts, sleeps) == ("imported", 2, [7.0])


def test_retry_after_is_capped(registry, server, opts, sleeps):
    server.routes["/m.csv"] = httpserver.sequence(status(429, **{"Retry-After": "86400"}), ok(GOOD))
    fetch_source(registry, server.url("/m.csv"), "feed", opts(max_retry_after=5))
    assert sleeps == [5.0]


def _unchanged(registry, db_path, call, match):
    before = snapshot(db_path)
    with pytest.raises(RegistryError, match=match):
        call()
    assert snapshot(db_path) == before


def test_persistent_500_fails_after_retries(seeded, server, opts, db_path, sleeps):
    server.routes["/m.csv"] = status(500)
    _unchanged(seeded, db_path, lambda: fetch_source(seeded, server.url("/m.csv"), "feed", opts()),
               "HTTP 500")
    assert server.hits("/m.csv") == 3 and sleeps == [0.25, 0.5]


def test_404_is_not_retried(seeded, server, opts, db_path):
    _unchanged(seeded, db_path, lambda: fetch_source(seeded, server.url("/nope.csv"), "feed", opts()),
               "HTTP 404")
    assert server.hits("/nope.csv") == 1


def test_slow_server_times_out(seeded, server, opts, db_path):
    server.routes["/slow.csv"] = httpserver.slow(1.5, ok(GOOD))
    started = time.monotonic()
    _unchanged(seeded, db_path,
               lambda: fetch_source(seeded, server.url("/slow.csv"), "feed",
                                    opts(read_timeout=0.3, retries=1)),
               "timed out after 2 attempts")
    assert time.monotonic() - started < 1.5


def test_stalling_body_times_out(seeded, server, opts, db_path):
    def stall(h):
        h.send_response(200)
        h.send_header("Content-Length", str(len(GOOD)))
        h.end_headers()
        h.wfile.write(GOOD[:20])
        h.wfile.flush()
        time.sleep(1.5)
    server.routes["/stall.csv"] = stall
    _unchanged(seeded, db_path,
               lambda: fetch_source(seeded, server.url("/stall.csv"), "feed",
                                    opts(read_timeout=0.3, retries=0)), "timed out|broken off")


def test_connection_refused_is_retried_then_fails(seeded, opts, db_path, sleeps):
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _unchanged(seeded, db_path,
               lambda: fetch_source(seeded, f"http://127.0.0.1:{port}/m.csv", "feed", opts()),
               "connection failed after 3 attempts")
    assert sleeps == [0.25, 0.5]


def test_content_length_lie_is_truncation(seeded, server, opts, db_path):
    server.routes["/short.csv"] = lambda h: h.reply(200, GOOD_V2[:40], length=len(GOOD_V2))
    _unchanged(seeded, db_path,
               lambda: fetch_source(seeded, server.url("/short.csv"), "feed", opts(retries=0)),
               "broken off|truncated")


def test_html_instead_of_csv(seeded, server, opts, db_path):
    page = b"<!DOCTYPE html><html><body>Please log in</body></html>"
    server.routes["/html.csv"] = lambda h: h.reply(200, page, "text/html")
    server.routes["/lying.csv"] = lambda h: h.reply(200, page, "text/csv")
    for path in ("/html.csv", "/lying.csv"):
        _unchanged(seeded, db_path, lambda path=path: fetch_source(seeded, server.url(path), "feed", opts()),
                   "HTML page instead")


def test_empty_body(seeded, server, opts, db_path):
    server.routes["/empty.csv"] = ok(b"")
    _unchanged(seeded, db_path, lambda: fetch_source(seeded, server.url("/empty.csv"), "feed", opts()),
               "empty download")


def test_oversize_declared_and_streamed(seeded, server, opts, db_path):
    big = GOOD + b"".join(f"Brand{i},,Owner,25\n".encode() for i in range(2000))
    server.routes["/big.csv"] = ok(big)

    def chunked(h):  # no Content-Length: the cap must hold while streaming
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for start in range(0, len(big), 1000):
            piece = big[start:start + 1000]
            h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")
    server.routes["/chunked.csv"] = chunked
    for path in ("/big.csv", "/chunked.csv"):
        _unchanged(seeded, db_path,
                   lambda path=path: fetch_source(seeded, server.url(path), "feed", opts(max_bytes=5000)),
                   "exceeds the 5000-byte limit")


def test_bad_sha256(seeded, server, opts, db_path):
    server.routes["/v2.csv"] = ok(GOOD_V2)
    _unchanged(seeded, db_path,
               lambda: fetch_source(seeded, server.url("/v2.csv"), "feed", opts(sha256="0" * 64)),
               "sha256 mismatch")


def test_malformed_list(seeded, server, opts, db_path):
    server.routes["/bad.csv"] = ok(GOOD_V2 + b"Broken,,Owner,99\n")
    before = snapshot(db_path)
    with pytest.raises(ListFormatError, match=r"/bad.csv:6: Nice class out of range"):
        fetch_source(seeded, server.url("/bad.csv"), "feed", opts())
    assert snapshot(db_path) == before


def test_row_boundary_truncation_is_caught_by_shrink_guard(seeded, server, opts, db_path):
    server.routes["/cut.csv"] = ok(GOOD.split(b"\n")[0] + b"\n" + GOOD.split(b"\n")[1] + b"\n")
    _unchanged(seeded, db_path, lambda: fetch_source(seeded, server.url("/cut.csv"), "feed", opts()),
               "holds 1 marks, the source had 3")
    result = fetch_source(seeded, server.url("/cut.csv"), "feed", opts(min_ratio=0))
    assert result.imported.total == 1


def test_http_refused_without_allow_http(seeded, server, opts, db_path):
    server.routes["/m.csv"] = ok(GOOD_V2)
    _unchanged(seeded, db_path,
               lambda: fetch_source(seeded, server.url("/m.csv"), "feed", opts(allow_http=False)),
               "refusing plain http")
    assert server.hits("/m.csv") == 0


def test_check_url():
    check_url("https://example.com/x.csv", False)
    for bad in ("ftp://example.com/x", "file:///etc/passwd", "example.com/x.csv", "https://"):
        with pytest.raises(FetchError, match="not an http"):
            check_url(bad, True)


def test_fetch_uspto_xml(registry, server, opts):
    from pathlib import Path
    xml = (Path(__file__).parents[2] / "fixtures/uspto/apc-daily-sample.xml").read_bytes()
    server.routes["/apc.xml"] = lambda h: h.reply(200, xml, "application/xml")
    result = fetch_source(registry, server.url("/apc.xml"), "uspto", opts())
    assert result.imported.total == 4
