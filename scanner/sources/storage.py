"""Where inputs live: local paths, or any URL fsspec reaches (``s3://``, ``gs://``, ``abfs://``,
``https://``...), read only.

Local paths (and ``file://`` URLs) are opened with plain ``open()``: a local run needs no extra
package and behaves exactly as before. Only a remote URL imports fsspec (the ``dask`` extra);
without it the run stops with one line saying what to install. ``Storage`` is small, frozen and
picklable: a Dask task carries it to the worker that opens the same URL.

Storage options (``--storage-option KEY=VALUE``, the config key ``storage-option``) are passed
to the filesystem of every remote URL: ``endpoint_url=http://127.0.0.1:9000``, ``anon=true``.
A value that reads as JSON (``true``, ``3``, ``{"a": 1}``) is that value, else the string; a
dotted key nests (``client_kwargs.region_name=eu-west-1``). Credentials are best left to the
filesystem's own chain (``AWS_*`` variables, ``~/.aws``, instance roles), never a config file.
"""

from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, Sequence
from urllib.parse import unquote, urlparse

from scanner.errors import InputError, UsageError

EXTRA_HINT = "pip install 'listguard[dask]'"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_GLOB = re.compile(r"[*?\[]")


def is_url(path: str) -> bool:
    """A remote URL (read through fsspec); ``file://`` is local."""
    return bool(_SCHEME.match(path)) and not path.startswith("file://")


def local_path(path: str) -> str:
    """The file a local path or ``file://`` URL names."""
    if path.startswith("file://"):
        return unquote(urlparse(path).path)
    return path


def parse_options(pairs: Sequence[str], where: str = "--storage-option") -> tuple[tuple[str, Any], ...]:
    """``KEY=VALUE`` strings as (key, value) pairs (see the module docstring); UsageError for
    a pair without ``=``."""
    parsed = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{where} {pair!r}: expected KEY=VALUE, e.g. endpoint_url=http://127.0.0.1:9000")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        parsed.append((key.strip(), _freeze(value)))
    return tuple(parsed)


def _freeze(value: Any) -> Any:
    """JSON objects and lists as tuples, so a Storage stays hashable."""
    if isinstance(value, dict):
        return ("__dict__", tuple((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__", tuple(_freeze(v) for v in value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__dict__":
        return {k: _thaw(v) for k, v in value[1]}
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__list__":
        return [_thaw(v) for v in value[1]]
    return value


def _fsspec() -> Any:
    try:
        import fsspec  # type: ignore[import-untyped]  # fsspec ships no py.typed
    except ImportError:
        raise UsageError(f"reading a URL needs fsspec: {EXTRA_HINT}") from None
    return fsspec


@dataclass(frozen=True)
class Storage:
    """Opens inputs and output locations, local or remote, with one set of storage options."""

    options: tuple[tuple[str, Any], ...] = ()

    def kwargs(self) -> dict[str, Any]:
        """The options as filesystem keyword arguments, dotted keys nested."""
        out: dict[str, Any] = {}
        for key, value in self.options:
            *parents, leaf = key.split(".")
            target = out
            for part in parents:
                target = target.setdefault(part, {})
            target[leaf] = _thaw(value)
        return out

    def filesystem(self, url: str) -> tuple[Any, str]:
        """(fsspec filesystem, path within it) for a remote URL."""
        fsspec = _fsspec()
        try:
            return fsspec.core.url_to_fs(url, **self.kwargs())
        except ImportError as err:  # s3fs, gcsfs, adlfs: one package per protocol
            raise UsageError(f"{url}: {err}; {EXTRA_HINT} (s3fs), or gcsfs / adlfs for gs:// / abfs://") from None
        except (ValueError, TypeError) as err:
            raise UsageError(f"{url}: bad storage options ({err})") from None

    def open(self, path: str, block_size: int | None = None) -> BinaryIO:
        """The file opened for binary reading (seekable); InputError naming it when it cannot be."""
        if not is_url(path):
            return _open_local(local_path(path), path)
        fs, inner = self.filesystem(path)
        extra = {"block_size": block_size} if block_size else {}
        try:
            return fs.open(inner, "rb", **extra)
        except FileNotFoundError:
            raise InputError("no such file", path, hint="check the URL") from None
        except IsADirectoryError:
            raise InputError("is a directory, not a file", path, hint="name a catalog export file") from None
        except Exception as err:  # network and credential errors come in many classes
            raise InputError(f"cannot open ({_one_line(err)})", path,
                             hint="check the URL, the credentials and --storage-option") from None

    def size(self, path: str) -> int | None:
        """Size in bytes of a regular file; None for stdin, a directory or a missing file."""
        if path == "-":
            return None
        if not is_url(path):
            local = local_path(path)
            return os.path.getsize(local) if os.path.isfile(local) else None
        fs, inner = self.filesystem(path)
        try:
            info = fs.info(inner)
        except Exception:  # missing or unreachable: the reader reports it with its own message
            return None
        size = info.get("size")
        return int(size) if info.get("type", "file") == "file" and size is not None else None

    def expand(self, paths: Sequence[str]) -> list[str]:
        """Inputs with globs expanded, in order (sorted within one glob). A local path is taken
        as given unless it does not exist and holds a glob character (a quoted pattern); a
        pattern that matches nothing is an InputError."""
        out: list[str] = []
        for path in paths:
            if path == "-" or not _GLOB.search(path):
                out.append(path)
            elif is_url(path):
                fs, inner = self.filesystem(path)
                try:
                    found = sorted(fs.glob(inner))
                except Exception as err:
                    raise InputError(f"cannot list ({_one_line(err)})", path,
                                     hint="check the URL, the credentials and --storage-option") from None
                found = [p for p in found if fs.isfile(p)] if found else []
                if not found:
                    raise InputError("no file matches this pattern", path, hint="check the URL and the pattern")
                out.extend(fs.unstrip_protocol(p) for p in found)
            else:
                local = local_path(path)
                if os.path.exists(local):
                    out.append(path)
                    continue
                found = sorted(glob.glob(local))
                if not found:
                    raise InputError("no file matches this pattern", path, hint="check the path and the pattern")
                out.extend(found)
        return out


def _open_local(local: str, display: str) -> BinaryIO:
    if os.path.isdir(local):
        raise InputError("is a directory, not a file", display, hint="name a catalog export file")
    try:
        return open(local, "rb")
    except FileNotFoundError:
        raise InputError("no such file", display, hint="check the path") from None
    except OSError as err:
        raise InputError(f"cannot open ({err.strerror})", display) from None


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 200 else text[:197] + "..."


LOCAL = Storage()
