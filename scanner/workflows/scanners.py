"""Build the Scanner a run uses: which marks (bundled list, registry, ``--marks`` files),
which brands are the seller's own or authorized, and a cached automaton where one helps."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

from scanner.core.engine import ScanSettings, Scanner
from scanner.core.index import KeyIndex, build_index
from scanner.errors import InputError, UsageError
from trademarks.errors import ListFormatError, RegistryError
from trademarks.models import Mark

# trademarks.lists (list parsing) and trademarks.nice (category tables) are imported when
# used: a check that loads its index from the cache needs neither (start-up).


def classes_for_category(category: str) -> frozenset[int]:
    """trademarks.nice.classes_for_category, imported on the first listing with a category."""
    from trademarks.nice import classes_for_category as lookup

    return lookup(category)


def scanner_settings(own_brands: Sequence[str] = (), select: Sequence[str] = (), ignore: Sequence[str] = (),
                     authorized: Sequence[str] = ()) -> ScanSettings:
    """ScanSettings from option values: codes split on commas and upper-cased, categories
    mapped to Nice classes. An unknown code is a UsageError: a typo in ``select`` would
    otherwise turn every rule off and pass the catalog."""
    return ScanSettings(own_brands=tuple(own_brands), authorized=tuple(authorized),
                        select=known_codes(select, "--select"), ignore=known_codes(ignore, "--ignore"),
                        class_of_category=classes_for_category)


def codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def known_codes(values: Sequence[str], where: str) -> tuple[str, ...]:
    """``codes(values)``, each of which must be a rule code or a prefix of one; ``where``
    names the option or command in the error ("--select")."""
    from scanner.core.rules import RULES

    wanted = codes(values)
    all_codes = [rule.code for rule in RULES]
    for code in wanted:
        if not any(known.startswith(code) for known in all_codes):
            raise UsageError(f"unknown rule code {code_as_given(values, code)!r} in {where}; "
                             f"use codes or prefixes of {', '.join(all_codes)} (see `listguard rules`)")
    return wanted


def code_as_given(values: Sequence[str], code: str) -> str:
    """The spelling the user typed for ``code`` (the message quotes it as given)."""
    given = (c.strip() for value in values for c in value.split(","))
    return next((c for c in given if c.upper() == code), code)


def load_marks(files: Sequence[str] = (), bundled: bool = True) -> list[Mark]:
    """The bundled list unless files are given (they replace it); errors name path:line. The
    same mark (name and owner) twice, in one file or two, is one mark: each finding once."""
    from trademarks.lists import bundled_marks, merge_marks, read_marks

    try:
        if not files:
            return bundled_marks() if bundled else []
        return merge_marks(read_marks(path, source=path) for path in files)
    except ListFormatError as err:
        raise InputError(str(err)) from None


def build_scanner(settings: ScanSettings, marks_files: Sequence[str] = (), db: str | None = None,
                  bundled: bool = True, cache: bool = True) -> Scanner:
    """Without ``db``: the bundled list, or the ``marks_files`` instead of it. With ``db``: the
    registry's marks, plus the bundled list unless ``bundled`` is False, plus ``marks_files``;
    the registry's own brands and authorizations join ``settings``. The key index comes from
    the cache (scanner/core/matcher_cache.py) while the list, registry and files are
    unchanged, unless ``cache`` is False (``--no-cache``). The registry is only read (opened
    read-only: a file the user may not write works); a ``db`` that does not exist yet or holds
    no registry (a history-only file) adds no marks."""
    if db is None:
        if not cache:
            return Scanner(load_marks(marks_files), settings)
        parts = ["files", _digest_files(marks_files)] if marks_files else ["bundled", _bundled_digest()]
        return Scanner((), settings, index=_cached_index(lambda: load_marks(marks_files), parts))
    return _registry_scanner(db, settings, marks_files, bundled, cache)


def _cached_index(load: Callable[[], list[Mark]], parts: list[str]) -> KeyIndex:
    from scanner.core.matcher_cache import cached_index

    return cached_index(load, parts)[0]


def _bundled_digest() -> str:
    import trademarks

    # trademarks.lists.BUNDLED_LIST, without importing the list parser (tests hold them equal)
    return _digest_files([str(Path(trademarks.__file__).with_name("data") / "marks.csv")])


def _registry_scanner(db: str, settings: ScanSettings, marks_files: Sequence[str], bundled: bool,
                      cache: bool) -> Scanner:
    import contextlib
    import dataclasses
    import os

    from trademarks.errors import NoRegistry
    from trademarks.store import open_registry

    own: frozenset[str] = frozenset()
    authorized: frozenset[str] = frozenset()
    try:
        with contextlib.ExitStack() as stack:
            registry = None
            if os.path.exists(db):
                try:
                    registry = stack.enter_context(open_registry(db, readonly=True))
                except NoRegistry:
                    pass
            if registry is not None:
                own, authorized = registry.active_brands()

            def load() -> list[Mark]:
                from trademarks.lists import bundled_marks, merge_marks, read_marks

                extra = [read_marks(path, source=path) for path in marks_files]
                stored = registry.marks() if registry is not None else []
                return merge_marks([bundled_marks() if bundled else [], stored, *extra])

            if cache:
                parts = [registry.fingerprint() if registry is not None else "no-registry",
                         _bundled_digest() if bundled else "no-bundled", _digest_files(marks_files)]
                scanner_index = _cached_index(load, parts)
            else:
                scanner_index = build_index(load())
    except RegistryError as err:
        raise InputError(str(err)) from None
    except ListFormatError as err:
        raise InputError(str(err)) from None
    settings = dataclasses.replace(
        settings, own_brands=tuple(dict.fromkeys((*settings.own_brands, *sorted(own)))),
        authorized=tuple(dict.fromkeys((*settings.authorized, *sorted(authorized)))))
    return Scanner((), settings, index=scanner_index)


def file_sha256(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""  # the reader reports the unreadable file with its own message


def _digest_files(paths: Sequence[str]) -> str:
    return ",".join(f"{p}={file_sha256(p)}" for p in paths)
