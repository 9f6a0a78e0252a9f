"""Refresh a registry source from a published URL, safely.

``fetch_source(registry, url, source)``:

1. refuses anything but ``https`` (``http`` only with ``allow_http``, for local mirrors);
   follows at most ``max_redirects`` redirects itself, each only to http(s) and never from
   https down to plain http (even with ``allow_http``): a redirect to ``file://`` or a loop is
   a FetchError, not a library traceback;
2. sends ``If-None-Match`` / ``If-Modified-Since`` from the source's last fetch of the same
   URL; a ``304`` changes nothing;
3. uses connect/read timeouts and retries connection errors, timeouts, ``429`` and ``5xx``
   with exponential backoff, honouring ``Retry-After`` (seconds or an HTTP date, capped);
4. streams the body into memory up to ``max_bytes`` (a larger ``Content-Length`` is refused
   before reading), and treats a body shorter than its ``Content-Length`` as truncated;
5. gives the whole fetch (every attempt, redirect, wait and read) an overall ``deadline``:
   a server that drips its body a byte at a time, each within the read timeout, is dropped
   when the deadline passes (checked after every read: at most one read timeout late);
6. checks ``sha256`` when given, refuses an empty body or an HTML page, parses the whole
   file (any bad row fails it), refuses a list that shrank below ``min_ratio`` of what the
   source held (a truncated file cut at a row boundary), and only then swaps the source's
   marks in one transaction. A body identical to the last import (same checksum) is a no-op.

Any failure raises ``FetchError`` and leaves the registry exactly as it was.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable
from urllib.parse import urljoin, urlsplit

from trademarks.errors import RegistryError
from trademarks.importers import iter_marks_from_stream, looks_like_html
from trademarks.store import ImportResult, Registry

# requests (with urllib3 and charset_normalizer) takes about 0.15 s to import, and every
# listguard command imports this module through the CLI; only a fetch needs it, so the
# functions that talk HTTP import it themselves.
if TYPE_CHECKING:
    import requests

USER_AGENT = "listguard-registry-fetch/0.1 (+https://github.com/listguard/listguard)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


class FetchError(RegistryError):
    """A download that was refused or failed; the registry is unchanged."""


@dataclass
class FetchOptions:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # seconds; doubled each retry
    max_retry_after: float = 120.0  # a longer Retry-After is capped to this
    max_bytes: int = 512 * 1024 * 1024
    sha256: str | None = None
    allow_http: bool = False
    min_ratio: float = 0.5  # refuse a list smaller than this share of the source's marks
    kind: str | None = None  # csv, tsv, json, jsonl, uspto, wikidata (None: detect)
    deadline: float = 900.0  # seconds for the whole fetch: attempts, redirects, waits, reads
    max_redirects: int = MAX_REDIRECTS
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass(frozen=True)
class FetchResult:
    status: str  # "imported", "not-modified" or "unchanged"
    url: str
    source: str
    bytes: int = 0
    sha256: str = ""
    attempts: int = 1
    imported: ImportResult | None = None


def check_url(url: str, allow_http: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return
    if parts.scheme == "http" and parts.netloc:
        if allow_http:
            return
        raise FetchError(f"refusing plain http: {url}",
                         hint="use https, or --allow-http for a local mirror you trust")
    raise FetchError(f"not an http(s) URL: {url!r}", hint="pass https://host/path")


def check_redirect(current: str, target: str, allow_http: bool) -> None:
    """FetchError unless a redirect from ``current`` to ``target`` may be followed: to http(s)
    only, never from https to plain http, plain http only with ``allow_http``."""
    to = urlsplit(target)
    if to.scheme not in ("http", "https") or not to.netloc:
        raise FetchError(f"refusing a redirect to {target}", current,
                         hint="a trademark list is fetched over http(s) only")
    if urlsplit(current).scheme == "https" and to.scheme == "http":
        raise FetchError(f"refusing a redirect from https to plain http: {target}", current,
                         hint="the server downgrades the connection; ask for an https location")
    check_url(target, allow_http)


class _Deadline:
    """The moment the whole fetch must be over."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url, self.seconds = url, seconds
        self.started = time.monotonic()
        self.end = self.started + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self, doing: str = "") -> None:
        if time.monotonic() > self.end:
            raise self.error(doing)

    def error(self, doing: str = "") -> FetchError:
        took = time.monotonic() - self.started
        return FetchError(f"gave up at the {self.seconds:g} s deadline after {took:.1f} s{doing}", self.url,
                          hint="a server too slow or stalling; raise --deadline if the list is that large; "
                               "the registry is unchanged")


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), cap))


def _conditional_headers(registry: Registry, source: str, url: str) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    info = registry.source(source)
    if info and info.location == url and info.marks:
        if info.etag:
            headers["If-None-Match"] = info.etag
        if info.last_modified:
            headers["If-Modified-Since"] = info.last_modified
    return headers


def _get(session: requests.Session, url: str, headers: dict[str, str],
         opts: FetchOptions, deadline: _Deadline) -> tuple[requests.Response, bytes | None, int]:
    """GET with retries; returns (response, body or None for 304, attempts)."""
    import requests

    attempt = 0
    while True:
        attempt += 1
        delay = opts.backoff * 2 ** (attempt - 1)
        try:
            response = _follow(session, url, headers, opts, deadline)
            try:
                if response.status_code in RETRY_STATUSES and attempt <= opts.retries:
                    wait = _retry_after(response.headers.get("Retry-After"), opts.max_retry_after)
                    delay = delay if wait is None else wait
                else:
                    body = None if response.status_code == 304 else _read_body(response, opts, deadline)
                    return response, body, attempt
            finally:
                response.close()
        except (requests.ConnectionError, requests.Timeout) as err:
            deadline.check(f" (attempt {attempt})")
            if attempt > opts.retries:
                timed_out = isinstance(err, requests.Timeout) or "timed out" in str(err).lower()
                kind = "timed out" if timed_out else "connection failed"
                raise FetchError(f"{kind} after {attempt} attempt{'s' * (attempt > 1)}: {url}",
                                 hint="check the URL and the network; the registry is unchanged") from None
        if delay >= deadline.left():  # waiting would overrun the deadline: stop now
            raise deadline.error(f" (attempt {attempt}; the next would wait {delay:g} s)")
        opts.sleep(delay)


def _follow(session: requests.Session, url: str, headers: dict[str, str], opts: FetchOptions,
            deadline: _Deadline) -> requests.Response:
    """GET ``url`` following at most ``opts.max_redirects`` redirects, each checked first
    (check_redirect). requests' own following is off: it would follow a redirect to any scheme
    its adapters know, up to 30 of them, and end a loop or a file:// URL in a traceback."""
    current = url
    for _ in range(opts.max_redirects + 1):
        deadline.check()
        timeout = (opts.connect_timeout, max(0.1, min(opts.read_timeout, deadline.left())))
        response = session.get(current, headers=headers, stream=True, timeout=timeout, allow_redirects=False)
        location = response.headers.get("Location")
        if response.status_code not in REDIRECT_STATUSES or not location:
            return response
        response.close()
        target = urljoin(current, location)
        check_redirect(current, target, opts.allow_http)
        current = target
    raise FetchError(f"too many redirects (more than {opts.max_redirects})", url,
                     hint="a redirect loop? check the URL; the registry is unchanged")


def _read_body(response: requests.Response, opts: FetchOptions, deadline: _Deadline) -> bytes:
    import requests
    import urllib3.exceptions
    url = response.url
    if response.status_code != 200:
        raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".strip() + f" from {url}",
                         hint="the registry is unchanged")
    length = response.headers.get("Content-Length")
    declared = int(length) if length and length.isdigit() else None
    if declared is not None and declared > opts.max_bytes:
        raise FetchError(f"download of {declared} bytes exceeds the {opts.max_bytes}-byte limit",
                         url, hint="raise --max-bytes if this size is expected")
    buffer = io.BytesIO()
    # read1 (urllib3 2.1+) returns what has arrived (up to 64 KiB) instead of waiting for a
    # full chunk, so the deadline is looked at after every read however slowly the bytes come
    # (with an older urllib3, after every 64 KiB).
    read = getattr(response.raw, "read1", None) or response.raw.read
    try:
        while chunk := read(64 * 1024, decode_content=True):
            buffer.write(chunk)
            if buffer.tell() > opts.max_bytes:
                raise FetchError(f"download exceeds the {opts.max_bytes}-byte limit", url,
                                 hint="raise --max-bytes if this size is expected")
            deadline.check(f" with {buffer.tell()} bytes read")
    except urllib3.exceptions.ReadTimeoutError as err:  # retried, like a slow first byte
        raise requests.exceptions.ReadTimeout(err) from None
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError,
            urllib3.exceptions.HTTPError) as err:
        raise FetchError(f"download broken off after {buffer.tell()} bytes ({type(err).__name__})",
                         url, hint="truncated; the registry is unchanged") from None
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    if declared is not None and not encoded and buffer.tell() != declared:
        raise FetchError(f"truncated download: {buffer.tell()} of {declared} bytes", url,
                         hint="the registry is unchanged; try again")
    return buffer.getvalue()


def _validate(body: bytes, response: requests.Response, opts: FetchOptions) -> str:
    url = response.url
    digest = hashlib.sha256(body).hexdigest()
    if opts.sha256 and digest != opts.sha256.strip().lower():
        raise FetchError(f"sha256 mismatch: got {digest}", url,
                         hint="the file is not the one you expected; the registry is unchanged")
    if not body.strip():
        raise FetchError("empty download", url, hint="the registry is unchanged")
    content_type = response.headers.get("Content-Type", "").lower()
    if "text/html" in content_type or looks_like_html(body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")):
        raise FetchError("got an HTML page instead of a trademark list", url,
                         hint="a login, error or landing page; check the URL")
    return digest


def fetch_source(registry: Registry, url: str, source: str, opts: FetchOptions | None = None,
                 session: requests.Session | None = None) -> FetchResult:
    """Download ``url`` and replace the marks of ``source`` with it (see the module doc)."""
    opts = opts or FetchOptions()
    check_url(url, opts.allow_http)
    own = session is None
    if session is None:
        import requests

        session = requests.Session()
    try:
        response, body, attempts = _get(session, url, _conditional_headers(registry, source, url), opts,
                                        _Deadline(url, opts.deadline))
    finally:
        if own:
            session.close()
    if body is None:
        return FetchResult("not-modified", url, source, attempts=attempts)
    digest = _validate(body, response, opts)
    info = registry.source(source)
    if info and info.checksum == digest and info.location == url and info.marks:
        return FetchResult("unchanged", url, source, len(body), digest, attempts)
    marks = list(iter_marks_from_stream(io.BytesIO(body), url, opts.kind, source))
    if info and info.marks and len(marks) < info.marks * opts.min_ratio:
        raise FetchError(f"the download holds {len(marks)} marks, the source had {info.marks}",
                         url, hint="a truncated file? pass --min-ratio 0 to accept the shrink")
    result = registry.import_marks(marks, source, replace=True, checksum=digest, kind="url",
                                   location=url, etag=response.headers.get("ETag", ""),
                                   last_modified=response.headers.get("Last-Modified", ""))
    return FetchResult("imported", url, source, len(body), digest, attempts, result)
