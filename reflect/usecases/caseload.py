"""A supervisor's caseload from the packets peers sent: one row per peer.

Each `--from` file (a plain export document or a sealed packet, opened by the `read`
given: `packets.read_document` with the person's keys) is read as `review --from` reads
it (`agendas.read_exports`), one at a time, and writes nothing anywhere. Every file is
read and checked before the caseload is returned: one bad or foreign file stops the run
(`BadPacket`, naming its position), since a caseload that quietly leaves a peer out reads
as a peer with nothing to raise.

A peer found in several files is read from the newest (the latest `exported_at`; without
one, or on a tie, the file given later); the older is left whole, so one row never mixes
two exports. Per peer, from that file:

- the last meeting held by now, and the next due: the rules' `next_due` (the last day to
  keep every frequency and gap rule), or, when a whole period after the last meeting went
  by without one, the end of that period (overdue: `next_due` looks at today's period;
  meetings the rule does not count are not "one", so a peer met only by phone under DC
  is overdue from the end of the first meeting's week), else the first meeting of the local schedule after
  the last one (a date already past is overdue);
- supervision minutes in the period against the rules' `target` (only meetings a rule
  of the pack counts: under DC a phone call is not supervision time): the last four whole
  weeks (Monday to Sunday), or, for a pack with a `total` rule, everything up to today
  (a running total);
- crisis encounters since the last meeting (`crisis.is_crisis`): those that happened after
  the window it reviewed, and those journaled or changed after it was held; with no meeting,
  all. Counted only: how many, how many the supervisor was not told of, how many are private
  (as the agenda counts private crises, nothing of their text is read out);
- open action items from every meeting, and those past their due date.

The rules are `--rules` or the local `supervision_rules` setting; hours worked are the
weeks the packet carries (`worked`), else the local `weekly_hours`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from reflect.domain.caseload import Case, Caseload
from reflect.domain.collector import no_cycle_gc
from reflect.domain.crisis import is_crisis
from reflect.domain.private_crisis import PrivateCrisis
from reflect.domain.formats import ImportFormatError
from reflect.domain.supervision_rules import (
    Pack,
    Worked,
    local_day,
    next_due,
    period_end,
    period_start,
    target,
    week_start,
)
from reflect.usecases.agendas import Exported, next_meeting_for, read_exports
from reflect.usecases.visibility import is_private

if TYPE_CHECKING:
    from reflect.domain.model import Meeting
    from reflect.store import Journal

PERIOD_WEEKS = 4


class BadPacket(ValueError):
    """A `--from` file that cannot be read as a peer's export: `position` (1-based) and
    the reader's error, which names the file and the kind of problem, never its content."""

    def __init__(self, position: int, error: ImportFormatError):
        super().__init__(f"--from file {position}: {error}")
        self.position = position
        self.error = error


@dataclass
class _Read:
    """One file as read: its position, when it was exported, and what it holds."""

    position: int
    path: str
    exported_at: datetime | None
    data: Exported

    def peers(self) -> set[str]:
        found = {r[1] for r in self.data.rows} | {m.peer for m in self.data.meetings}
        return found or set(self.data.owners)


def _exported_at(value: Any) -> datetime | None:
    from reflect.domain.model import ValidationError, parse_iso_datetime

    try:
        return None if value is None else parse_iso_datetime(value, "exported_at")
    except ValidationError:
        return None


def _worked(head: dict[str, Any], path: str, peer: str, default: float | None) -> Worked:
    from reflect.domain.model import ValidationError
    from reflect.domain.worked import WorkedWeek, by_week

    raw = head.get("worked") or []
    if not isinstance(raw, list):
        raise ImportFormatError(path, "worked", "expected a list of weeks worked")
    weeks = []
    for i, item in enumerate(raw):
        try:
            weeks.append(WorkedWeek.from_dict(item))
        except ValidationError as exc:
            raise ImportFormatError(path, f"week worked {i + 1}", str(exc)) from None
    return Worked(by_week(weeks, peer), default)


def read_packet(position: int, path: str, read: Callable[[str], str] | None = None) -> _Read:
    """One file read and checked; `BadPacket` when it is not a peer's export."""
    try:
        data = read_exports([path], read)
    except ImportFormatError as exc:
        raise BadPacket(position, exc) from None
    head = data.heads.get(path, {})
    return _Read(position, path, _exported_at(head.get("exported_at")), data)


def _period(pack: Pack | None, meetings: list[Meeting], today: date) -> tuple[date, date]:
    if pack is not None and any(r.type == "total" for r in pack.rules):
        first = min((local_day(m.held) for m in meetings), default=today)
        return min(first, today), today
    end = week_start(today) - timedelta(days=1)
    return end - timedelta(weeks=PERIOD_WEEKS) + timedelta(days=1), end


def _missed(pack: Pack, meetings: list[Meeting], today: date) -> date | None:
    """The end of the first period after the last meeting that a frequency rule needs one
    in (a weekly rule, met last in the week of the 2nd: the end of the week of the 9th).
    `next_due` looks only at the current period; past it, this says the meeting is overdue."""
    dues = []
    for rule in pack.rules:
        if rule.type != "frequency":
            continue
        counted = [m for m in meetings if rule.counts(m)]
        if not meetings or next_due(replace(pack, rules=(rule,)), meetings, today) is None:
            continue  # never met (next_due says when), or the rule no longer applies
        if not counted:
            # Met, but never in a way the rule counts (a phone call under a face-to-face
            # rule): every period from the first meeting's fell short.
            dues.append(period_end(rule.period, period_start(rule.period, local_day(meetings[0].held))))
            continue
        following = period_end(rule.period, period_start(rule.period, local_day(counted[-1].held))) + timedelta(days=1)
        dues.append(period_end(rule.period, following))
    return min(dues, default=None)


def _counts(pack: Pack | None, meeting: Meeting) -> bool:
    """Whether a meeting's minutes count toward the hours: with rules, only a meeting
    some rule of the pack counts (DC counts face-to-face: in person or by video)."""
    return pack is None or not pack.rules or any(rule.counts(meeting) for rule in pack.rules)


def _crises(f: _Read, peer: str, last: Meeting | None, now: datetime) -> tuple[int, int, int]:
    """(crises, not notified, private) since the last meeting; each counted entry is
    checked in full, so a damaged one names its file and position."""
    from reflect.domain.model import Entry, ValidationError

    cut = last.until if last is not None else None
    total = untold = private = 0
    for occurred, who, raw, source, index in f.data.rows:
        if who != peer or occurred > now or not is_crisis(raw):
            continue
        crisis = PrivateCrisis.of(raw, default_peer=peer)
        if cut is not None and last is not None and occurred < cut and crisis.changed < last.held:
            continue  # reviewed at the last meeting
        if isinstance(raw, dict):
            try:
                Entry.from_dict(raw, default_peer=peer)
            except ValidationError as exc:
                raise BadPacket(f.position, ImportFormatError(source, f"entry {index + 1}", str(exc))) from None
        total += 1
        untold += not crisis.notified
        private += is_private(raw)
    return total, untold, private


def _case(
    f: _Read,
    peer: str,
    *,
    pack: Pack | None,
    schedule: str,
    weekly_hours: float | None,
    now: datetime,
    today: date,
) -> tuple[Case, tuple[date, date]]:
    meetings = sorted((m for m in f.data.meetings if m.peer == peer and m.held <= now), key=lambda m: m.held)
    last = meetings[-1] if meetings else None
    worked = _worked(f.data.heads.get(f.path, {}), f.path, peer, weekly_hours)
    due: date | None = None
    due_by = ""
    overdue = 0
    if pack is not None:
        due = min([d for d in (next_due(pack, meetings, today, worked), _missed(pack, meetings, today)) if d is not None], default=None)
        due_by = "rules" if due is not None else ""
        if due is not None and due < today:
            overdue = (today - due).days
    if due is None and schedule.strip():
        scheduled = next_meeting_for(schedule, last.held if last is not None else now)
        if scheduled is not None:
            due, due_by = scheduled.astimezone().date(), "schedule"
            if scheduled < now:
                overdue = max(1, (today - due).days)
    since, until = _period(pack, meetings, today)
    minutes = sum(m.minutes for m in meetings if since <= local_day(m.held) <= until and _counts(pack, m))
    wanted = target(pack, since, until, worked) if pack is not None else None
    crises, untold, private = _crises(f, peer, last, now)
    open_n = late_n = 0
    for m in meetings:
        for a in m.open_actions():
            open_n += 1
            late_n += a.due is not None and a.due < today
    case = Case(
        peer=peer, packet=f.position, last_meeting=last.held if last is not None else None,
        next_due=due, due_by=due_by, overdue_days=overdue, minutes=minutes, target_minutes=wanted,
        crises=crises, crises_not_notified=untold, crises_private=private,
        actions_open=open_n, actions_overdue=late_n,
    )  # fmt: skip
    return case, (since, until)


def caseload(
    paths: Sequence[str],
    journal: Journal,
    *,
    rules: str | None = None,
    read: Callable[[str], str] | None = None,
    now: datetime | None = None,
) -> Caseload:
    """The caseload of the peers in `paths` as of `now` (default: the clock). `rules`: a
    pack name or file (None: the `supervision_rules` setting; "" : none). Raises
    `BadPacket` for a file that cannot be read, `RulesError` for rules that cannot be used.
    Reads the local settings only (rules, schedule, weekly hours); writes nothing."""
    from reflect.domain.model import now as clock
    from reflect.usecases.supervision_log import load_pack, rules_spec

    made = now or clock()
    today = made.astimezone().date()
    spec = rules_spec(journal, rules)
    pack = load_pack(spec) if spec else None
    settings = journal.settings()
    floor = datetime.min.replace(tzinfo=made.tzinfo)
    chosen: dict[str, tuple[tuple[datetime, int], Case, tuple[date, date]]] = {}
    with no_cycle_gc():
        for position, path in enumerate(paths, 1):
            # One file at a time: its rows are worked out and its parsed data let go before
            # the next is read, so fifty packets never sit in memory together.
            f = read_packet(position, path, read)
            rank = (f.exported_at or floor, position)
            for peer in f.peers():
                had = chosen.get(peer)
                if had is None or rank >= had[0]:
                    case, span = _case(f, peer, pack=pack, schedule=settings.schedule,
                                       weekly_hours=settings.weekly_hours, now=made, today=today)  # fmt: skip
                    chosen[peer] = (rank, case, span)
            del f
    cases = [chosen[peer][1] for peer in sorted(chosen)]
    spans = [chosen[peer][2] for peer in chosen] or [_period(pack, [], today)]
    period = (min(s[0] for s in spans), max(s[1] for s in spans))
    return Caseload(
        made=made, today=today, since=period[0], until=period[1],
        rules=pack.name if pack is not None else "",
        rules_source=f"{pack.source.body}, {pack.source.rule}" if pack is not None else "",
        cases=cases,
    )  # fmt: skip


def source_of(case: Case, paths: Sequence[str]) -> str:
    """The file a row was read from (the screen opens that peer's agenda from it)."""
    return paths[case.packet - 1]
