"""The portfolio written out: Markdown, JSON, and one printable HTML page.

Every format carries the same parts in the same order. The HTML page is built like the
supervision log's (`supervision_render`): self-contained (inline CSS with a print
stylesheet, no script, nothing fetched, a Content-Security-Policy saying so), well-formed
XML as well as HTML, and every text escaped after control characters are made visible.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TextIO

from reflect.domain import cycle
from reflect.domain.growth import FRAMING
from reflect.domain.portfolio import Portfolio, hours, to_json
from reflect.domain.supervision_render import CSP, CSS, _md, h
from reflect.domain.supervision_rules import duration
from reflect.domain.terminal import escape as visible

PRIVATE_NOTE = "Private entries are not counted here"
PEOPLE_NOTE = "Nothing about the people served is in this portfolio: counts only, never names, stories or quotes."


def _num(x: float) -> str:
    return f"{x:g}"


def _window(p: Portfolio) -> str:
    start = p.since.isoformat() if p.since else "the first record"
    return f"{start} to {p.until.isoformat()}"


def _month(month: str) -> str:
    return f"{date(int(month[:4]), int(month[5:7]), 1):%b %Y}"


def _level(n: int | None) -> str:
    return "-" if n is None else str(n)


def _rater(by: str) -> str:
    return "self" if by == "self" else "supervisor"


def _private(p: Portfolio) -> str:
    return f"{PRIVATE_NOTE} ({p.private_left_out} left out)." if p.private_left_out else f"{PRIVATE_NOTE} (none left out)."


def json_text(p: Portfolio) -> str:
    # ASCII escapes: no control character (C1 included) reaches a terminal as itself.
    return json.dumps(to_json(p), ensure_ascii=True, indent=2) + "\n"


# --- Markdown -----------------------------------------------------------------------------------


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def markdown(p: Portfolio) -> str:
    s = p.supervision
    lines = [f"# Portfolio: {_md(p.peer)}", "", f"Window: {_window(p)}", "", PEOPLE_NOTE, "", "## Encounters", ""]
    lines += [
        f"{p.encounters} encounters: {p.individual} individual, {p.group} group "
        f"({p.headcount} taking part in the groups, added up). {_private(p)}",
        "",
    ]
    if p.by_setting:
        lines += ["### By setting", ""] + _table(["Setting", "Encounters"], [[k, str(n)] for k, n in p.by_setting])
    if p.by_month:
        lines += ["### By month", ""] + _table(
            ["Month", "Individual", "Group", "In the groups", "Individual time", "Group time"],
            [[_month(m.month), str(m.individual), str(m.group), str(m.headcount), duration(m.individual_minutes),
              duration(m.group_minutes)] for m in p.by_month],
        )  # fmt: skip
    lines += ["## Supervision", ""]
    lines += _table(
        ["Kind", "Time"],
        [["Individual", duration(s.individual_minutes)], ["Group", duration(s.group_minutes)],
         ["Kind not recorded", duration(s.other_minutes)],
         [f"All ({s.meetings} meetings)", f"{duration(s.minutes)} ({_num(hours(s.minutes))} h)"]],
    )  # fmt: skip
    lines += ["## Training", ""]
    if p.training:
        lines += _table(["Category", "Hours", "Courses"], [[_md(c.category), _num(c.hours), str(c.courses)] for c in p.training])
        lines += [f"{_num(p.training_hours)} hours in all.", ""]
        lines += ["### Courses", ""] + _table(
            ["Date", "Title", "Provider", "Hours", "Category"],
            [[c.day.isoformat(), _md(c.title), _md(c.provider), _num(c.hours), _md(c.category)] for c in p.courses],
        )
    else:
        lines += ["No training recorded in this window.", ""]
    lines += ["## Competencies exercised", "", "Encounters that used each SAMHSA Core Competency category.", ""]
    lines += _table(["", "Competency", "Encounters"], [[k, cycle.COMPETENCY_TITLES[k], str(n)] for k, n in p.competencies])
    lines += ["## Ratings over time", "", FRAMING, ""]
    if p.ratings:
        lines += _table(
            ["Date", "By", *cycle.COMPETENCY_KEYS],
            [[f"{r.at:%Y-%m-%d}", _rater(r.by), *(_level(n) for n in r.levels)] for r in p.ratings],
        )
        lines += ["1 new to me, 2 starting, 3 growing, 4 steady, 5 sharing it; - not rated.", ""]
    else:
        lines += ["No ratings in this window.", ""]
    lines += ["## Goals met", ""]
    if p.goals_met:
        lines += [f"- {g.met.isoformat()}: {_md(g.text)}" + (f" ({g.competency})" if g.competency else "") for g in p.goals_met]
        lines.append("")
    else:
        lines += ["None in this window.", ""]
    lines += [f"Open goals: {p.goals_open}.", ""]
    return visible("\n".join(lines))


# --- HTML ---------------------------------------------------------------------------------------

EXTRA_CSS = """
td.lvl { text-align: center; font-variant-numeric: tabular-nums; }
table.ratings th, table.ratings td { padding: .2rem .3rem; }
p.note { color: #333; font-style: italic; }
"""


def _html_table(head: list[str], rows: list[list[str]], *, nums: int = 0, cls: str = "") -> list[str]:
    """A table; the last `nums` columns right-aligned as numbers."""
    klass = f' class="{cls}"' if cls else ""
    out = [f"<table{klass}>", "<thead><tr>" + "".join(f'<th scope="col">{h(c)}</th>' for c in head) + "</tr></thead>", "<tbody>"]
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            num = i >= len(r) - nums
            cells.append(f'<td class="num">{h(v)}</td>' if num else f"<td>{h(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out + ["</tbody>", "</table>"]


def html(p: Portfolio) -> str:
    s = p.supervision
    title = f"Portfolio: {p.peer}, {_window(p)}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en" xmlns="http://www.w3.org/1999/xhtml">',
        "<head>",
        '<meta charset="utf-8" />',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        '<meta name="generator" content="reflect" />',
        f"<title>{h(title)}</title>",
        f"<style>{CSS}{EXTRA_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Portfolio: {h(p.peer)}</h1>",
        f'<p class="meta">Window: {h(_window(p))}</p>',
        f'<p class="note">{h(PEOPLE_NOTE)}</p>',
        "</header>",
        '<section id="encounters">',
        "<h2>Encounters</h2>",
        f"<p>{p.encounters} encounters: {p.individual} individual, {p.group} group ({p.headcount} taking part in the"
        f" groups, added up). {h(_private(p))}</p>",
    ]
    if p.by_setting:
        out += ["<h3>By setting</h3>"] + _html_table(["Setting", "Encounters"], [[k, str(n)] for k, n in p.by_setting], nums=1)
    if p.by_month:
        out += ["<h3>By month</h3>"] + _html_table(
            ["Month", "Individual", "Group", "In the groups", "Individual time", "Group time"],
            [[_month(m.month), str(m.individual), str(m.group), str(m.headcount), duration(m.individual_minutes),
              duration(m.group_minutes)] for m in p.by_month],
            nums=5,
        )  # fmt: skip
    out += ["</section>", '<section id="supervision">', "<h2>Supervision</h2>"]
    out += _html_table(
        ["Kind", "Time"],
        [["Individual", duration(s.individual_minutes)], ["Group", duration(s.group_minutes)],
         ["Kind not recorded", duration(s.other_minutes)],
         [f"All ({s.meetings} meetings)", f"{duration(s.minutes)} ({_num(hours(s.minutes))} h)"]],
        nums=1,
    )  # fmt: skip
    out += ["</section>", '<section id="training">', "<h2>Training</h2>"]
    if p.training:
        out += _html_table(["Category", "Hours", "Courses"], [[c.category, _num(c.hours), str(c.courses)] for c in p.training], nums=2)
        out += [f"<p>{_num(p.training_hours)} hours in all.</p>", "<h3>Courses</h3>"]
        out += _html_table(
            ["Date", "Title", "Provider", "Hours", "Category"],
            [[c.day.isoformat(), c.title, c.provider, _num(c.hours), c.category] for c in p.courses],
        )
    else:
        out.append("<p>No training recorded in this window.</p>")
    out += ["</section>", '<section id="competencies">', "<h2>Competencies exercised</h2>",
            "<p>Encounters that used each SAMHSA Core Competency category.</p>"]  # fmt: skip
    out += _html_table(["", "Competency", "Encounters"], [[k, cycle.COMPETENCY_TITLES[k], str(n)] for k, n in p.competencies], nums=1)
    out += ["</section>", '<section id="ratings">', "<h2>Ratings over time</h2>", f'<p class="note">{h(FRAMING)}</p>']
    if p.ratings:
        out += ['<table class="ratings">', "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">By</th>"
                + "".join(f'<th scope="col">{k}</th>' for k in cycle.COMPETENCY_KEYS) + "</tr></thead>", "<tbody>"]  # fmt: skip
        for r in p.ratings:
            cells = "".join(f'<td class="lvl">{_level(n)}</td>' for n in r.levels)
            out.append(f"<tr><td>{r.at:%Y-%m-%d}</td><td>{_rater(r.by)}</td>{cells}</tr>")
        out += ["</tbody>", "</table>", "<p>1 new to me, 2 starting, 3 growing, 4 steady, 5 sharing it; - not rated.</p>"]
    else:
        out.append("<p>No ratings in this window.</p>")
    out += ["</section>", '<section id="goals">', "<h2>Goals met</h2>"]
    if p.goals_met:
        out.append("<ul>")
        for g in p.goals_met:
            extra = f" ({g.competency})" if g.competency else ""
            out.append(f"<li>{g.met.isoformat()}: {h(g.text)}{h(extra)}</li>")
        out.append("</ul>")
    else:
        out.append("<p>None in this window.</p>")
    out += [f"<p>Open goals: {p.goals_open}.</p>", "</section>", "</body>", "</html>", ""]
    return "\n".join(out)


def write(out: TextIO, p: Portfolio, fmt: str) -> None:
    """Write `p` to `out` in `fmt` (one of `portfolio.FORMATS`)."""
    if fmt == "json":
        out.write(json_text(p))
    elif fmt == "markdown":
        out.write(markdown(p))
    elif fmt == "html":
        out.write(html(p))
    else:
        raise ValueError(f"unknown portfolio format {fmt!r}")
