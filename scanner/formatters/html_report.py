"""A self-contained HTML report: summary by rule and by rights holder, then every listing with
its matches highlighted. No scripts, no external assets; every user string goes through
``html.escape`` (listing text is written by whoever wrote the listing, so it is hostile input).
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from scanner.core.models import Problem, ScanSummary
from scanner.core.rules.catalog import rule_catalog
from scanner.formatters.base import BufferingFormatter

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
th{background:#f3f3f3}td.n{text-align:right}mark{background:#ffd54f;padding:0 .1em}
.error{color:#b00020}.warning{color:#9a6700}.info{color:#555}.serious{background:#fde7e9}
.ctx{font-family:ui-monospace,monospace;white-space:pre-wrap;background:#fafafa;padding:.3rem .5rem}
.muted{color:#666}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: Iterable[str]) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    lines = [f"<table>\n<tr>{head}</tr>"]
    for row in rows:
        cells = "".join(
            f"<td class=\"n\">{esc(v)}</td>" if i in numeric else f"<td>{esc(v)}</td>" for i, v in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def highlight_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` with every (start, end) span wrapped in <mark>; overlaps merge."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(esc(text[pos:start]) + "<mark>" + esc(text[start:end]) + "</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def highlight_context(problem: Problem) -> str:
    """The problem's display snippet with the match highlighted, escaped."""
    context = str(problem.extra.get("context") or "") if problem.extra else ""
    if "[[" in context and "]]" in context.split("[[", 1)[1]:
        before, rest = context.split("[[", 1)
        inside, after = rest.split("]]", 1)
        return f"{esc(before)}<mark>{esc(inside)}</mark>{esc(after)}"
    if context and problem.text and problem.text in context:
        at = context.index(problem.text)
        return highlight_spans(context, [(at, at + len(problem.text))])
    if context:
        return f"{esc(context)} <span class=\"muted\">(match: <mark>{esc(problem.text)}</mark>)</span>"
    return f"<mark>{esc(problem.text)}</mark>"


def _summary_section(problems: Sequence[Problem], summary: ScanSummary) -> list[str]:
    names = {r.code: r.name for r in rule_catalog()}
    by_rule = Counter(p.code for p in problems)
    by_owner: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_owner[p.owner or "(no rights holder)"].append(p)
    listings = {p.listing for p in problems}
    return [
        f"<p>{len(problems)} problem(s) in {len(listings)} listing(s); "
        f"{summary.listings} listing(s) scanned; {summary.suppressed} suppressed.</p>",
        "<h2>By rule</h2>",
        table(["code", "rule", "problems"], [(c, names.get(c, ""), n) for c, n in sorted(by_rule.items())], [2]),
        "<h2>By rights holder</h2>",
        table(
            ["rights holder", "marks", "problems", "listings"],
            [
                (owner, ", ".join(sorted({p.mark for p in ps if p.mark})), len(ps), len({p.listing for p in ps}))
                for owner, ps in sorted(by_owner.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            ],
            [2, 3],
        ),
    ]


def _listing_section(listing: str, problems: Sequence[Problem]) -> list[str]:
    source = problems[0].source
    out = [f"<h3 id=\"listing-{esc(listing)}\">{esc(listing)} <span class=\"muted\">{esc(source)}</span></h3>"]
    by_field: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_field[p.field].append(p)
    for field_name, items in by_field.items():
        full = items[0].extra.get("field_text") if items[0].extra else None
        if isinstance(full, str):
            spans = [(p.start, p.end) for p in items]
            out.append(f"<div class=\"ctx\"><b>{esc(field_name)}</b>: {highlight_spans(full, spans)}</div>")
        out.append("<ul>")
        for p in items:
            mark = f" [{esc(p.mark)}]" if p.mark else ""
            out.append(
                f"<li><span class=\"{esc(p.severity.label)}\">{esc(p.code)} {esc(p.severity.label)}</span>{mark} "
                f"{esc(p.field)}:{p.start}-{p.end} {esc(p.message)}"
                f"<div class=\"ctx\">{highlight_context(p)}</div></li>"
            )
        out.append("</ul>")
    return out


def render_report(problems: Sequence[Problem], summary: ScanSummary, title: str = "listguard report") -> str:
    body = [f"<h1>{esc(title)}</h1>"]
    if summary.inputs:
        body.append(f"<p class=\"muted\">Inputs: {esc(', '.join(summary.inputs))}</p>")
    body += _summary_section(problems, summary)
    body.append("<h2>Listings</h2>")
    by_listing: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_listing[p.listing].append(p)
    if not by_listing:
        body.append("<p>No problems found.</p>")
    for listing, items in by_listing.items():
        body += _listing_section(listing, items)
    return page(title, body)


class HtmlFormatter(BufferingFormatter):
    name = "html"

    def render(self, summary: ScanSummary) -> str:
        return render_report(self.problems, summary)
