"""A real threaded HTTP server on 127.0.0.1 whose routes misbehave on purpose."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

Route = Callable[["Handler"], None]


@dataclass
class Server:
    httpd: ThreadingHTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)


class Handler(BaseHTTPRequestHandler):
    server_state: Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        state = self.server.state  # type: ignore[attr-defined]
        state.log.append((self.path, {k: v for k, v in self.headers.items()}))
        route = state.routes.get(self.path)
        if route is None:
            self.reply(404, b"not found", "text/plain")
            return
        route(self)

    def reply(self, status: int, body: bytes, content_type: str = "text/csv; charset=utf-8",
              headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if length is not None and length != len(body):
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # clients that time out on purpose leave broken pipes behind


def start() -> Server:
    httpd = _Quiet(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state = Server(httpd)
    httpd.state = state  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return state


def slow(seconds: float, route: Route) -> Route:
    def handler(h: Handler) -> None:
        time.sleep(seconds)
        route(h)
    return handler


def sequence(*routes: Route) -> Route:
    """Each request takes the next route; the last one repeats."""
    calls = {"n": 0}

    def handler(h: Handler) -> None:
        index = min(calls["n"], len(routes) - 1)
        calls["n"] += 1
        routes[index](h)
    return handler
