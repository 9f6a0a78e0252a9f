"""Authorizations: the seller's own brands and the brands it may sell, with the evidence that
would win a marketplace appeal.

Evidence kinds (``KINDS``):

* ``owner``: the seller owns the mark (its own registration certificate);
* ``authorization-letter``: a letter from the rights holder authorizing this shop;
* ``distribution-agreement``: a signed distribution or reseller agreement;
* ``invoice``: a verifiable purchase invoice (VAT fapiao, supplier invoice) from the rights
  holder or an authorized distributor, proving the goods are genuine;
* ``withdrawal-letter``: the rights holder withdrew its complaint about this shop;
* ``patent-certificate``: the seller's own patent certificate (the answer to a patent
  complaint; it authorizes no trademark use, so it never silences a rule).

An invoice names its ``supplier`` (who sold the goods): the platform verifies an invoice with
the supplier, so one without is kept but judged not verifiable (trademarks/evidence.py).
``holder`` is the rights holder a document comes from (the one who wrote a withdrawal letter
or an authorization, the patent holder an invoice shows the goods came from). ``files`` are
the documents themselves, recorded by path and SHA-256, never copied (trademarks/evidence.py).

A ``receipt`` is refused: marketplaces (Taobao/Tmall IPP, Amazon Brand Registry, eBay VeRO)
do not accept shop receipts as proof of authorization or authenticity in an appeal.

An authorization with an ``expires`` date counts up to and including that day; ``warn_days``
(30) before it runs out, ``authorizations list`` warns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trademarks.errors import RegistryUsageError
from trademarks.evidence import Attachment

KINDS = ("owner", "authorization-letter", "distribution-agreement", "invoice",
         "withdrawal-letter", "patent-certificate")
# Kinds that prove a right to use a brand in listings (the others prove something else).
NOT_AUTHORIZING = frozenset({"patent-certificate"})
REFUSED = {
    "receipt": "a receipt does not count as evidence in a marketplace appeal; "
               "use a verifiable purchase invoice (--evidence invoice) or an authorization letter",
}
WARN_DAYS = 30


@dataclass(frozen=True)
class Authorization:
    brand: str
    evidence: str
    ref: str
    expires: dt.date | None = None
    note: str = ""
    supplier: str = ""
    holder: str = ""
    files: tuple[Attachment, ...] = ()


def parse_date(text: str | None) -> dt.date | None:
    if text is None or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise RegistryUsageError(f"bad date {text!r}", hint="use YYYY-MM-DD") from None


def make_authorization(brand: str, evidence: str, ref: str, expires: str | dt.date | None = None,
                       note: str = "", supplier: str = "", holder: str = "",
                       files: tuple[Attachment, ...] = ()) -> Authorization:
    """Validate and build an Authorization; raise RegistryError with the reason and a fix."""
    brand, kind, ref = brand.strip(), evidence.strip().lower(), ref.strip()
    if not brand:
        raise RegistryUsageError("a brand name is required")
    if kind in REFUSED:
        raise RegistryUsageError(f"evidence '{kind}' refused: {REFUSED[kind]}")
    if kind not in KINDS:
        raise RegistryUsageError(f"unknown evidence kind {evidence!r}", hint="use one of " + ", ".join(KINDS))
    if not ref:
        raise RegistryUsageError("--ref is required",
                                 hint="name the document: letter number, contract id, invoice number")
    when = expires if isinstance(expires, dt.date) else parse_date(expires)
    return Authorization(brand, kind, ref, when, note.strip(), supplier.strip(), holder.strip(), tuple(files))


def refuse_expired(auth: Authorization, today: dt.date | None = None) -> None:
    """RegistryUsageError for evidence that has already run out: recording it would look like
    cover in the registry while silencing nothing (an expired authorization never counts)."""
    today = today or dt.date.today()
    if auth.expires is not None and auth.expires < today:
        raise RegistryUsageError(
            f"the evidence for {auth.brand!r} expired on {auth.expires.isoformat()} (today is {today.isoformat()}) "
            "and would count for nothing", hint="record the renewed document with its new --expires date")


def is_active(auth: Authorization, today: dt.date | None = None) -> bool:
    """True while the authorization counts: no expiry, or expiry today or later."""
    today = today or dt.date.today()
    return auth.expires is None or auth.expires >= today


def days_left(auth: Authorization, today: dt.date | None = None) -> int | None:
    if auth.expires is None:
        return None
    return (auth.expires - (today or dt.date.today())).days


def status(auth: Authorization, today: dt.date | None = None, warn_days: int = WARN_DAYS) -> str:
    """``active``, ``expiring`` (within ``warn_days``) or ``expired``."""
    left = days_left(auth, today)
    if left is None:
        return "active"
    if left < 0:
        return "expired"
    return "expiring" if left <= warn_days else "active"
