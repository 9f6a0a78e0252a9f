"""Issue 14, fault 5: `marks fetch` follows redirects only to http(s), never from https down to
plain http, at most MAX_REDIRECTS of them, and gives up at an overall deadline however slowly a
server drips its body. Against a real HTTP server on 127.0.0.1; every failure is one
FetchError (one line, exit 3 from the CLI) and leaves the registry exactly as it was."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from scanner.cli import main
from trademarks.fetch import FetchError, FetchOptions, check_redirect, fetch_source

from . import httpserver
from .conftest import snapshot

GOOD = b'mark,owner,classes\nNike,"Nike, Inc.",25\nAdidas,adidas AG,25\n'


def redirect(location: str, code: int = 302) -> httpserver.Route:
    return lambda h: h.reply(code, b"", "text/plain", headers={"Location": location}, length=0)


def ok(body: bytes) -> httpserver.Route:
    return lambda h: h.reply(200, body)


def drip(h: httpserver.Handler) -> None:
    """Headers at once, then one byte every 0.2 s: each read is well within the read timeout."""
    h.send_response(200)
    h.send_header("Content-Type", "text/csv")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    try:
        for _ in range(500):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:  # the client gave up: what the test wants
        pass


@pytest.fixture
def server():
    srv = httpserver.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def options(**kw) -> FetchOptions:
    base = dict(allow_http=True, connect_timeout=2, read_timeout=2, retries=0, sleep=lambda s: None)
    base.update(kw)
    return FetchOptions(**base)


def refused(registry, db_path, url: str, match: str, **kw) -> FetchError:
    before = snapshot(db_path)
    with pytest.raises(FetchError, match=match) as caught:
        fetch_source(registry, url, "feed", options(**kw))
    assert snapshot(db_path) == before
    return caught.value


def test_redirect_to_a_file_url_is_refused(registry, server, db_path):
    server.routes["/list.csv"] = redirect("file:///etc/passwd")
    error = refused(registry, db_path, server.url("/list.csv"), "refusing a redirect")
    assert str(error) == (f"{server.url('/list.csv')}: refusing a redirect to file:///etc/passwd "
                          "(a trademark list is fetched over http(s) only)")


def test_redirect_loop_is_capped(registry, server, db_path):
    server.routes["/a.csv"] = redirect("/b.csv")
    server.routes["/b.csv"] = redirect("/a.csv", 301)
    error = refused(registry, db_path, server.url("/a.csv"), "too many redirects")
    assert str(error).startswith(f"{server.url('/a.csv')}: too many redirects (more than 5)")
    assert server.hits("/a.csv") + server.hits("/b.csv") == 6


def test_a_redirect_on_the_same_scheme_is_followed(registry, server):
    server.routes["/old.csv"] = redirect("/new.csv", 308)
    server.routes["/new.csv"] = ok(GOOD)
    result = fetch_source(registry, server.url("/old.csv"), "feed", options())
    assert result.status == "imported" and [m.name for m in registry.marks(source="feed")] == ["Nike", "Adidas"]


@pytest.mark.parametrize("current, target, allow_http, error", [
    ("https://a.example/l.csv", "http://a.example/l.csv", True, "refusing a redirect from https to plain http"),
    ("https://a.example/l.csv", "ftp://a.example/l.csv", False, "refusing a redirect to ftp://"),
    ("http://a.example/l.csv", "file:///etc/passwd", True, "refusing a redirect to file://"),
    ("https://a.example/l.csv", "https://cdn.example/l.csv", False, None),
    ("http://mirror.local/l.csv", "https://mirror.local/l.csv", True, None),  # an upgrade is fine
    ("http://mirror.local/l.csv", "http://mirror.local/l2.csv", True, None),
])
def test_which_redirects_are_followed(current, target, allow_http, error):
    if error is None:
        check_redirect(current, target, allow_http)
    else:
        with pytest.raises(FetchError, match=error):
            check_redirect(current, target, allow_http)


def test_a_dripping_server_meets_the_overall_deadline(registry, server, db_path):
    server.routes["/drip.csv"] = drip
    started = time.monotonic()
    error = refused(registry, db_path, server.url("/drip.csv"), "deadline", read_timeout=2, deadline=1.0)
    took = time.monotonic() - started
    assert str(error).startswith(f"{server.url('/drip.csv')}: gave up at the 1 s deadline after ")
    assert took < 3.0  # the deadline, plus at most one read timeout


def test_the_deadline_counts_retries_too(registry, server, db_path):
    server.routes["/busy.csv"] = lambda h: h.reply(503, b"busy", "text/plain", headers={"Retry-After": "30"})
    started = time.monotonic()
    refused(registry, db_path, server.url("/busy.csv"), "deadline", retries=5, deadline=1.0, sleep=time.sleep)
    assert time.monotonic() - started < 2.0


def test_cli_drip_is_one_line_exit_3(server, tmp_path):
    server.routes["/drip.csv"] = drip
    db = tmp_path / "r.db"
    result = CliRunner().invoke(main, ["marks", "fetch", server.url("/drip.csv"), "--source", "feed", "--allow-http",
                                       "--timeout", "2", "--deadline", "1", "--retries", "0", "--db", str(db)])
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.startswith(f"listguard: error: {server.url('/drip.csv')}: gave up at the 1 s deadline after ")
