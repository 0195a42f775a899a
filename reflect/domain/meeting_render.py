"""One meeting record as Markdown (`reflect meeting show`) and as a JSON document.

Pure, like agenda_render.py. The record comes first, as a board reads it (who, when, how
long, individual or group, how delivered, observed, summary, competence, areas to grow,
actions), then its attestations, each saying whether it still holds, then the agenda the
meeting worked from, as it was stored. A record changed after it was attested says so at
the top, not only beside the attestation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reflect.domain import attestation
from reflect.domain.agenda import day
from reflect.domain.model import Attestation, Meeting

CHANGED = "CHANGED after it was attested: the record is not what was attested, and the attestation no longer counts."
SHORT = 8  # characters of an entry id, as `reflect show` takes them
DELIVERY_WORDS = {"in-person": "in person", "video": "by video", "phone": "by phone"}


def _line(text: str) -> str:
    """One line of Markdown from a value that may hold newlines; "<" would start HTML."""
    return " ".join(text.split()).replace("<", "&lt;")


def _at(meeting_time: Any) -> str:
    return f"{day(meeting_time)} {meeting_time.astimezone():%H:%M}"


def _how(m: Meeting) -> str:
    parts = []
    if m.minutes:
        parts.append(f"{m.minutes} minutes")
    if m.kind:
        parts.append(m.kind)
    if m.delivery:
        parts.append(DELIVERY_WORDS.get(m.delivery, m.delivery))
    parts.append("practice observed" if m.observed else "practice not observed")
    return ", ".join(parts) if (m.minutes or m.kind or m.delivery) else "not recorded (a meeting from before these details were kept)"


def _block(title: str, text: str) -> list[str]:
    body = text.strip()
    return [f"## {title}", "", body.replace("<", "&lt;") if body else "_(none)_", ""]


def _attestation_line(a: Attestation, ok: bool) -> str:
    state = "holds" if ok else "**no longer holds: the record changed after it**"
    return f"- {a.role}: {_line(a.name) or '(no name)'}, {_at(a.at)}: {state}"


def _agenda_lines(agenda: Mapping[str, Any] | None) -> list[str]:
    if not agenda or not agenda.get("sections"):
        return ["## Agenda as it was", "", "_(none stored: recorded without the review screen)_", ""]
    lines = ["## Agenda as it was", ""]
    for n, section in enumerate(agenda.get("sections") or [], 1):
        lines += [f"### {n}. {_line(str(section.get('title', '')))}", ""]
        for item in section.get("items") or []:
            cites = ", ".join(str(e)[:SHORT] for e in item.get("entries") or [])
            lines.append(f"- {_line(str(item.get('text', '')))}" + (f" _(entries: {cites})_" if cites else ""))
        lines.append("")
    closed = agenda.get("closed") or []
    if closed:
        lines += ["### Earlier actions closed in this meeting", ""]
        lines += [f"- {_line(str(c.get('text', '')))}" for c in closed if isinstance(c, dict)]
        lines.append("")
    return lines


def markdown(meeting: Meeting) -> str:
    """The meeting record, its attestations and its stored agenda, as Markdown."""
    m = meeting
    standing = attestation.standing(m)
    who = _line(m.peer) or "(no peer name)"
    lines = [f"# Supervision meeting: {who}" + (f" with {_line(m.supervisor)}" if m.supervisor.strip() else ""), ""]
    if any(not ok for _, ok in standing):
        lines += [f"**{CHANGED}**", ""]
    creds = [f"peer {_line(m.credentials.peer)}" if m.credentials.peer else "",
             f"supervisor {_line(m.credentials.supervisor)}" if m.credentials.supervisor else ""]  # fmt: skip
    lines += [
        f"- Id: {m.id}",
        f"- Held: {_at(m.held)}",
        f"- Meeting: {_how(m)}",
        f"- Window reviewed: {day(m.since)} to {day(m.until)}",
        f"- Credentials: {'; '.join(c for c in creds if c) or '(none recorded)'}",
        "",
    ]
    lines += _block("Summary", m.summary)
    lines += _block("Competence", m.competence)
    lines += _block("Areas to grow", m.growth_areas)
    lines += _block("Notes", m.notes)
    lines += ["## Action items", ""]
    for a in m.actions:
        extra = ", ".join(p for p in (_line(a.owner), f"due {a.due.isoformat()}" if a.due else "") if p)
        lines.append(f"- [{'x' if a.done else ' '}] {_line(a.text)}" + (f" ({extra})" if extra else ""))
    if not m.actions:
        lines.append("_(none)_")
    lines += ["", "## Attestations", ""]
    lines += [_attestation_line(a, ok) for a, ok in standing] or [
        "_(none yet: `reflect meeting attest ID --as supervisor`)_"
    ]
    lines.append("")
    lines += _agenda_lines(m.agenda)
    return "\n".join(lines).rstrip("\n") + "\n"


def document(meeting: Meeting) -> dict[str, Any]:
    """`reflect meeting show --json`: the meeting as exported (agenda included), the digest
    of its content now, and each attestation with whether it still holds."""
    standing = attestation.standing(meeting)
    return {
        "meeting": meeting.to_dict(),
        "digest": attestation.digest(meeting),
        "changed": any(not ok for _, ok in standing),
        "attestations": [dict(a.to_dict(), holds=ok) for a, ok in standing],
    }
