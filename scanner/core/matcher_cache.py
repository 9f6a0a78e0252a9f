"""A cache of built matchers, so a second scan against the same registry does not rebuild.

The key is a SHA-256 over: a format version, the code and lexicons the automaton depends on
(``matcher.py``, ``index.py``, ``normalize.py``, ``lexicons/*.tsv``), and the caller's parts
(the registry ``fingerprint()``, a digest of the bundled list and of any ``--marks`` files).
Any change to a mark, a lexicon or the folding code is a different key, hence a rebuild.

Files live in ``$LISTGUARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/listguard/automata``, else
``~/.cache/listguard/automata``. The cache is never trusted blindly:

* nothing is pickled: the automaton stores integers and its key table is JSON
  (``Matcher.save``); ``Matcher.load`` checks the automaton's SHA-256 against the table
  before pyahocorasick parses it, so a corrupt or partial file is rebuilt, not loaded;
* a directory or file not owned by this user, or writable by group/others, is ignored
  (built in memory, nothing written there);
* entries are written under a temporary name and renamed into place; only the newest
  ``KEEP`` entries are kept.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Sequence

from scanner.core.index import key_pairs
from scanner.core.lexicons import all_cues
from scanner.core.matcher import CorruptCache, Matcher
from trademarks.models import Mark

CACHE_ENV = "LISTGUARD_CACHE_DIR"
FORMAT = "listguard-matcher-cache-1"
KEEP = 8
_SUFFIX = ".automaton"


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "listguard" / "automata"


def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    files = [here / "matcher.py", here / "index.py", here / "normalize.py",
             *sorted((here / "lexicons").glob("*.tsv"))]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(parts: Sequence[str]) -> str:
    digest = hashlib.sha256(FORMAT.encode() + b"\0" + _code_digest().encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()[:40]


def _safe(path: Path) -> bool:
    """Owned by us and not writable by group or others (symlinks are not followed)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return False
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _usable_dir(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    return _safe(directory)


def cached_matcher(marks: Sequence[Mark], parts: Sequence[str],
                   directory: Path | None = None) -> tuple[Matcher, str]:
    """The matcher for ``marks`` (plus the bundled cues), loaded from the cache when a valid
    entry exists. Returns (matcher, state): ``hit``, ``built``, ``rebuilt`` (the entry was
    corrupt) or ``uncached`` (the directory is unusable or unsafe)."""
    directory = directory or cache_dir()
    build = lambda: Matcher.build(key_pairs(list(marks), all_cues()))  # noqa: E731 (built only on a miss)
    if not _usable_dir(directory):
        return build(), "uncached"
    base = directory / (cache_key(parts) + _SUFFIX)
    keys_file = Path(str(base) + ".keys.json")
    state = "built"
    if base.exists() or keys_file.exists():
        if _safe(base) and _safe(keys_file):
            try:
                return Matcher.load(str(base)), "hit"
            except CorruptCache:
                pass
        state = "rebuilt"
    matcher = build()
    _store(matcher, base, directory)
    _prune(directory)
    return matcher, state


def _store(matcher: Matcher, base: Path, directory: Path) -> None:
    handle, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=directory)
    os.close(handle)
    try:
        matcher.save(tmp_name)
        os.replace(tmp_name, base)
        os.replace(tmp_name + ".keys.json", str(base) + ".keys.json")
    except OSError:
        pass  # a cache that cannot be written is only a slower next run
    finally:
        for leftover in (tmp_name, tmp_name + ".keys.json"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*" + _SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        for path in (old, Path(str(old) + ".keys.json")):
            try:
                path.unlink()
            except OSError:
                pass
