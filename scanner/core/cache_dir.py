"""Where listguard keeps its caches, and whether a path there may be trusted.

``$LISTGUARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/listguard``, else ``~/.cache/listguard``.
A directory or file not owned by this user, or writable by group or others, is never used.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_ENV = "LISTGUARD_CACHE_DIR"


def cache_root() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "listguard"


def safe(path: Path) -> bool:
    """Owned by us and not writable by group or others (symlinks are not followed)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return False
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def usable_dir(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    return safe(directory)
