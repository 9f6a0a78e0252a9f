"""A cache of built matchers and key indexes, so a second scan with the same marks does not
rebuild: the bundled list (``listguard check`` starts from it) and a registry alike.

The key is a SHA-256 over: a format version, the code and lexicons the automaton depends on
(``matcher.py``, ``index.py``, ``normalize.py``, ``lexicons/*.tsv``), and the caller's parts
(the registry ``fingerprint()``, a digest of the bundled list and of any ``--marks`` files).
Any change to a mark, a lexicon or the folding code is a different key, hence a rebuild.

Files live in ``$LISTGUARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/listguard/automata``, else
``~/.cache/listguard/automata``. The cache is never trusted blindly:

* nothing is pickled: the automaton stores integers and its key table is JSON
  (``Matcher.save``); ``Matcher.load`` checks the automaton's size and SHA-256 (worked out
  while writing) against the table before pyahocorasick parses it, so a corrupt or partial
  file is rebuilt, not loaded;
* beside them, ``.index`` holds the marks (one JSON record each, behind a table of offsets:
  a Mark is made the first time a hit needs it) and what ``build_index`` works out by walking
  every mark (``IndexParts``), behind a header that carries the SHA-256 of the rest: a warm
  start reads a million marks neither from SQLite nor into objects;
* a directory or file not owned by this user, or writable by group/others, is ignored
  (built in memory, nothing written there);
* entries are written under a temporary name and renamed into place; only the newest
  ``KEEP`` entries are kept.
"""

from __future__ import annotations

import array
import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, overload

from scanner.core.cache_dir import CACHE_ENV, cache_root, safe, usable_dir
from scanner.core.index import IndexParts, KeyIndex, build_index
from scanner.core.matcher import CorruptCache, Matcher
from trademarks.models import Mark

FORMAT = "listguard-matcher-cache-2"
_INDEX = ".index"
_INDEX_MAGIC = b"listguard-index-1\n"
KEEP = 8
_SUFFIX = ".automaton"


def cache_dir() -> Path:
    return Path(os.environ[CACHE_ENV]).expanduser() if os.environ.get(CACHE_ENV) else cache_root() / "automata"


def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    files = [here / "matcher.py", here / "index.py", here / "normalize.py", here / "matcher_cache.py",
             here / "segment.py",
             here.parent.parent / "trademarks" / "models.py",
             # the bundled list's exceptions are every list's ordinary phrases (lexicons.ordinary_phrases)
             here.parent.parent / "trademarks" / "data" / "marks.csv", *sorted((here / "lexicons").glob("*.tsv")),
             *sorted((here / "lexicons").glob("*.txt"))]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(parts: Sequence[str]) -> str:
    digest = hashlib.sha256(FORMAT.encode() + b"\0" + _code_digest().encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()[:40]


_safe = safe
_usable_dir = usable_dir


def cached_matcher(marks: Sequence[Mark], parts: Sequence[str],
                   directory: Path | None = None) -> tuple[Matcher, str]:
    """The matcher for ``marks`` (plus the bundled cues); see :func:`cached_index`."""
    index, state = cached_index(lambda: marks, parts, directory)
    return index.matcher, state


def cached_index(load_marks: Callable[[], Sequence[Mark]], parts: Sequence[str],
                 directory: Path | None = None) -> tuple[KeyIndex, str]:
    """The key index for the marks ``load_marks()`` returns, loaded from the cache when a
    valid entry exists for ``parts`` (which must identify those marks: a registry
    fingerprint, file digests); ``load_marks`` is called only to build. Returns (index,
    state): ``hit``, ``built``, ``rebuilt`` (the entry was corrupt) or ``uncached`` (the
    directory is unusable or unsafe)."""
    directory = directory or cache_dir()
    if not _usable_dir(directory):
        return build_index(load_marks()), "uncached"
    base = directory / (cache_key(parts) + _SUFFIX)
    files = [base, Path(str(base) + ".keys.json"), Path(str(base) + _INDEX)]
    state = "built"
    if any(path.exists() for path in files):
        if all(_safe(path) for path in files):
            try:
                return _load(base), "hit"
            except CorruptCache:
                pass
        state = "rebuilt"
    index = build_index(load_marks())
    _store(index, base, directory)
    _prune(directory)
    return index, state


def _load(base: Path) -> KeyIndex:
    marks, index_parts, keys_digest = _read_index(Path(str(base) + _INDEX))
    if _file_digest(Path(str(base) + ".keys.json")) != keys_digest:
        raise CorruptCache(f"{base}: key table does not match its digest")
    matcher = Matcher.load(str(base))
    if len(index_parts.relevant) != len(matcher):
        raise CorruptCache(f"{base}: index and automaton differ in key count")
    return build_index(marks, matcher, index_parts)


def _store(index: KeyIndex, base: Path, directory: Path) -> None:
    handle, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=directory)
    os.close(handle)
    written = [tmp_name, tmp_name + ".keys.json", tmp_name + _INDEX]
    try:
        index.matcher.save(tmp_name)
        _write_index(index, tmp_name + _INDEX, _file_digest(Path(tmp_name + ".keys.json")))
        os.replace(tmp_name, base)
        os.replace(tmp_name + ".keys.json", str(base) + ".keys.json")
        os.replace(tmp_name + _INDEX, str(base) + _INDEX)  # last: an entry without it is incomplete
    except (OSError, ValueError):
        pass  # a cache that cannot be written is only a slower next run
    finally:
        for leftover in written:
            if os.path.exists(leftover):
                os.unlink(leftover)


# -- the .index file: marks and IndexParts ----------------------------------------------------

_TUPLE_FIELDS = frozenset(f.name for f in dataclasses.fields(Mark)
                          if str(f.type).startswith(("tuple", "typing.Tuple")))
_MARK_FIELDS = tuple(f.name for f in dataclasses.fields(Mark))


def _mark_record(mark: Mark) -> bytes:
    values = [getattr(mark, name) for name in _MARK_FIELDS]
    return json.dumps([dict(v) if name == "metadata" else v for name, v in zip(_MARK_FIELDS, values, strict=True)],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _mark_from(record: bytes) -> Mark:
    values = json.loads(record)
    fields: dict[str, Any] = {name: tuple(v) if name in _TUPLE_FIELDS else v
                              for name, v in zip(_MARK_FIELDS, values, strict=True)}
    return Mark(**fields)


class MarkTable(Sequence[Mark]):
    """The cached marks: each a JSON record in one buffer, made into a Mark when first read."""

    def __init__(self, blob: bytes, offsets: array.array[int]) -> None:
        self._blob = blob
        self._offsets = offsets
        self._made: dict[int, Mark] = {}
        self._list: list[Mark] | None = None

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Mark: ...
    @overload
    def __getitem__(self, index: slice) -> list[Mark]: ...

    def __getitem__(self, index: int | slice) -> Mark | list[Mark]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        mark = self._made.get(index)
        if mark is None:
            mark = self._made[index] = _mark_from(self._blob[self._offsets[index]:self._offsets[index + 1]])
        return mark

    def __iter__(self) -> Iterator[Mark]:
        # A walk over every mark makes them all once and keeps the list: code that walks the
        # marks per field then walks a list at C speed, as with a built index.
        if self._list is None:
            self._list = [self[i] for i in range(len(self))]
        return iter(self._list)


def _file_digest(path: Path) -> str:
    """Size and SHA-256 of a file (the key table: JSON, parsed safely, but a flipped byte in a
    key would still be a wrong answer)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return f"{len(data)}:{hashlib.sha256(data).hexdigest()}"


def _write_index(index: KeyIndex, path: str, keys_digest: str) -> None:
    records = [_mark_record(mark) for mark in index.marks]
    offsets = array.array("Q", [0])
    total = 0
    for record in records:
        total += len(record)
        offsets.append(total)
    body_head = json.dumps({
        "marks": len(records),
        "keys_digest": keys_digest,
        "relevant": "".join("1" if r else "0" for r in index.relevant),
        "exact_forms": [[i, sorted(forms)] for i, forms in sorted(index.exact_forms.items())],
        "firm_forms": sorted(index.firm_forms),
        # worked out here, at the cold build: the first short CJK hit of a warm run walked
        # every form of a million marks for it (seconds)
        "short_cjk_forms": sorted(index.short_cjk_forms),
        "kinds": [[i, form, kind] for (i, form), kind in sorted(index.kinds.items())],
        "near_forms": index.near_forms,
    }, ensure_ascii=False).encode("utf-8") + b"\n"
    pieces = [body_head, offsets.tobytes(), *records]
    digest = hashlib.sha256()
    size = 0
    for piece in pieces:
        digest.update(piece)
        size += len(piece)
    with open(path, "wb") as handle:
        handle.write(_INDEX_MAGIC + json.dumps({"size": size, "sha256": digest.hexdigest()}).encode() + b"\n")
        for piece in pieces:
            handle.write(piece)


def _read_index(path: Path) -> tuple[MarkTable, IndexParts, str]:
    try:
        data = path.read_bytes()
        if not data.startswith(_INDEX_MAGIC):
            raise CorruptCache(f"{path}: not an index cache")
        at = data.index(b"\n", len(_INDEX_MAGIC)) + 1
        check = json.loads(data[len(_INDEX_MAGIC):at])
        body = memoryview(data)[at:]
        if len(body) != check["size"] or hashlib.sha256(body).hexdigest() != check["sha256"]:
            raise CorruptCache(f"{path}: checksum does not match")
        end = data.index(b"\n", at) + 1
        head = json.loads(data[at:end])
        count = int(head["marks"])
        offsets = array.array("Q")
        offsets.frombytes(data[end:end + 8 * (count + 1)])
        blob = data[end + 8 * (count + 1):]
        if len(offsets) != count + 1 or offsets[-1] != len(blob):
            raise CorruptCache(f"{path}: mark offsets do not match")
        parts = IndexParts({int(i): frozenset(forms) for i, forms in head["exact_forms"]},
                           [c == "1" for c in head["relevant"]], frozenset(head["firm_forms"]),
                           frozenset(head["short_cjk_forms"]),
                           {(int(i), str(form)): str(kind) for i, form, kind in head["kinds"]},
                           {variant: [(str(form), int(i)) for form, i in found]
                            for variant, found in head["near_forms"].items()})
    except CorruptCache:
        raise
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise CorruptCache(f"{path}: unreadable index cache ({err})") from None
    return MarkTable(blob, offsets), parts, str(head["keys_digest"])


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*" + _SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        for path in (old, Path(str(old) + ".keys.json"), Path(str(old) + _INDEX)):
            try:
                path.unlink()
            except OSError:
                pass
