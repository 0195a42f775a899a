"""The agenda as Markdown, plain text and the JSON document.

A module of its own, pure like agenda.py, so `reflect review --format ...` never
imports textual and export.py stays about the journal's own formats. Markdown is
meant to be printed or pasted into a meeting record: numbered sections, one bullet
per item, the cited entries as short ids (the ones `reflect show` accepts), and a
space under each section for notes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from reflect.domain.agenda import Agenda, Item, day, document, when

SHOW_IDS = 6  # cited ids shown per item in Markdown and text; the JSON holds them all
SHORT = 8


def _cites(item: Item) -> str:
    if not item.entries:
        return ""
    shown = ", ".join(i[:SHORT] for i in item.entries[:SHOW_IDS])
    more = len(item.entries) - SHOW_IDS
    if more > 0:
        shown += f" and {more} more"
    return shown


def _next(agenda: Agenda) -> str:
    if agenda.next_meeting is None:
        return "not scheduled (set a supervision schedule in settings)"
    return f"{day(agenda.next_meeting)} {agenda.next_meeting.astimezone():%H:%M}"


def _md_escape(text: str) -> str:
    # One line per bullet (the peer's words may hold newlines); "<" would start HTML.
    text = " ".join(text.split())
    return text.replace("<", "&lt;")


def markdown(agenda: Agenda) -> str:
    peer = agenda.peer or "(no peer name)"
    lines = [
        f"# Supervision agenda: {peer}",
        "",
        f"Window: {when(agenda.since)}, {agenda.since.astimezone().year} to "
        f"{when(agenda.until)}, {agenda.until.astimezone().year}  ",
        f"Next meeting: {_next(agenda)}",
        "",
    ]
    for n, section in enumerate(agenda.sections, 1):
        lines += [f"## {n}. {section.title}", ""]
        for item in section.items:
            cites = _cites(item)
            lines.append(f"- [ ] {_md_escape(item.text)}" + (f" _(entries: {cites})_" if cites else ""))
        lines.append("")
    lines += ["## Notes and actions agreed", "", "- ", ""]
    return "\n".join(lines)


def text(agenda: Agenda) -> str:
    peer = agenda.peer or "(no peer name)"
    head = f"Supervision agenda: {peer}"
    lines = [
        head,
        "=" * len(head),
        f"Window: {when(agenda.since)}, {agenda.since.astimezone().year} to "
        f"{when(agenda.until)}, {agenda.until.astimezone().year}",
        f"Next meeting: {_next(agenda)}",
        "",
    ]
    for n, section in enumerate(agenda.sections, 1):
        title = f"{n}. {section.title}"
        lines += [title, "-" * len(title)]
        for item in section.items:
            lines.append(f"  * {' '.join(item.text.split())}")
            cites = _cites(item)
            if cites:
                lines.append(f"    entries: {cites}")
        lines.append("")
    return "\n".join(lines)


def write(out: TextIO, agendas: Iterable[Agenda], fmt: str) -> None:
    """Write every agenda in `fmt` ("markdown", "text" or "json")."""
    agendas = list(agendas)
    if fmt == "json":
        out.write(json.dumps(document(agendas), ensure_ascii=False, indent=2) + "\n")
        return
    render = markdown if fmt == "markdown" else text
    sep = "\n---\n\n" if fmt == "markdown" else "\n\n"
    out.write(sep.join(render(a) for a in agendas))
