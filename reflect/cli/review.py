"""`reflect review` and `reflect meeting`: prepare supervision, and the meeting record.

`review --format ...` prints the agenda and never imports textual; `review` alone
opens the review screen. `--from FILE` reads peers' export documents instead of the
local journal and writes nothing anywhere: every file is read and checked before a
line is printed, so a malformed file stops the command with its name and no output.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from reflect.cli.kit import (
    ReflectGroup,
    EXIT_BAD_INPUT,
    ReflectContext,
    check_journal_location,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    say,
    warn,
)

FORMATS = ("markdown", "json", "text")


# --- reading export files (the --from fast path) ----------------------------------------


@dataclass
class Exported:
    """What the --from files hold: every entry's time and peer, parsed lazily in full."""

    rows: list[tuple[datetime, str, Any, str, int]] = field(default_factory=list)  # occurred, peer, raw, source, index
    stories: list[Any] = field(default_factory=list)
    meetings: list[Any] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    peers: set[str] = field(default_factory=set)

    def load(self, lo: datetime, hi: datetime) -> list[Any]:
        """The entries with `lo <= occurred <= hi`, validated in full (Entry.from_dict)."""
        from reflect.domain.formats import ImportFormatError, parse_import
        from reflect.domain.model import Entry, ValidationError

        out = []
        for occurred, peer, raw, source, index in self.rows:
            if lo <= occurred <= hi:
                if isinstance(raw, Entry):
                    out.append(raw)
                    continue
                try:
                    out.append(Entry.from_dict(raw, default_peer=peer))
                except ValidationError as exc:
                    parse_import(self.texts[source], source=source, default_peer=peer)  # the precise message
                    raise ImportFormatError(source, f"entry {index + 1}", str(exc)) from None
        return out


def _stem_peer(path: str) -> str:
    return Path(path).stem


def read_exports(paths: list[str]) -> Exported:
    """Read export documents (or anything `reflect import` reads) from `paths`.

    The fast path: a well-formed export document is decoded once, its stories and
    meetings validated, and each entry's shape (an object of known fields with a
    readable `occurred` and `peer`) checked; entries are validated in full when the
    agenda loads them (`Exported.load`: the window and the one before it), which
    keeps a 50,000-entry file near the cost of `json.loads`. Anything else, and
    any error, goes through `export.parse_import`, whose message names the file and position.
    An entry without a peer takes the file's name (alex.json -> alex).
    """
    from reflect.domain.model import Entry

    known = frozenset(Entry.FIELDS)
    out = Exported()
    with no_cycle_gc():
        for path in paths:
            _read_one(path, out, known)
    return out


@contextmanager
def no_cycle_gc() -> Iterator[None]:
    """Pause the cycle collector: decoding builds millions of small acyclic objects,
    which it would scan again and again while they are kept, with nothing to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_one(path: str, out: Exported, known: frozenset[str]) -> None:
    from reflect.domain.formats import DOCUMENT_FIELDS, FORMAT, VERSION, ImportFormatError, parse_import
    from reflect.domain.model import Meeting, Story, ValidationError, parse_iso_datetime

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(path, "", f"not UTF-8 text (byte {exc.start + 1})") from None
    except OSError as exc:
        raise ImportFormatError(path, "", f"cannot read: {exc.strerror or exc}") from None
    out.texts[path] = text
    default_peer = _stem_peer(path)
    try:
        data = json.loads(text[1:] if text.startswith("\ufeff") else text)
    except (ValueError, RecursionError):  # not JSON, too deep, a number too long: parse_import says which
        data = None
    fast = (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and type(data.get("version")) is int
        and 1 <= data["version"] <= VERSION
        and set(data) <= set(DOCUMENT_FIELDS)
        and all(isinstance(data.get(k) or [], list) for k in ("entries", "stories", "meetings"))
    )
    try:
        if not fast:
            raise ValidationError("", "not the fast path")
        stories = [Story.from_dict(s) for s in data.get("stories") or []]
        meetings = [Meeting.from_dict(m) for m in data.get("meetings") or []]
        rows = []
        for i, raw in enumerate(data.get("entries") or []):
            if not isinstance(raw, dict) or not known.issuperset(raw.keys()):
                raise ValidationError("", "not an entry object")
            peer = raw.get("peer") or default_peer
            if not isinstance(peer, str):
                raise ValidationError("peer", "not a string")
            rows.append((parse_iso_datetime(raw.get("occurred"), "occurred"), peer, raw, path, i))
    except ValidationError:
        doc = parse_import(text, source=path, default_peer=default_peer)  # raises the precise error
        stories, meetings = doc.stories, doc.meetings
        rows = [(e.occurred, e.peer, e, path, i) for i, e in enumerate(doc.entries)]
    out.rows += rows
    out.stories += stories
    out.meetings += meetings
    out.peers |= {r[1] for r in rows}


# --- building the agendas -------------------------------------------------------------------


def next_meeting_for(schedule: str, after: datetime | None = None) -> datetime | None:
    """The next meeting from the settings' schedule, or None when none is set.

    `reflect config` refuses a schedule it cannot read, but the settings file may be
    edited by hand: an unreadable schedule counts as none here (the agenda still
    comes out); `unreadable_schedule` lets a command say so."""
    if not schedule.strip():
        return None
    from reflect.domain.dates import DateError, next_meeting

    try:
        return next_meeting(schedule, after=after)
    except (DateError, ValueError, OverflowError):
        return None


def unreadable_schedule(schedule: str) -> str | None:
    """Why the settings' schedule cannot be read, or None when it can (or is unset)."""
    if not schedule.strip():
        return None
    from reflect.domain.dates import DateError, next_meeting

    try:
        next_meeting(schedule)
    except (DateError, ValueError, OverflowError) as exc:
        return f"the schedule in settings cannot be read ({exc}); set it again with `reflect config schedule ...`"
    return None


def recorded_line(meeting: Any) -> str:
    """What the review screen saved, said once the screen has closed (stderr)."""
    from reflect.domain.dates import format_when

    n = len(meeting.actions)
    who = f" with {meeting.peer}" if meeting.peer else ""
    return f"meeting{who} recorded ({format_when(meeting.held)}): {n} action item{'s' if n != 1 else ''}"


def journal_agendas(
    journal: Any,
    *,
    until: datetime | None = None,
    since: datetime | None = None,
    peer: str | None = None,
    include_private: bool = False,
) -> list[Any]:
    """The agendas from the local journal (the review screen uses this too)."""
    from reflect.domain.agenda import build_agendas
    from reflect.domain.model import now

    until = until or now()
    settings = journal.settings()
    return build_agendas(
        lambda lo, hi: journal.entries(lo, hi),
        journal.review_meetings(),
        until=until,
        since=since,
        peer=peer,
        stories=journal.stories(),
        next_meeting=next_meeting_for(settings.schedule, until),
        include_private=include_private,
        fallback_peers=[settings.peer or journal.default_peer()],
    )


def export_agendas(
    paths: list[str],
    journal: Any,
    *,
    until: datetime | None = None,
    since: datetime | None = None,
    peer: str | None = None,
    include_private: bool = False,
) -> list[Any]:
    """The agendas from peers' export files. Reads the local settings only (schedule).
    UnknownPeer when `peer` has neither an entry nor a meeting in the files."""
    from reflect.domain.agenda import build_agendas
    from reflect.domain.model import now

    until = until or now()
    schedule = journal.settings().schedule
    with no_cycle_gc():
        exported = read_exports(paths)
        if peer is not None:
            known = exported.peers | {m.peer for m in exported.meetings}
            if peer not in known:
                raise UnknownPeer(peer, "in " + ", ".join(paths), known)
        return build_agendas(
            exported.load,
            exported.meetings,
            until=until,
            since=since,
            peer=peer,
            stories=exported.stories,
            next_meeting=next_meeting_for(schedule, until),
            include_private=include_private,
            fallback_peers=exported.peers,
        )


class UnknownPeer(ValueError):
    """`--peer` names nobody in the data. A mistyped name would otherwise get an agenda
    reading "Nothing to raise this time" under "Safety first": a supervisor must not
    mistake a typo for a quiet fortnight."""

    def __init__(self, peer: str, where: str, known: set[str]):
        names = ", ".join(sorted(k for k in known if k)) or "none"
        super().__init__(f"--peer: no entries or meetings for {peer!r} {where} (peers: {names})")


def check_journal_peer(journal: Any, peer: str) -> None:
    """UnknownPeer when the journal has no entry or meeting of `peer`. The owner and the
    peers met are checked first; only then are entries read, newest first, up to the
    first of that peer's (the whole journal only when the name is wrong)."""
    settings = journal.settings()
    known = {settings.peer, journal.default_peer()} | {m.peer for m in journal.review_meetings()}
    if peer in known:
        return
    for doc in journal.entry_dicts(newest_first=True):
        if doc.get("peer") == peer:
            return
        known.add(doc.get("peer") or "")
    raise UnknownPeer(peer, "in the journal", known)


# --- the commands ---------------------------------------------------------------------------


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Print the agenda instead of opening the review screen.")
@click.option("--since", metavar="WHEN", help='Start of the window, e.g. "2 weeks ago" (default: the last meeting, else 14 days ago).')
@click.option("--until", metavar="WHEN", help='End of the window, e.g. "yesterday" (default: now).')
@click.option("--peer", metavar="NAME", help="Only this peer's agenda.")
@click.option("--include-private", is_flag=True, help="Include entries marked private (never shown otherwise).")
@click.option(
    "--from", "sources", metavar="FILE", multiple=True, type=click.Path(dir_okay=False),
    help="Read a peer's export document instead of the local journal (repeatable).",
)  # fmt: skip
@pass_rctx
@handle_errors
def review(
    rctx: ReflectContext,
    fmt: str | None,
    since: str | None,
    until: str | None,
    peer: str | None,
    include_private: bool,
    sources: tuple[str, ...],
) -> None:
    """Prepare supervision: the agenda since the last meeting, safety first.

    Opens the review screen, where items are marked discussed, notes and action
    items written and the meeting recorded. With --format, prints the agenda
    (markdown, json or text) to stdout, one per peer.
    """
    from reflect.domain.formats import ImportFormatError

    since_dt = parse_date_option(since, "--since")
    until_dt = parse_date_option(until, "--until", end=True)
    if since_dt and until_dt and since_dt > until_dt:
        fail("--since is after --until: the window is empty", EXIT_BAD_INPUT)
    if fmt is None and sources:
        fail("--from works with --format (the review screen records meetings in the local journal)", EXIT_BAD_INPUT)
    if peer is not None and not peer.strip():
        fail("--peer: the name is empty", EXIT_BAD_INPUT)
    if peer is not None and not sources:
        # On the screen as in print: a mistyped name must not pass for a quiet fortnight.
        try:
            check_journal_peer(rctx.journal, peer)
        except UnknownPeer as exc:
            fail(str(exc), EXIT_BAD_INPUT)
    if fmt is None:
        from reflect.screens.review import run_review

        check_journal_location(rctx.db)
        recorded = run_review(rctx.db, since=since_dt, until=until_dt, peer=peer, include_private=include_private)
        for meeting in recorded:
            say(recorded_line(meeting))
        if not recorded:
            say("no meeting recorded")
        return
    kwargs = dict(until=until_dt, since=since_dt, peer=peer, include_private=include_private)
    problem = unreadable_schedule(rctx.journal.settings().schedule)
    if problem:
        warn(problem)
    try:
        if sources:
            agendas = export_agendas(list(sources), rctx.journal, **kwargs)
        else:
            agendas = journal_agendas(rctx.journal, **kwargs)
    except (ImportFormatError, UnknownPeer) as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    from reflect.domain import agenda_render

    agenda_render.write(sys.stdout, agendas, fmt)
    if include_private:
        warn("private entries are included: share this agenda with care")


@click.group(cls=ReflectGroup)
def meeting() -> None:
    """Supervision meetings: the next date from the schedule, and past meetings."""


@meeting.command("next")
@pass_rctx
@handle_errors
def meeting_next(rctx: ReflectContext) -> None:
    """Print the next supervision meeting from the schedule in settings."""
    from reflect.domain.model import now

    schedule = rctx.journal.settings().schedule
    problem = unreadable_schedule(schedule)
    if problem:
        fail(problem)
    when = next_meeting_for(schedule, now())
    if when is None:
        fail(
            "no supervision schedule is set (e.g. \"every 2 weeks on tuesday at 10:00\" in settings)"
            if not schedule.strip()
            else f"the schedule {schedule!r} has no meeting after now"
        )
    click.echo(when.isoformat())


@meeting.command("list")
@click.option("--peer", metavar="NAME", help="Only this peer's meetings.")
@click.option("--json", "as_json", is_flag=True, help="Print the meetings as a JSON array.")
@pass_rctx
@handle_errors
def meeting_list(rctx: ReflectContext, peer: str | None, as_json: bool) -> None:
    """List past supervision meetings, oldest first."""
    from reflect.domain.agenda import day

    meetings = rctx.journal.meetings(peer)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in meetings], ensure_ascii=False, indent=2))
        return
    if not meetings:
        say("no meetings recorded yet")
        return
    for m in meetings:
        open_n = len(m.open_actions())
        parts = [
            m.id[:8],
            f"{day(m.held)} {m.held.astimezone():%H:%M}",
            m.peer or "-",
            f"reviewed {day(m.since)} to {day(m.until)}",
            f"{len(m.actions)} action(s), {open_n} open",
        ]
        click.echo("  ".join(parts))
