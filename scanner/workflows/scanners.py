"""Build the Scanner a run uses: which marks (bundled list, registry, ``--marks`` files),
which brands are the seller's own or authorized, and a cached automaton where one helps."""

from __future__ import annotations

import hashlib
from typing import Sequence

from scanner.core.engine import ScanSettings, Scanner
from scanner.errors import InputError
from trademarks.errors import ListFormatError, RegistryError
from trademarks.lists import bundled_marks, merge_marks, read_marks
from trademarks.models import Mark
from trademarks.nice import classes_for_category


def scanner_settings(own_brands: Sequence[str] = (), select: Sequence[str] = (), ignore: Sequence[str] = (),
                     authorized: Sequence[str] = ()) -> ScanSettings:
    """ScanSettings from option values: codes split on commas and upper-cased, categories
    mapped to Nice classes."""
    return ScanSettings(own_brands=tuple(own_brands), authorized=tuple(authorized), select=codes(select),
                        ignore=codes(ignore), class_of_category=classes_for_category)


def codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def load_marks(files: Sequence[str] = (), bundled: bool = True) -> list[Mark]:
    """The bundled list unless files are given (they replace it); errors name path:line."""
    try:
        if not files:
            return bundled_marks() if bundled else []
        marks: list[Mark] = []
        for path in files:
            marks.extend(read_marks(path, source=path))
        return marks
    except ListFormatError as err:
        raise InputError(str(err)) from None


def build_scanner(settings: ScanSettings, marks_files: Sequence[str] = (), db: str | None = None,
                  bundled: bool = True) -> Scanner:
    """Without ``db``: the bundled list, or the ``marks_files`` instead of it. With ``db``: the
    registry's marks, plus the bundled list unless ``bundled`` is False, plus ``marks_files``;
    the registry's own brands and authorizations join ``settings``; the automaton comes from
    the cache while the registry and files are unchanged."""
    if db is None:
        return Scanner(load_marks(marks_files), settings)
    return _registry_scanner(db, settings, marks_files, bundled)


def _registry_scanner(db: str, settings: ScanSettings, marks_files: Sequence[str], bundled: bool) -> Scanner:
    import dataclasses

    from scanner.core.matcher_cache import cached_matcher
    from trademarks.lists import BUNDLED_LIST
    from trademarks.store import open_registry

    try:
        with open_registry(db) as registry:
            stored = registry.marks()
            own, authorized = registry.active_brands()
            fingerprint = registry.fingerprint()
        extra = [read_marks(path, source=path) for path in marks_files]
        groups = [bundled_marks() if bundled else [], stored, *extra]
    except RegistryError as err:
        raise InputError(str(err)) from None
    marks = merge_marks(groups)
    parts = [fingerprint, _digest_files([str(BUNDLED_LIST)]) if bundled else "no-bundled", _digest_files(marks_files)]
    matcher, _state = cached_matcher(marks, parts)
    settings = dataclasses.replace(
        settings, own_brands=tuple(dict.fromkeys((*settings.own_brands, *sorted(own)))),
        authorized=tuple(dict.fromkeys((*settings.authorized, *sorted(authorized)))))
    return Scanner(marks, settings, matcher=matcher)


def file_sha256(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""  # the reader reports the unreadable file with its own message


def _digest_files(paths: Sequence[str]) -> str:
    return ",".join(f"{p}={file_sha256(p)}" for p in paths)
