"""The supervision log written out: Markdown, CSV, JSON and one printable HTML page.

Every format carries the same things in the same order: the meetings, the totals, each
rule's check (the HTML page puts totals and checks first, as a board reads it). The
HTML page is self-contained (inline CSS with a print stylesheet, no script, nothing
fetched: a Content-Security-Policy says so to the browser) and well-formed XML as well
as HTML, so a strict parser reads it; every text is escaped, control characters made
visible first.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from html import escape as _html
from typing import TextIO

from reflect.domain.supervision_log import LoggedMeeting, SupervisionLog
from reflect.domain.supervision_rules import duration
from reflect.domain.spreadsheet import cell
from reflect.domain.terminal import escape as visible

FORMATS: tuple[str, ...] = ("markdown", "csv", "json", "html")


def when(dt: datetime) -> str:
    """A meeting's date and time in the local zone, unambiguous for a board."""
    local = dt.astimezone()
    return f"{local:%Y-%m-%d %H:%M}"


def window(log: SupervisionLog) -> str:
    start = log.since.isoformat() if log.since else "the first meeting"
    return f"{start} to {log.until.isoformat()}"


def attestation_line(a_role: str, a_name: str, at: datetime, holds: bool) -> str:
    who = f"{a_role} {a_name}".strip() if a_name else a_role
    state = "holds" if holds else "NO LONGER HOLDS: the record was changed after it was attested"
    return f"{who}, {when(at)}: {state}"


def observed(n: int, of: int) -> str:
    return f"{n} of {of} meeting{'s' if of != 1 else ''}"


def _kind(m: LoggedMeeting) -> str:
    parts = [m.kind or "kind not recorded", m.delivery or "delivery not recorded"]
    parts.append(duration(m.minutes) if m.minutes else "length not recorded")
    return ", ".join(parts)


# --- JSON ---------------------------------------------------------------------------------------


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # the C encoder


def _indented(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def json_text(log: SupervisionLog) -> str:
    """The JSON document: a small indented frame with one compact meeting per line (an
    indent everywhere would put CPython on its pure-Python encoder, several times slower)."""
    doc = log.to_dict()
    head = ",\n".join(f"  {_encode(k)}: {_encode(doc[k])}" for k in ("format", "version", "peer", "since", "until"))
    meetings = ",\n    ".join(_encode(m) for m in doc["meetings"])
    body = f'[\n    {meetings}\n  ]' if meetings else "[]"
    tail = f'  "totals": {_indented(doc["totals"])},\n  "rules": {_indented(doc["rules"])}'
    return f'{{\n{head},\n  "meetings": {body},\n{tail}\n}}\n'


# --- Markdown -----------------------------------------------------------------------------------


def _md(text: str) -> str:
    """One line of Markdown: newlines folded, "<" kept as text, table pipes escaped."""
    return " ".join(text.split()).replace("<", "&lt;").replace("|", "\\|")


def markdown(log: SupervisionLog) -> str:
    t = log.totals
    lines = [
        f"# Supervision log: {_md(log.peer) if log.peer else 'every peer'}",
        "",
        f"Window: {window(log)}",
        "",
        "## Meetings",
        "",
    ]
    if not log.meetings:
        lines += ["No meetings in this window.", ""]
    for m in log.meetings:
        lines += [f"### {when(m.held)}: {_kind(m)}", ""]
        people = [("Peer", m.peer, m.peer_credential), ("Supervisor", m.supervisor, m.supervisor_credential)]
        for label, name, cred in people:
            if name or cred:
                lines.append(f"- {label}: {_md(name) or '(not recorded)'}" + (f" (credential {_md(cred)})" if cred else ""))
        lines.append(f"- Practice observed: {'yes' if m.observed else 'no'}")
        for label, value in (("Summary", m.summary), ("Competence", m.competence), ("Areas to grow", m.growth_areas)):
            if value:
                lines.append(f"- {label}: {_md(value)}")
        for a in m.actions:
            due = f", due {a.due.isoformat()}" if a.due else ""
            owner = f" ({_md(a.owner)}{due})" if a.owner or due else ""
            lines.append(f"- Action{' (done)' if a.done else ''}: {_md(a.text)}{owner}")
        if not m.attestations:
            lines.append("- Attestation: none")
        for t_ in m.attestations:
            lines.append(f"- Attested by {_md(attestation_line(t_.role, t_.name, t_.at, t_.holds))}")
        lines.append("")
    lines += [
        "## Totals",
        "",
        "| | |",
        "|---|---|",
        f"| Meetings | {t.meetings} |",
        f"| Minutes | {t.minutes} ({duration(t.minutes)}) |",
        f"| Individual | {t.individual_minutes} min |",
        f"| Group | {t.group_minutes} min |",
        f"| Practice observed | {observed(t.observed, t.meetings)} |",
        "",
    ]
    if log.rules is None:
        lines += ["No rule pack was asked for (`--rules NAME|FILE`, or `reflect config supervision_rules NAME`).", ""]
    else:
        r = log.rules
        lines += [f"## Rules: {_md(r.title or r.name)}", ""]
        src = r.source
        lines += [f"Source: {_md(src.body)}, {_md(src.rule)}" + (f" <{src.url}>" if src.url else ""), "", f"_{_md(src.note)}_", ""]
        for c in r.checks:
            lines.append(f"- **{'met' if c.ok else 'NOT MET'}**: {_md(c.text)}. {_md(c.detail)}")
        lines.append("")
    return visible("\n".join(lines))


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "record", "id", "held", "peer", "supervisor", "peer_credential", "supervisor_credential",
    "minutes", "kind", "delivery", "observed", "summary", "competence", "growth_areas",
    "actions", "attestations", "value", "ok", "text", "detail",
)  # fmt: skip


def _csv_rows(log: SupervisionLog) -> Iterator[dict[str, str]]:
    """A row per meeting (`record` meeting), per total (`total`) and per check (`check`):
    one table a spreadsheet opens, in the order the log reads."""
    for m in log.meetings:
        yield {
            "record": "meeting", "id": m.id, "held": m.held.isoformat(), "peer": m.peer,
            "supervisor": m.supervisor, "peer_credential": m.peer_credential,
            "supervisor_credential": m.supervisor_credential, "minutes": str(m.minutes), "kind": m.kind,
            "delivery": m.delivery, "observed": "true" if m.observed else "false", "summary": m.summary,
            "competence": m.competence, "growth_areas": m.growth_areas,
            "actions": "; ".join(a.text + (" (done)" if a.done else "") for a in m.actions),
            "attestations": "; ".join(attestation_line(a.role, a.name, a.at, a.holds) for a in m.attestations),
        }  # fmt: skip
    for key, value in log.totals.to_dict().items():
        yield {"record": "total", "id": key, "value": str(value)}
    if log.rules is not None:
        for c in log.rules.checks:
            yield {"record": "check", "id": c.id, "ok": "true" if c.ok else "false", "text": c.text, "detail": c.detail}


def write_csv(out: TextIO, log: SupervisionLog) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    writer.writerows({k: cell(visible(v)) for k, v in row.items()} for row in _csv_rows(log))


# --- HTML ---------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; background: #fff;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid #999; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
p.meta { margin: 0; color: #333; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
table.totals { width: auto; min-width: 24rem; }
h4 { font-size: .95rem; margin: .6rem 0 .2rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #0a5d1e; font-weight: 600; }
.short { color: #a00000; font-weight: 700; }
.broken { color: #a00000; font-weight: 700; }
article.meeting { border: 1px solid #bbb; border-radius: 4px; padding: .6rem .8rem; margin: .75rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .3rem 0; }
dt { font-weight: 600; }
dd { margin: 0; white-space: pre-wrap; }
ul { margin: .3rem 0; padding-left: 1.3rem; }
.source { font-size: .92rem; color: #333; }
@page { size: auto; margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  article.meeting, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .85em; }
  th { background: #f0f0f0 !important; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def h(text: str) -> str:
    """Text for the page: control characters made visible, then HTML-escaped."""
    return _html(visible(text), quote=True)


def _row(label: str, value: str, *, num: bool = False) -> str:
    cls = ' class="num"' if num else ""
    return f"<tr><th scope=\"row\">{h(label)}</th><td{cls}>{h(value)}</td></tr>"


def _meeting_html(m: LoggedMeeting) -> list[str]:
    out = [f'<article class="meeting" id="m-{h(m.id)}">', f"<h3>{h(when(m.held))}: {h(_kind(m))}</h3>", "<dl>"]
    fields = [
        ("Peer", m.peer + (f" (credential {m.peer_credential})" if m.peer_credential else "")),
        ("Supervisor", m.supervisor + (f" (credential {m.supervisor_credential})" if m.supervisor_credential else "")),
        ("Practice observed", "yes" if m.observed else "no"),
        ("Summary", m.summary),
        ("Competence", m.competence),
        ("Areas to grow", m.growth_areas),
    ]
    for label, value in fields:
        if value.strip():
            out.append(f"<dt>{h(label)}</dt><dd>{h(value)}</dd>")
    out.append("</dl>")
    if m.actions:
        out.append("<h4>Action items</h4><ul>")
        for a in m.actions:
            extra = ", ".join(p for p in (a.owner, f"due {a.due.isoformat()}" if a.due else "", "done" if a.done else "") if p)
            out.append(f"<li>{h(a.text)}{h(f' ({extra})') if extra else ''}</li>")
        out.append("</ul>")
    out.append("<h4>Attestations</h4><ul>")
    if not m.attestations:
        out.append("<li>None recorded.</li>")
    for t_ in m.attestations:
        line = attestation_line(t_.role, t_.name, t_.at, t_.holds)
        cls = "" if t_.holds else ' class="broken"'
        out.append(f"<li{cls}>{h(line)}</li>")
    out += ["</ul>", "</article>"]
    return out


def html(log: SupervisionLog) -> str:
    t = log.totals
    who = log.peer or "every peer"
    title = f"Supervision log: {who}, {window(log)}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en" xmlns="http://www.w3.org/1999/xhtml">',
        "<head>",
        '<meta charset="utf-8" />',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        '<meta name="generator" content="reflect" />',
        f"<title>{h(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Supervision log: {h(who)}</h1>",
        f'<p class="meta">Window: {h(window(log))}</p>',
    ]
    if log.made is not None:
        out.append(f'<p class="meta">Made: {h(when(log.made))}</p>')
    out += [
        "</header>",
        '<section id="totals">',
        "<h2>Totals</h2>",
        '<table class="totals">',
        _row("Meetings", str(t.meetings), num=True),
        _row("Minutes", f"{t.minutes} ({duration(t.minutes)})", num=True),
        _row("Individual", f"{t.individual_minutes} min", num=True),
        _row("Group", f"{t.group_minutes} min", num=True),
        _row("Practice observed", observed(t.observed, t.meetings), num=True),
        "</table>",
        "</section>",
        '<section id="checks">',
    ]
    if log.rules is None:
        out += ["<h2>Rules</h2>", "<p>No rule pack was asked for.</p>"]
    else:
        r = log.rules
        src = r.source
        out.append(f"<h2>Rules: {h(r.title or r.name)}</h2>")
        cite = h(f"{src.body}, {src.rule}")
        if src.url:
            cite += f' (<a href="{h(src.url)}">{h(src.url)}</a>)'
        out += [f'<p class="source">Source: {cite}</p>', f'<p class="source"><em>{h(src.note)}</em></p>']
        out += ["<table>", "<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Result</th><th scope=\"col\">Detail</th></tr></thead>", "<tbody>"]
        for c in r.checks:
            state = '<span class="met">met</span>' if c.ok else '<span class="short">NOT MET</span>'
            out.append(f"<tr><td>{h(c.text)}</td><td>{state}</td><td>{h(c.detail)}</td></tr>")
        out += ["</tbody>", "</table>"]
    out += ["</section>", '<section id="meetings">', "<h2>Meetings</h2>"]
    if not log.meetings:
        out.append("<p>No meetings in this window.</p>")
    for m in log.meetings:
        out += _meeting_html(m)
    out += ["</section>", "</body>", "</html>", ""]
    return "\n".join(out)


def write(out: TextIO, log: SupervisionLog, fmt: str) -> None:
    """Write `log` to `out` in `fmt` (one of FORMATS); for csv, open `out` with newline=""."""
    if fmt == "json":
        out.write(json_text(log))
    elif fmt == "markdown":
        out.write(markdown(log))
    elif fmt == "csv":
        write_csv(out, log)
    elif fmt == "html":
        out.write(html(log))
    else:
        raise ValueError(f"unknown log format {fmt!r}")
