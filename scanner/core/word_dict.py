"""jieba's dictionary served from an indexed SQLite file, and jieba's no-HMM cut over it.

jieba keeps its 350,000 words (and every prefix of them, 498,000 keys) in one dict that each
process unmarshals from a 9 MB cache before its first cut: 0.8 s, plus 0.14 s importing jieba
(which imports pkg_resources). listguard asks it about a few hundred windows of at most ten
characters, so a pre-commit run spent 70% of its time loading words it never looked at.

Here the same dictionary (read from jieba once, written to ``<cache dir>/words/``, keyed by the
installed dictionary file's size and mtime) is looked up a window at a time: every substring
of the window in one indexed query. The cut is jieba's own ``cut(sentence, HMM=False)``
algorithm (its blocks, DAG, max-probability route and the buffering of single Latin letters),
and ``add_word`` is jieba's, frequency suggestion included, so the words come out exactly as
jieba cuts them. tests/test_word_dict.py holds the two to the same words on real and generated
text. When the cache cannot be used (no jieba dictionary found, an unwritable or foreign cache
directory, a damaged file), ``open_word_dict`` returns None and segment.py asks jieba itself;
a copy that fails a query later (damaged under a running scan) does the same from then on.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from scanner.core import compiled_re
from scanner.core.cache_dir import cache_root, safe, usable_dir

log = logging.getLogger(__name__)

# jieba 0.42's block and word patterns (jieba/__init__.py: re_han_default, re_skip_default, re_eng)
_HAN = compiled_re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")  # a CJK range: kept compiled on disk
_SKIP = re.compile("(\r\n|\\s)")
_ENG = re.compile("[a-zA-Z0-9]")

_SCHEMA = 1  # bump when the file's layout changes


def _dictionary_file() -> Path | None:
    """jieba's bundled dict.txt, found without importing jieba (the import alone is 0.14 s)."""
    try:
        spec = importlib.util.find_spec("jieba")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "dict.txt"
        if path.is_file():
            return path
    return None


class WordDict:
    """jieba's default dictionary plus the words added in this process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        row = self._conn().execute("SELECT total, schema FROM meta").fetchone()
        if row is None or row[1] != _SCHEMA:
            raise sqlite3.DatabaseError(f"{path}: not a word dictionary of schema {_SCHEMA}")
        self.total: int = row[0]
        self._added: dict[str, int] = {}  # add_word's entries, and the prefixes it made

    def _conn(self) -> sqlite3.Connection:
        # A connection must not cross a fork (scan --jobs N forks its workers): one per process.
        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                       check_same_thread=False)
            self._pid = os.getpid()
        return self._db

    def lookup(self, words: set[str]) -> dict[str, int]:
        """Each word's frequency (0 for a prefix that is no word itself); absent words are left out."""
        found: dict[str, int] = {}
        ask = [w for w in words if w not in self._added]
        for i in range(0, len(ask), 500):  # SQLite's parameter limit
            part = ask[i:i + 500]
            query = f"SELECT word, freq FROM words WHERE word IN ({','.join('?' * len(part))})"
            found.update(self._conn().execute(query, part).fetchall())
        for w in words:
            if w in self._added:
                found[w] = self._added[w]
        return found

    def cut(self, sentence: str) -> list[str]:
        """``jieba.lcut(sentence, HMM=False)``."""
        out: list[str] = []
        for block in _HAN.split(sentence):
            if not block:
                continue
            if _HAN.match(block):
                out.extend(self._cut_block(block))
            else:
                for part in _SKIP.split(block):
                    if _SKIP.match(part):
                        out.append(part)
                    else:
                        out.extend(part)
        return out

    def _cut_block(self, sentence: str) -> Iterator[str]:
        n = len(sentence)
        freq = self.lookup({sentence[k:i] for k in range(n) for i in range(k + 1, n + 1)})
        dag: list[list[int]] = []
        for k in range(n):
            ends = []
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                if freq[frag]:
                    ends.append(i)
                i += 1
                frag = sentence[k:i + 1]
            dag.append(ends or [k])
        logtotal = math.log(self.total)
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):
            route[idx] = max((math.log(freq.get(sentence[idx:x + 1]) or 1) - logtotal + route[x + 1][0], x)
                             for x in dag[idx])
        x = 0
        buf = ""
        while x < n:
            y = route[x][1] + 1
            word = sentence[x:y]
            if len(word) == 1 and _ENG.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def add_word(self, word: str) -> None:
        """``jieba.add_word(word)``: a frequency just high enough for the word to be cut out."""
        ftotal = float(self.total)
        segments = self.cut(word)
        known = self.lookup(set(segments) | {word} | {word[:i + 1] for i in range(len(word))})
        p = 1.0
        for seg in segments:
            p *= known.get(seg, 1) / ftotal
        freq = max(int(p * self.total) + 1, known.get(word, 1))
        self._added[word] = freq
        self.total += freq
        for i in range(len(word)):
            frag = word[:i + 1]
            if frag not in known and frag not in self._added:
                self._added[frag] = 0


def open_word_dict() -> WordDict | None:
    """The cached dictionary, written first if missing; None where it cannot be had."""
    source = _dictionary_file()
    if source is None:
        return None
    try:
        info = source.stat()
    except OSError:
        return None
    directory = cache_root() / "words"
    path = directory / f"jieba-{_SCHEMA}-{info.st_size}-{info.st_mtime_ns}.sqlite"
    try:
        if safe(path):
            return WordDict(path)
    except sqlite3.Error as exc:  # damaged or foreign: written again below
        log.debug("word dictionary %s unusable (%s); rebuilding", path, exc)
    if not usable_dir(directory):
        return None
    try:
        _write(path)
        return WordDict(path)
    except (OSError, sqlite3.Error) as exc:
        log.debug("word dictionary not written (%s); jieba is asked directly", exc)
        return None


def _write(path: Path) -> None:
    """jieba's own prefix dictionary, as its initialize() builds it, into a new file, then
    renamed into place (a concurrent writer's rename wins: the contents are the same)."""
    import jieba  # untyped; only needed the first time

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with tokenizer.get_dict_file() as f:
        freq, total = tokenizer.gen_pfdict(f)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (total INTEGER NOT NULL, schema INTEGER NOT NULL)")
            db.executemany("INSERT INTO words VALUES (?, ?)", sorted(freq.items()))
            db.execute("INSERT INTO meta VALUES (?, ?)", (total, _SCHEMA))
            db.commit()
        finally:
            db.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
