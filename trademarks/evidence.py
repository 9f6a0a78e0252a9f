"""Evidence for an appeal: the documents on file, and how the platform judges them.

Attached files are recorded by absolute path, size and SHA-256; listguard never copies them
anywhere on its own (only ``complaints pack`` copies them, into the pack, after checking each
hash). A file that is missing, empty or larger than ``MAX_ATTACHMENT_BYTES`` is refused when it
is attached; a file that changed or went away since is refused when a pack is made.

What Taobao/Tmall accept in an appeal against an intellectual-property complaint:

* trademark (and, listguard assumes, copyright): at least one of a complaint-withdrawal letter
  from the rights holder; a *verifiable* proof of purchase through formal channels, that is an
  invoice (receipts and purchase slips are not accepted); an authorization (brand
  authorization letter, distribution agreement); or the seller's own registration;
* patent: the seller's patent certificate, or a verifiable invoice showing the goods were
  bought from the patent holder (and a withdrawal letter ends any complaint).

``review`` applies that to what is on file and says what is missing and how to get it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from trademarks.errors import RegistryError, RegistryUsageError
from trademarks.models import fold_key

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # listguard's cap, to keep packs small; not a platform figure

# Documents a complaint may hold besides the registry's authorizations (complaints attach).
NOT_ACCEPTED = {
    "receipt": "a receipt is not a verifiable proof of purchase: the platform accepts an invoice",
    "purchase-slip": "a purchase slip is not a verifiable proof of purchase: the platform accepts an invoice",
}
SUPPORTING = {
    "complaint-notice": "the complaint as the platform sent it",
    "rights-certificate": "the complainant's rights certificate (Tmall discloses it for a counter-notice)",
    "screenshot": "a screenshot (of the listing, a conversation, an order)",
    "other": "a document kept with the complaint",
}
ACCEPTED_FOR = {
    "trademark": ("withdrawal-letter", "invoice", "authorization-letter", "distribution-agreement", "owner"),
    "copyright": ("withdrawal-letter", "invoice", "authorization-letter", "distribution-agreement", "owner"),
    "patent": ("withdrawal-letter", "patent-certificate", "invoice"),
}

ACCEPTED = "accepted"
EXPIRED = "expired"
REFUSED = "not accepted"
UNVERIFIABLE = "not verifiable"
IRRELEVANT = "not relevant"
SUPPORT = "supporting"


@dataclass(frozen=True)
class Attachment:
    path: str  # absolute
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def sha256_of(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def attach(path: str | os.PathLike[str], max_bytes: int = MAX_ATTACHMENT_BYTES) -> Attachment:
    """Record a file as it is now. RegistryError (exit 3) when it is missing or unreadable,
    RegistryUsageError (exit 2) when it is empty or too large."""
    target = Path(path).expanduser()
    name = os.fspath(path)
    if not target.exists():
        raise RegistryError("no such evidence file", name, hint="check the path; nothing was recorded")
    if not target.is_file():
        raise RegistryError("not a regular file", name, hint="attach the document itself; nothing was recorded")
    size = target.stat().st_size
    if size == 0:
        raise RegistryUsageError("the evidence file is empty", name, hint="attach the scanned document")
    if size > max_bytes:
        raise RegistryUsageError(f"the evidence file is {size / 1048576:.1f} MiB, over listguard's "
                                 f"{max_bytes // 1048576} MiB limit", name,
                                 hint="attach a smaller scan: a PDF or JPEG at 150-200 dpi")
    try:
        digest = sha256_of(target)
    except OSError as err:
        raise RegistryError(f"cannot read the evidence file: {err.strerror}", name) from None
    return Attachment(os.fspath(target.resolve()), digest, size)


def check(attachment: Attachment) -> None:
    """Raise RegistryError (exit 3) unless the file is still there with the recorded content."""
    try:
        digest = sha256_of(attachment.path)
    except FileNotFoundError:
        raise RegistryError("evidence file is gone", attachment.path,
                            hint="put it back, or attach the document again where it now is") from None
    except OSError as err:
        raise RegistryError(f"cannot read the evidence file: {err.strerror}", attachment.path) from None
    if digest != attachment.sha256:
        raise RegistryError(f"evidence file changed since it was attached (sha256 {digest[:12]}..., "
                            f"recorded {attachment.sha256[:12]}...)", attachment.path,
                            hint="attach it again if the new content is the right document")


@dataclass(frozen=True)
class EvidenceItem:
    """One document on file, from the registry (an authorization) or kept with a complaint."""

    kind: str
    ref: str
    brand: str = ""
    holder: str = ""
    supplier: str = ""
    expires: dt.date | None = None
    files: tuple[Attachment, ...] = ()
    origin: str = "registry"


@dataclass(frozen=True)
class Verdict:
    item: EvidenceItem
    state: str  # ACCEPTED, EXPIRED, REFUSED, UNVERIFIABLE, IRRELEVANT, SUPPORT
    why: str


@dataclass(frozen=True)
class Review:
    verdicts: tuple[Verdict, ...]
    missing: tuple[str, ...] = field(default_factory=tuple)  # what to get, and how

    @property
    def sufficient(self) -> bool:
        return any(v.state == ACCEPTED for v in self.verdicts)


def relevant(items: Iterable[EvidenceItem], names: Iterable[str], holder: str) -> list[EvidenceItem]:
    """The items about one of ``names`` (the mark, its aliases, the holder) or from ``holder``."""
    keys = {fold_key(n) for n in names if n and n.strip()}
    holder_key = fold_key(holder)
    return [i for i in items if fold_key(i.brand) in keys or (i.holder and fold_key(i.holder) == holder_key)]


def judge(item: EvidenceItem, right: str, holder: str, today: dt.date) -> Verdict:
    """One item against what the platform accepts for a complaint about ``right``."""
    kind = item.kind
    if kind in NOT_ACCEPTED:
        return Verdict(item, REFUSED, NOT_ACCEPTED[kind])
    if kind in SUPPORTING:
        return Verdict(item, SUPPORT, SUPPORTING[kind] + "; proves nothing on its own")
    if kind not in ACCEPTED_FOR.get(right, ()):
        return Verdict(item, IRRELEVANT, f"a {kind} does not answer a {right} complaint")
    if item.expires is not None and item.expires < today:
        return Verdict(item, EXPIRED, f"expired on {item.expires.isoformat()}; the platform will not accept it")
    if kind == "withdrawal-letter" and item.holder and fold_key(item.holder) != fold_key(holder):
        return Verdict(item, IRRELEVANT, f"withdrawn by {item.holder}, not by {holder}")
    if kind == "invoice" and not item.supplier:
        return Verdict(item, UNVERIFIABLE, "the invoice names no supplier: the platform verifies an invoice "
                                           "with the supplier who issued it")
    if kind == "invoice" and right == "patent" and fold_key(item.supplier) != fold_key(holder):
        return Verdict(item, IRRELEVANT, f"for a patent complaint the invoice must show the goods were bought "
                                         f"from {holder}, not {item.supplier}")
    return Verdict(item, ACCEPTED, _ACCEPTED_WHY[kind])


_ACCEPTED_WHY = {
    "withdrawal-letter": "the rights holder withdrew the complaint",
    "invoice": "a verifiable invoice: the goods were bought through a formal channel",
    "authorization-letter": "the rights holder (or its distributor) authorized the shop",
    "distribution-agreement": "a distribution agreement covers the brand",
    "owner": "the shop holds the registration itself",
    "patent-certificate": "the shop's own patent certificate",
}


def review(items: Sequence[EvidenceItem], right: str, allegation: str, holder: str, brand: str,
           today: dt.date) -> Review:
    """Judge every item; when nothing is accepted, say what to get and how to record it."""
    verdicts = tuple(judge(item, right, holder, today) for item in items)
    return Review(verdicts, tuple(_missing(verdicts, right, allegation, holder, brand)))


def _missing(verdicts: Sequence[Verdict], right: str, allegation: str, holder: str, brand: str) -> list[str]:
    advice = []
    for verdict in verdicts:
        item = verdict.item
        if verdict.state == EXPIRED:
            advice.append(f"renew {item.kind} {item.ref} (expired {item.expires}) and record the new one")
        elif verdict.state == UNVERIFIABLE:
            advice.append(f"record who issued invoice {item.ref}: listguard authorize {_q(item.brand)} "
                          f"--evidence invoice --ref {_q(item.ref)} --supplier NAME")
    if any(v.state == ACCEPTED for v in verdicts):
        return advice
    name = brand or holder
    advice.append(f"ask {holder} for a complaint-withdrawal letter, then: listguard authorize {_q(name)} "
                  f"--evidence withdrawal-letter --ref REF --holder {_q(holder)} --file LETTER.pdf")
    if right == "patent":
        advice.append(f"your patent certificate: listguard authorize {_q(name)} --evidence patent-certificate "
                      f"--ref PATENT-NO --file CERT.pdf")
        advice.append(f"or the invoice showing the goods came from {holder}: listguard authorize {_q(name)} "
                      f"--evidence invoice --ref NUMBER --supplier {_q(holder)} --file INVOICE.pdf")
        return advice
    advice.append(f"find the supplier's invoice for these goods (receipts and purchase slips are not accepted): "
                  f"listguard authorize {_q(name)} --evidence invoice --ref NUMBER --supplier NAME --file INVOICE.pdf")
    advice.append(f"or an authorization letter or distribution agreement for {name} from {holder} or its "
                  f"distributor: listguard authorize {_q(name)} --evidence authorization-letter --ref REF "
                  f"--expires YYYY-MM-DD --file LETTER.pdf")
    return advice


def _q(text: str) -> str:
    """Quote for a shell command line when needed."""
    import shlex

    return shlex.quote(text)
