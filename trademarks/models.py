"""The Mark record: one registered trademark and every surface form a listing may use for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

CASE_FOLD = "fold"  # match in any capitalisation
CASE_EXACT = "exact"  # Latin forms match only as registered (Apple, Coach, Dove, Polo)
CASES = (CASE_FOLD, CASE_EXACT)
# What one form of a mark is, written after an alias in braces (``Kelly{exact}``, ``小米{ordinary}``,
# ``驴牌{nickname}``); a form with none takes the mark's ``case`` if it is Latin, else ``fold``.
FORM_ORDINARY = "ordinary"  # an ordinary word (苹果, 小米): counts only when something backs it
FORM_NICKNAME = "nickname"  # a name only the counterfeit trade uses (驴牌, 香奶奶): an evasion
FORM_KINDS = (CASE_FOLD, CASE_EXACT, FORM_ORDINARY, FORM_NICKNAME)
_ANNOTATION_RE = re.compile(r"\{(" + "|".join(FORM_KINDS) + r")\}\s*$")


def split_form(text: str) -> tuple[str, str | None]:
    """An alias cell item as (the form, its annotated kind or None): "驴牌{nickname}"."""
    match = _ANNOTATION_RE.search(text)
    if match is None:
        return text.strip(), None
    return text[:match.start()].strip(), match.group(1)


def _cased(text: str) -> bool:
    return any(ch.isupper() or ch.islower() for ch in text)


@dataclass(frozen=True)
class Mark:
    name: str
    aliases: tuple[str, ...] = ()
    owner: str = ""
    classes: tuple[int, ...] = ()
    case: str = CASE_FOLD
    famous: bool = False
    # Phrases that contain a form of the mark but are not the mark (三星堆, omega-3, apple juice):
    # the matcher's leftmost-longest choice lets them shadow the mark.
    exceptions: tuple[str, ...] = ()
    jurisdiction: str = ""
    registration: str = ""
    status: str = "live"
    source: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def forms(self) -> tuple[str, ...]:
        """The name then every alias (annotations stripped), without duplicates, in list order."""
        seen: dict[str, None] = {}
        for item in (self.name, *self.aliases):
            form = split_form(item)[0]
            if form and form not in seen:
                seen[form] = None
        return tuple(seen)

    def form_kinds(self) -> dict[str, str]:
        """Each form's kind (``FORM_KINDS``): its annotation, else the mark's ``case`` for a
        Latin form and ``fold`` for a form with no capitals to compare (佳能, 惠普: a Chinese
        name of an exact-case mark is no ordinary word unless annotated so)."""
        kinds: dict[str, str] = {}
        for item in (self.name, *self.aliases):
            form, kind = split_form(item)
            if form and form not in kinds:
                kinds[form] = kind or (self.case if _cased(form) else CASE_FOLD)
        return kinds


SHORT_FORM_HINT = "use the full name, or a CJK character"


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F)


def too_short(form: str) -> bool:
    """A form with fewer than two letters or digits and no CJK character: 'X', 'N.', '&'.
    As a mark it would match every standalone letter; a single CJK character (鳄) is a word."""
    if any(_is_cjk(char) for char in form):
        return False
    return sum(char.isalnum() for char in form) < 2


def short_form_problem(mark: Mark) -> str | None:
    """Why ``mark`` cannot be scanned for (a one-letter name or alias), or None."""
    if too_short(mark.name):
        return (f"mark {mark.name!r} is shorter than two letters or digits and would match every "
                f"standalone {mark.name!r}")
    for alias in mark.aliases:
        if too_short(split_form(alias)[0]):
            return (f"alias {alias!r} of {mark.name!r} is shorter than two letters or digits and would "
                    f"match every standalone {alias!r}")
    return None


def fold_key(text: str) -> str:
    """The lookup key of a name or alias: NFKC-free casefold with inner whitespace collapsed.

    Not the engine's ``scanner.core.normalize.fold``, on purpose: this key is stored in the
    registry's SQLite columns (``name_key``, ``brand_key``) and identifies a mark across
    sources (``merge_marks``), so it must not move when the engine's folding learns a new
    width or invisible-character rule (that would orphan stored keys); and ``trademarks``
    never imports ``scanner``. The engine's fold decides what *matches*; this one, which row
    a name *is*."""
    return " ".join(split_form(text)[0].casefold().split())
