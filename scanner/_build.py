"""Which build runs: the mypyc-compiled hot modules, or their pure-Python sources.

``setup.py`` compiles the modules listed in ``mypyc_modules.txt`` when it can and records the
size and CRC-32 of each compiled source in ``scanner/_build_info.txt`` (one ``module size
crc32`` line each: read at every start, so no JSON or hashlib import). At import of ``scanner``,
:func:`install` decides, for all of them at once (compiled modules call each other directly,
so the two kinds are never mixed):

* no manifest: the pure build; nothing to do;
* ``LISTGUARD_PURE=1`` in the environment: the sources run (the identity tests compare both);
* a listed source differs from what was compiled (an edit in a development checkout): the
  sources run and one line on stderr says so, until ``pip install -e .`` compiles again. A
  stale extension module never runs silently in place of an edited source.

Python's import system prefers an extension module to a source file of the same name, so
running the sources means a finder in front of ``sys.meta_path`` that hands out the ``.py``.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any, Sequence

PURE_ENV = "LISTGUARD_PURE"
_HERE = Path(__file__).resolve().parent
_MANIFEST = _HERE / "_build_info.txt"

# What install() decided: "mypyc", "pure", or "pure (...why...)".
BUILD = "pure"
COMPILED: tuple[str, ...] = ()


class _SourceFinder:
    """A meta path finder: the listed modules as their ``.py`` sources, never as extension
    modules. (No importlib.abc base: importing it costs every start more than it gives.)"""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if fullname not in self.names or not path:
            return None
        import importlib.util

        leaf = fullname.rpartition(".")[2]
        for entry in path:
            source = os.path.join(entry, leaf + ".py")
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(fullname, source)
        return None


def _source_of(name: str) -> Path:
    return _HERE.parent.joinpath(*name.split(".")).with_suffix(".py")


def source_stamp(data: bytes) -> str:
    """What the manifest records of a source: its size and CRC-32 (setup.py writes the same)."""
    return f"{len(data)} {zlib.crc32(data):08x}"


def _changed(modules: dict[str, str]) -> list[str]:
    changed = []
    for name, stamp in modules.items():
        try:
            if source_stamp(_source_of(name).read_bytes()) != stamp:
                changed.append(name)
        except OSError:
            changed.append(name)
    return changed


def _read_manifest() -> dict[str, str]:
    modules = {}
    for line in _MANIFEST.read_text(encoding="utf-8").splitlines():
        name, _, stamp = line.strip().partition(" ")
        if name and not name.startswith("#"):
            modules[name] = stamp
    return modules


def _compiled_present(names: Sequence[str]) -> bool:
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return all(any(_source_of(n).with_suffix(s).exists() for s in suffixes) for n in names)


def install() -> None:
    """Decide the build (see the module docstring); cheap: one small file, a few CRCs."""
    global BUILD, COMPILED
    try:
        modules = _read_manifest()
    except (OSError, ValueError):
        return  # a pure install
    if not modules or not _compiled_present(list(modules)):
        return
    if os.environ.get(PURE_ENV):
        BUILD = f"pure ({PURE_ENV} is set)"
    else:
        changed = _changed(modules)
        if not changed:
            BUILD, COMPILED = "mypyc", tuple(modules)
            return
        BUILD = "pure (sources changed since the compiled build)"
        shown = ", ".join(_source_of(n).relative_to(_HERE.parent).as_posix() for n in changed[:3])
        print(f"listguard: {shown} changed since the compiled build; running the pure-Python modules "
              f"(pip install -e . compiles them again)", file=sys.stderr)
    if not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(list(modules)))


def describe() -> str:
    """One line for ``listguard --version``."""
    if BUILD == "mypyc":
        return f"compiled with mypyc ({len(COMPILED)} modules)"
    return "pure Python" + BUILD[len("pure"):]
