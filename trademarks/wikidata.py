"""Read a Wikidata-style brand export: JSON entities with labels and aliases per language.

Accepted shapes: a JSON array of entities, ``{"entities": {"Q…": entity}}`` (the
``Special:EntityData`` / ``wbgetentities`` form), or JSON Lines with one entity per line (the
dump form). An entity is ``{"id", "labels": {lang: {"value"}}, "aliases": {lang: [{"value"}]},
"claims"?}``; a flattened export with ``{"labels": {lang: "text"}}`` works too.

The English label (else the first label) is the mark; every other label and alias in any
language becomes an alias, so 耐克 comes along with Nike. Owner and Nice classes are optional
extra keys (``owner``, ``classes``) because Wikidata does not record registrations.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from trademarks.errors import ListFormatError
from trademarks.models import Mark, too_short

PREFERRED = ("en", "en-us", "en-gb", "mul")


def _values(node: Any) -> list[str]:
    if node is None:
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [str(node["value"])] if "value" in node else []
    if isinstance(node, list):
        return [v for item in node for v in _values(item)]
    return []


def _entity_mark(entity: dict[str, Any], name: str, index: int, source: str) -> Mark | None:
    labels = entity.get("labels") or {}
    aliases = entity.get("aliases") or {}
    if not isinstance(labels, dict) or not isinstance(aliases, dict):
        raise ListFormatError(f"entity {index}: 'labels' and 'aliases' must be objects", name, index)
    by_lang = {lang: _values(value) for lang, value in labels.items()}
    main_lang = next((lang for lang in PREFERRED if by_lang.get(lang)), None)
    main_lang = main_lang or next((lang for lang, vals in by_lang.items() if vals), None)
    if main_lang is None:
        return None
    mark_name = by_lang[main_lang][0].strip()
    if too_short(mark_name):
        return None
    forms: dict[str, None] = {}
    for values in [*by_lang.values(), *(_values(v) for v in aliases.values())]:
        for value in values:
            value = value.strip()
            if value and value != mark_name and not too_short(value):  # 'N' would match every N
                forms[value] = None
    classes = tuple(sorted({int(c) for c in entity.get("classes") or []}))
    metadata = {"wikidata": str(entity["id"])} if entity.get("id") else {}
    return Mark(name=mark_name, aliases=tuple(forms), owner=str(entity.get("owner") or ""),
                classes=classes, famous=bool(entity.get("famous")), source=source,
                registration=f"wd:{entity['id']}" if entity.get("id") else "", metadata=metadata)


def _entities(text: str, name: str) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and '"entities"' in stripped[:200]):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ListFormatError(f"invalid JSON: {err.msg}", name, err.lineno) from None
        items = list(data["entities"].values()) if isinstance(data, dict) else data
        yield from enumerate(items, 1)
        return
    for line_no, line in enumerate(text.splitlines(), 1):
        line = line.strip().rstrip(",")
        if line in ("", "[", "]"):
            continue
        try:
            yield line_no, json.loads(line)
        except json.JSONDecodeError as err:
            raise ListFormatError(f"invalid JSON: {err.msg}", name, line_no) from None


def looks_like_wikidata(text: str) -> bool:
    head = text.lstrip()[:4000]
    return '"labels"' in head and ('"value"' in head or '"entities"' in head or '"aliases"' in head)


def iter_wikidata(text: str, name: str, source: str = "wikidata") -> Iterator[Mark]:
    count = 0
    for index, entity in _entities(text, name):
        if not isinstance(entity, dict):
            raise ListFormatError(f"entity {index} is not an object", name, index)
        mark = _entity_mark(entity, name, index, source)
        if mark is not None:
            count += 1
            yield mark
    if not count:
        raise ListFormatError("no entity with a label", name, None, "is this a Wikidata export?")
