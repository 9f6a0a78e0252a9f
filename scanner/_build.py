"""Which build runs: the mypyc-compiled hot modules, or their pure-Python sources.

``setup.py`` compiles the modules listed in ``mypyc_modules.txt`` when it can and records a
digest of each compiled source in ``scanner/_build_info.json``. At import of ``scanner``,
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

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Sequence

PURE_ENV = "LISTGUARD_PURE"
_HERE = Path(__file__).resolve().parent
_MANIFEST = _HERE / "_build_info.json"

# What install() decided: "mypyc", "pure", or "pure (...why...)".
BUILD = "pure"
COMPILED: tuple[str, ...] = ()


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the listed modules as their ``.py`` sources, ignoring extension modules."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None):
        if fullname not in self.names or not path:
            return None
        leaf = fullname.rpartition(".")[2]
        for entry in path:
            source = os.path.join(entry, leaf + ".py")
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(fullname, source)
        return None


def _source_of(name: str) -> Path:
    return _HERE.parent.joinpath(*name.split(".")).with_suffix(".py")


def _changed(modules: dict[str, str]) -> list[str]:
    changed = []
    for name, digest in modules.items():
        try:
            if hashlib.sha256(_source_of(name).read_bytes()).hexdigest() != digest:
                changed.append(name)
        except OSError:
            changed.append(name)
    return changed


def _compiled_present(names: Sequence[str]) -> bool:
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return all(any(_source_of(n).with_suffix(s).exists() for s in suffixes) for n in names)


def install() -> None:
    """Decide the build (see the module docstring); cheap: one small JSON file, a few hashes."""
    global BUILD, COMPILED
    try:
        info = json.loads(_MANIFEST.read_text(encoding="utf-8"))
        modules: dict[str, str] = dict(info["modules"])
    except (OSError, ValueError, KeyError, TypeError):
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
