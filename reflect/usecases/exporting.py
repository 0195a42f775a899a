"""Exporting the journal: which entries go out, and writing them in a format.

Private entries stay in the journal unless asked for (`visibility`): by `include_private`,
or by naming them (`ids`). json and jsonl pass each entry's stored text through (no
re-encoding); the selection still looks at its stored dict. Counts are kept while the
entries are written, so a command can say how many went out and how many stayed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reflect.usecases.damage import or_else
from reflect.usecases.visibility import Selection, shown

if TYPE_CHECKING:
    from reflect.domain.model import Entry
    from reflect.domain.packet import PacketInfo
    from reflect.store import Journal

FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "markdown")

Record = tuple[dict[str, Any], "str | None"]  # (stored dict, its stored JSON text or None)


@dataclass
class Export:
    """What one export writes. `records` is read once, by `write`; `written` and
    `selection.left_out` are complete after it."""

    fmt: str
    records: Iterable[Record]
    selection: Selection
    stories: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0
    worked: list[dict[str, Any]] = field(default_factory=list)  # hours worked, by week
    trainings: list[dict[str, Any]] | None = None  # the JSON document of the whole journal carries them
    ratings: list[dict[str, Any]] = field(default_factory=list)  # the peer's own records:
    goals: list[dict[str, Any]] = field(default_factory=list)  # no entry's text in them
    changed_meetings: int = 0  # meetings going out whose attestation no longer holds
    damaged: list[Path] = field(default_factory=list)  # files missing or unreadable, left out (complete after `write`)

    @property
    def left_out(self) -> int:
        """Private entries kept back (none when they were asked for)."""
        return self.selection.left_out

    def entries(self) -> Iterator[dict[str, Any] | str]:
        """The entries that go out: each stored text where there is one, else its dict."""
        for doc, text in self.records:
            if self.selection.keep(doc):
                self.written += 1
                yield doc if text is None else text


def select(
    journal: Journal,
    fmt: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    include_private: bool = False,
    ids: Sequence[str] = (),
) -> Export:
    """The export of the entries in `[since, until]`, or of the entries named by `ids`
    (full ids or unique prefixes; `NotFound` for one that names none). The JSON document
    also carries the stories and the meetings held in the window; with `ids`, only the
    stories those entries used."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if ids:
        chosen: dict[str, Entry] = {}
        for i in ids:
            entry = journal.get(i)
            chosen[entry.id] = entry
        picked = sorted(chosen.values(), key=lambda e: e.occurred)
        export = Export(fmt, [(e.to_dict(), None) for e in picked], Selection(include_private, frozenset(chosen)))
        if fmt in ("json", "markdown"):
            used = {e.select.story_id for e in picked if e.select.story_id}
            export.stories = [s.to_dict() for s in journal.stories() if s.id in used]
        return export
    damaged: list[Path] = []  # one file that does not read costs that file, never the export
    records = journal.entry_records(since, until, with_text=fmt in ("json", "jsonl"), skip_damaged=damaged)
    export = Export(fmt, records, Selection(include_private), damaged=damaged)
    if fmt in ("json", "markdown"):
        export.stories = [s.to_dict() for s in (or_else(journal.stories, damaged) or [])]
    if fmt == "json":
        from reflect.domain.attestation import standing

        held = [
            m
            for m in (or_else(lambda: journal.meetings(with_agenda=True), damaged) or [])
            if (since is None or m.held >= since) and (until is None or m.held <= until)
        ]
        export.changed_meetings = sum(1 for m in held if any(not ok for _, ok in standing(m)))
        meetings = [m.to_dict() for m in held]
        export.meetings = meetings if include_private else without_private_text(journal, meetings, damaged)
        export.worked = [
            w.to_dict()
            for w in (or_else(journal.worked, damaged) or [])
            if (since is None or w.week >= since.date()) and (until is None or w.week <= until.date())
        ]
        export.trainings = [
            t.to_dict() for t in (or_else(lambda: journal.trainings().all(), damaged) or [])
            if (since is None or t.date >= since.date()) and (until is None or t.date <= until.date())
        ]  # fmt: skip
        growth = journal.growth()
        export.ratings = [r.to_dict() for r in (or_else(growth.ratings, damaged) or []) if _within(r.at, since, until)]
        export.goals = [g.to_dict() for g in (or_else(growth.goals, damaged) or []) if _within(g.created, since, until)]
    return export


def _within(at: datetime, since: datetime | None, until: datetime | None) -> bool:
    return (since is None or at >= since) and (until is None or at <= until)


def without_private_text(
    journal: Journal, meetings: list[dict[str, Any]], damaged: list[Path] | None = None
) -> list[dict[str, Any]]:
    """The meetings with their stored agendas cleared of private text.

    A meeting keeps the agenda as it was on the table, and a review run with
    `--include-private` put private entries on it. Each item citing an entry that is
    private now, or that is gone (nobody can tell what it was), leaves the export, and
    so does its text in `discussed`; the meeting's own notes and actions stay (the
    supervision's words, not an entry's). The journal keeps the agenda whole. With
    `damaged`, a month file that does not read is named there and its entries count as gone."""
    from reflect.domain.agenda import redact_stored

    cited = sorted({
        e for m in meetings for s in (m.get("agenda") or {}).get("sections") or []
        for i in s.get("items") or [] for e in i.get("entries") or []
    })  # fmt: skip
    docs = (or_else(lambda: journal.entry_dicts_by_id(cited), damaged) or {}) if cited else {}  # unread: treated as gone
    visible = {i for i, d in docs.items() if shown(d)}
    out = []
    for m in meetings:
        if not m.get("agenda"):
            out.append(m)
            continue
        agenda, removed = redact_stored(m["agenda"], visible.__contains__)
        gone = set(removed)
        out.append(dict(m, agenda=agenda, discussed=[t for t in m.get("discussed") or [] if t not in gone]))
    return out



def write(out: TextIO, export: Export, *, exported_at: datetime, packet: PacketInfo | None = None) -> None:
    """Write `export` to `out` in its format. `packet`: a sealed export's sender and window,
    carried by the JSON document (the other formats name the peer on each entry)."""
    from reflect.domain import formats

    if export.fmt == "json":
        formats.write_json(
            out, export.entries(), export.stories, export.meetings, exported_at=exported_at, worked=export.worked, trainings=export.trainings, ratings=export.ratings, goals=export.goals, packet=packet
        )
    elif export.fmt == "jsonl":
        formats.write_jsonl(out, export.entries())
    elif export.fmt == "csv":
        formats.write_csv(out, export.entries())  # type: ignore[arg-type]  # no stored text for csv
    else:
        formats.write_markdown(out, export.entries(), stories=export.stories)  # type: ignore[arg-type]


def newline(fmt: str) -> str | None:
    """The newline translation a file for `fmt` needs: csv writes its own line ends."""
    return "" if fmt == "csv" else None
