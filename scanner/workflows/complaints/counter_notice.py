"""A counter-notice (申诉 / 反通知) draft in Chinese and English, filled with a complaint's
facts and the evidence the platform accepts. A draft: the seller reads, completes and signs it.
Plain text; the pack's HTML escapes it like any other text.
"""

from __future__ import annotations

from typing import Sequence

from trademarks.complaints import Complaint, Timeline
from trademarks.deadlines import shown, shown_zh
from trademarks.evidence import ACCEPTED, Verdict

RIGHT_ZH = {"trademark": "商标权", "copyright": "著作权", "patent": "专利权"}
ALLEGATION_ZH = {"improper-use": "不当使用他人权利", "counterfeit": "出售假冒商品", "piracy": "出售盗版商品"}
ALLEGATION_EN = {"improper-use": "improper use of the rights holder's rights",
                 "counterfeit": "selling counterfeit goods", "piracy": "selling pirated goods"}
KIND_ZH = {"withdrawal-letter": "撤诉函", "invoice": "发票", "authorization-letter": "品牌授权书",
           "distribution-agreement": "经销协议", "owner": "商标注册证", "patent-certificate": "专利证书"}
KIND_EN = {"withdrawal-letter": "complaint-withdrawal letter", "invoice": "invoice",
           "authorization-letter": "brand authorization letter", "distribution-agreement": "distribution agreement",
           "owner": "trademark registration certificate", "patent-certificate": "patent certificate"}
CLAIM_ZH = {
    "withdrawal-letter": "权利人已撤回本次投诉，见所附撤诉函。",
    "invoice": "涉诉商品系通过正规渠道采购的正品，见所附可查验的发票。",
    "authorization-letter": "本店已获得品牌授权，见所附授权书。",
    "distribution-agreement": "本店系品牌经销商，见所附经销协议。",
    "owner": "本店为相关商标的注册人，见所附商标注册证。",
    "patent-certificate": "本店持有相关专利，见所附专利证书。",
}
CLAIM_EN = {
    "withdrawal-letter": "The rights holder has withdrawn this complaint (withdrawal letter attached).",
    "invoice": "The goods are genuine and were bought through a formal channel (verifiable invoice attached).",
    "authorization-letter": "The shop is authorized to sell the brand (authorization letter attached).",
    "distribution-agreement": "The shop is a distributor of the brand (distribution agreement attached).",
    "owner": "The shop holds the trademark registration (registration certificate attached).",
    "patent-certificate": "The shop holds the patent concerned (patent certificate attached).",
}


def _evidence_lines(verdicts: Sequence[Verdict], names: dict[str, str], zh: bool) -> list[str]:
    lines = []
    accepted = [v for v in verdicts if v.state == ACCEPTED]
    for number, verdict in enumerate(accepted, 1):
        item = verdict.item
        parts = [f"{KIND_ZH.get(item.kind, item.kind) if zh else KIND_EN.get(item.kind, item.kind)}"]
        parts.append(f"编号 {item.ref}" if zh else f"no. {item.ref}")
        if item.supplier:
            parts.append(f"开具方 {item.supplier}" if zh else f"issued by {item.supplier}")
        if item.holder:
            parts.append(f"权利人 {item.holder}" if zh else f"from {item.holder}")
        if item.expires:
            parts.append(f"有效期至 {item.expires}" if zh else f"valid until {item.expires}")
        for attachment in item.files:
            shown_name = names.get(attachment.sha256, attachment.name)
            parts.append(f"附件 {shown_name}（SHA-256 {attachment.sha256}）" if zh
                         else f"file {shown_name} (SHA-256 {attachment.sha256})")
        lines.append(f"{number}. " + ("，".join(parts) if zh else "; ".join(parts)))
    if not lines:
        lines.append("（待补充：平台接受的证据，见“缺少的证据”）" if zh
                     else "(to be completed: evidence the platform accepts; see 'What is missing')")
    return lines


def draft_zh(complaint: Complaint, line: Timeline, verdicts: Sequence[Verdict], names: dict[str, str]) -> str:
    kinds = list(dict.fromkeys(v.item.kind for v in verdicts if v.state == ACCEPTED))
    claims = [CLAIM_ZH[k] for k in kinds if k in CLAIM_ZH] or ["（待补充：申诉理由）"]
    deadline = f"申诉截止：{shown_zh(line.appeal_deadline.at)}，北京时间" if line.appeal_deadline else None
    mark = f"涉及权利：{complaint.mark}" if complaint.mark else None
    return "\n".join(x for x in [
        "申诉书 / 反通知（草稿）",
        "",
        "致：平台知识产权保护平台",
        f"投诉方（权利人）：{complaint.holder}",
        f"被投诉商品：{complaint.listing}",
        f"投诉类型：{RIGHT_ZH[complaint.right]}，{ALLEGATION_ZH[complaint.allegation]}",
        mark,
        f"收到投诉时间：{complaint.received:%Y-%m-%d %H:%M}（北京时间）",
        deadline,
        "",
        f"本店对上述投诉提出申诉，认为涉诉商品不构成{ALLEGATION_ZH[complaint.allegation]}。",
        *claims,
        "",
        "所附证据：",
        *_evidence_lines(verdicts, names, zh=True),
        "",
        "本店保证以上陈述及所附材料真实、有效，如有不实，愿承担相应的法律责任。",
        "",
        "店铺名称：__________  联系人：__________  联系电话：__________  日期：__________",
    ] if x is not None) + "\n"


def draft_en(complaint: Complaint, line: Timeline, verdicts: Sequence[Verdict], names: dict[str, str]) -> str:
    kinds = list(dict.fromkeys(v.item.kind for v in verdicts if v.state == ACCEPTED))
    claims = [CLAIM_EN[k] for k in kinds if k in CLAIM_EN] or ["(to be completed: the grounds of the appeal)"]
    deadline = (f"Appeal deadline: {shown(line.appeal_deadline.at)} (China time)"
                if line.appeal_deadline else None)
    return "\n".join(x for x in [
        "Appeal / counter-notice (draft)",
        "",
        "To: the platform's intellectual property protection service",
        f"Complainant (rights holder): {complaint.holder}",
        f"Listing complained about: {complaint.listing}",
        f"Complaint: {complaint.right}, {ALLEGATION_EN[complaint.allegation]}",
        f"Right concerned: {complaint.mark}" if complaint.mark else None,
        f"Received: {complaint.received:%Y-%m-%d %H:%M} (China time)",
        deadline,
        "",
        f"The shop appeals against this complaint: the listing does not amount to "
        f"{ALLEGATION_EN[complaint.allegation]}.",
        *claims,
        "",
        "Evidence attached:",
        *_evidence_lines(verdicts, names, zh=False),
        "",
        "The shop declares that the statements above and the documents attached are true and valid, "
        "and accepts legal responsibility should they not be.",
        "",
        "Shop: __________  Contact: __________  Telephone: __________  Date: __________",
    ] if x is not None) + "\n"
