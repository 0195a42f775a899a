"""The caseload as a table that fits 80 columns, and as its JSON document.

Pure, so `reflect caseload` never imports textual; the app's caseload screen uses the
same cells (`cells`). Peer names come from packets anyone may have written: every cell
goes through `terminal.escape`, and a long name is cut to its column.
"""

from __future__ import annotations

import json
from typing import TextIO

from reflect.domain.caseload import Case, Caseload
from reflect.domain.supervision_rules import hours_text
from reflect.domain.terminal import escape

WIDTH = 80
# (title, width, right-aligned) of each column after the one-character mark.
COLUMNS = (
    ("Peer", 16, False),
    ("Last met", 10, False),
    ("Next due", 10, False),
    ("Late", 4, True),
    ("Hours", 9, True),
    ("Crises", 10, True),
    ("Actions", 10, True),
)
LEGEND = (
    "! needs attention, in this order: a crisis the supervisor was not told of, a",
    "  meeting overdue, late action items, crises since the last meeting, hours short",
    "Crises since the last meeting: (n!) the supervisor was not told; nP private.",
)


def fit(text: str, width: int) -> str:
    """`text` on one line, cut to `width` with an ellipsis."""
    text = escape(" ".join(text.split()), keep_lines=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def cells(case: Case) -> list[str]:
    """A row's cells, in COLUMNS order, without the mark."""
    last = case.last_meeting.astimezone().date().isoformat() if case.last_meeting is not None else "never"
    due = case.next_due.isoformat() if case.next_due is not None else "-"
    late = f"{case.overdue_days}d" if case.overdue_days > 0 else ""
    hours = hours_text(case.minutes / 60)
    if case.target_minutes is not None:
        hours += f"/{hours_text(case.target_minutes / 60)}"
    crises = str(case.crises)
    if case.crises_not_notified:
        crises += f" ({case.crises_not_notified}!)"
    if case.crises_private:
        crises += f" {case.crises_private}P"
    actions = str(case.actions_open)
    if case.actions_overdue:
        actions += f" ({case.actions_overdue} late)"
    return [case.peer, last, due, late, hours + " h", crises, actions]


def _line(mark: str, values: list[str]) -> str:
    parts = [mark]
    for value, (_, width, right) in zip(values, COLUMNS, strict=True):
        cell = fit(value, width)
        parts.append(cell.rjust(width) if right else cell.ljust(width))
    return " ".join(parts).rstrip()


def text(caseload: Caseload) -> str:
    """The table: a heading line, one row per peer (most urgent first, `!` marking whoever
    needs attention), and a legend. Every line fits 80 columns."""
    rules = f"rules {caseload.rules}" if caseload.rules else "no rules (the schedule alone)"
    head = f"Caseload on {caseload.today.isoformat()}: hours {caseload.since.isoformat()} to {caseload.until.isoformat()},"
    # The rules on the same line when they fit, else on the next: never cut mid-phrase.
    heading = [f"{head} {escape(rules, keep_lines=False)}"] if len(head) + 1 + len(rules) <= WIDTH else [head, fit(rules, WIDTH)]
    lines = [*heading, _line(" ", [title for title, _, _ in COLUMNS])]
    for case in caseload.ordered():
        lines.append(_line("!" if case.attention else " ", cells(case)))
    if not caseload.cases:
        lines.append("  (no peers in the packets)")
    lines += ["", *LEGEND]
    return "\n".join(lines) + "\n"


def write(out: TextIO, caseload: Caseload, fmt: str) -> None:
    """`fmt`: "text" or "json"."""
    if fmt == "json":
        json.dump(caseload.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(text(caseload))
