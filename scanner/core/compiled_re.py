"""``re.compile`` for the big Unicode patterns, with the compiled program kept on disk.

Compiling a character class over the CJK blocks walks every code point of it in Python
(``re._compiler._optimize_charset``): the normaliser's few such patterns cost a fresh process
more instructions than Python's own start-up (callgrind: 320M against 88M), which a one-shot
``listguard check`` or a pre-commit hook pays every time. What ``re`` makes of a pattern, its
opcode list, depends only on the pattern, the flags and the ``re`` engine, so it is kept in
the cache directory (``regex/``) under a digest of those, and handed back to ``_sre.compile``
(as ``re`` itself does) on the next start; ``_sre`` validates the program before using it.

Anything unexpected (another Python, an unreadable, foreign or altered file, a changed
private API) falls back to ``re.compile``: this is only ever a faster path to the same
pattern. tests/test_compiled_re.py holds the two to the same matches.
"""

from __future__ import annotations

import hashlib
import importlib
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

from scanner.core.cache_dir import cache_root, safe, usable_dir

try:  # CPython's own engine, private: typed as Any, and any surprise falls back to re.compile
    _sre: Any = importlib.import_module("_sre")
    _compiler: Any = importlib.import_module("re._compiler")
    _parser: Any = importlib.import_module("re._parser")
except ImportError:  # another interpreter: plain re.compile
    _sre = None

_ENGINE = f"{sys.version}|{getattr(_sre, 'MAGIC', '')}|{getattr(_sre, 'CODESIZE', '')}"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the on-disk cache when it holds the program."""
    if _sre is None:
        return re.compile(pattern, flags)
    directory = cache_root() / "regex"
    digest = hashlib.sha256(f"{_ENGINE}|{flags}|{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = directory / (digest + ".marshal")
    try:
        if safe(path):
            loaded = _load(path, pattern)
            if loaded is not None:
                return loaded
    except Exception:  # a foreign or damaged entry: compile as usual, rewrite it
        pass
    return _compile_and_keep(pattern, flags, directory, path)


def _load(path: Path, pattern: str) -> re.Pattern[str] | None:
    record = marshal.loads(path.read_bytes())
    if not (isinstance(record, tuple) and len(record) == 5 and record[0] == pattern):
        return None
    _, final_flags, code, groupindex, indexgroup = record
    if not (isinstance(final_flags, int) and isinstance(code, list) and all(type(c) is int for c in code)
            and isinstance(groupindex, dict) and isinstance(indexgroup, tuple)):
        return None
    return _sre.compile(pattern, final_flags, code, len(indexgroup) - 1, groupindex, indexgroup)


def _compile_and_keep(pattern: str, flags: int, directory: Path, path: Path) -> re.Pattern[str]:
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        final_flags = flags | parsed.state.flags
        compiled = _sre.compile(pattern, final_flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except Exception:  # the private API moved: the public one
        return re.compile(pattern, flags)
    if usable_dir(directory):
        try:  # opcodes are int subclasses: plain ints for marshal
            data = marshal.dumps((pattern, int(final_flags), [int(c) for c in code], groupindex, tuple(indexgroup)))
        except ValueError:
            return compiled
        _write(path, data)
    return compiled


def _write(path: Path, data: bytes) -> None:
    import tempfile  # only when writing: its import costs a one-shot process more than reading

    try:
        handle, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # not writable: compiled again next time
