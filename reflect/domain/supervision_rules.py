"""Supervision rules as data, and the pure engine that checks meetings against them.

Boards and payers state what supervision a peer worker needs in a few shapes, and a rule
pack (a JSON file, `reflect/rules/supervision/*.json`, or one a person writes) lists rules
of these types:

- `frequency`: every calendar `period` (`week`, Monday to Sunday, or `month`) needs at
  least `meetings` meetings and `minutes` minutes; with `first_months`, only the periods
  that start within that many months of the start (the initial certification).
- `ratio`: `minutes` of supervision for every `per_hours_worked` hours worked.
- `gap`: never more than `max_hours_worked` hours worked without a meeting.
- `total`: `minutes` in all; with `group_max_minutes`, group minutes past that cap do
  not count toward it.

Any rule may narrow which meetings count with `kinds` (`individual`, `group`) and
`delivery` (`in-person`, `video`, `phone`). `parse_pack` validates a file strictly (one
`ValidationError` naming the field); `evaluate`, `next_due` and `target` are the engine,
pure and deterministic: they read the dates of meetings in the local zone and never the
clock. The log (`usecases/supervision_log.py`) and the caseload call them.

Days and weeks: a window is whole local days `since..until`, both included. A period is
checked only when it lies wholly in the window (a week still under way is not yet short);
without `since` the first period checked is the one holding the first meeting. Hours
worked come by week (`Worked`: recorded weeks, else a default) and are spread evenly over
the week's seven days, so a gap or a ratio over part of a week takes its share.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from reflect.domain.fields import ValidationError, _join, kind_of

FORMAT = "reflect-supervision-rules"
VERSION = 1
TYPES = ("frequency", "ratio", "gap", "total")
PERIODS = ("week", "month")
KINDS = ("individual", "group")
DELIVERIES = ("in-person", "video", "phone")
MAX_HOURS_A_WEEK = 168.0

_TOP = ("format", "version", "name", "title", "source", "rules")
_SOURCE = ("body", "rule", "url", "note")
_COMMON = ("id", "type", "text", "kinds", "delivery")
_BY_TYPE: dict[str, tuple[str, ...]] = {
    "frequency": ("period", "meetings", "minutes", "first_months"),
    "ratio": ("minutes", "per_hours_worked"),
    "gap": ("max_hours_worked",),
    "total": ("minutes", "group_max_minutes"),
}


# --- the pack -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a pack's rules come from: the issuing body, the rule or document, a web
    address where there is one, and the note to check with the body before relying on it."""

    body: str
    rule: str
    url: str
    note: str

    def to_dict(self) -> dict[str, str]:
        return {"body": self.body, "rule": self.rule, "url": self.url, "note": self.note}


@dataclass(frozen=True)
class Rule:
    """One rule of a pack; which fields matter depends on `type` (see the module's doc)."""

    id: str
    type: str
    text: str
    kinds: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    period: str = "week"
    meetings: int = 1
    minutes: int = 0
    first_months: int = 0
    per_hours_worked: float = 0.0
    max_hours_worked: float = 0.0
    group_max_minutes: int | None = None

    def counts(self, meeting: Held) -> bool:
        """Whether `meeting` counts toward this rule (its kind and delivery)."""
        return (not self.kinds or meeting.kind in self.kinds) and (
            not self.delivery or meeting.delivery in self.delivery
        )


@dataclass(frozen=True)
class Pack:
    """A named set of rules with its source."""

    name: str
    title: str
    source: Source
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Check:
    """One rule's outcome: `detail` names each week or period that fell short (or, when
    `ok`, what was checked)."""

    id: str
    text: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "ok": self.ok, "detail": self.detail}


class Held(Protocol):
    """What the engine reads of a meeting (`reflect.domain.model.Meeting` has it)."""

    @property
    def held(self) -> datetime: ...
    @property
    def minutes(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def delivery(self) -> str: ...


@dataclass(frozen=True)
class Worked:
    """Hours worked: by week (the Monday), else `default` hours a week (None: unknown)."""

    weeks: Mapping[date, float] = field(default_factory=dict)
    default: float | None = None

    def week(self, monday: date) -> float | None:
        return self.weeks.get(monday, self.default)


# --- reading a pack strictly ----------------------------------------------------------------


def _bad(path: str, problem: str) -> ValidationError:
    return ValidationError(path, problem)


def _keys(data: Any, path: str, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _bad(path, f"expected {what} object, got {kind_of(data)}")
    for key in data:
        if key not in allowed:
            raise _bad(_join(path, key), f"unknown field (known: {', '.join(allowed)})")
    return data


def _text(d: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = d.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        got = "nothing" if value is None else ("empty text" if isinstance(value, str) else kind_of(value))
        raise _bad(_join(path, key), f"expected text, got {got}")
    if any(ord(c) < 32 for c in value):
        raise _bad(_join(path, key), "must be one line of text")
    return value.strip()


def _whole(d: dict[str, Any], key: str, path: str, default: int | None, low: int) -> int:
    value = d.get(key)
    if value is None:
        if default is None:
            raise _bad(_join(path, key), "required: a whole number")
        return default
    if type(value) is not int or value < low:
        raise _bad(_join(path, key), f"expected a whole number of at least {low}, got {kind_of(value)}")
    return value


def _hours(d: dict[str, Any], key: str, path: str) -> float:
    value: Any = d.get(key)
    if type(value) not in (int, float) or not math.isfinite(value) or not (0 < value <= 100_000):
        got = "nothing" if value is None else kind_of(value)
        raise _bad(_join(path, key), f"expected a number of hours above 0, got {got}")
    return float(value)


def _choices(d: dict[str, Any], key: str, path: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    value = d.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise _bad(_join(path, key), f"expected a non-empty list of: {', '.join(allowed)}")
    for i, item in enumerate(value):
        if item not in allowed:
            raise _bad(f"{_join(path, key)}[{i}]", f"expected one of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(value))


def _rule(raw: Any, path: str) -> Rule:
    if not isinstance(raw, dict):
        raise _bad(path, f"expected a rule object, got {kind_of(raw)}")
    kind = raw.get("type")
    if kind not in TYPES:
        raise _bad(_join(path, "type"), f"expected one of: {', '.join(TYPES)}")
    d = _keys(raw, path, _COMMON + _BY_TYPE[kind], "a rule")
    rule_id = _text(d, "id", path)
    if not all(c.isalnum() or c in "-_" for c in rule_id):
        raise _bad(_join(path, "id"), "letters, digits, - and _ only")
    common: dict[str, Any] = {
        "id": rule_id,
        "type": kind,
        "text": _text(d, "text", path),
        "kinds": _choices(d, "kinds", path, KINDS),
        "delivery": _choices(d, "delivery", path, DELIVERIES),
    }
    if kind == "frequency":
        period = d.get("period")
        if period not in PERIODS:
            raise _bad(_join(path, "period"), f"expected one of: {', '.join(PERIODS)}")
        return Rule(
            **common, period=period, meetings=_whole(d, "meetings", path, 1, 1),
            minutes=_whole(d, "minutes", path, 0, 0), first_months=_whole(d, "first_months", path, 0, 0),
        )  # fmt: skip
    if kind == "ratio":
        return Rule(**common, minutes=_whole(d, "minutes", path, None, 1), per_hours_worked=_hours(d, "per_hours_worked", path))
    if kind == "gap":
        return Rule(**common, max_hours_worked=_hours(d, "max_hours_worked", path))
    cap = None if d.get("group_max_minutes") is None else _whole(d, "group_max_minutes", path, None, 0)
    return Rule(**common, minutes=_whole(d, "minutes", path, None, 1), group_max_minutes=cap)


def parse_pack(data: Any) -> Pack:
    """A rule pack from its parsed JSON, validated strictly: an unknown field, a wrong
    type, a missing source or a rule id used twice raises `ValidationError` naming the
    field (`rules[1].period`)."""
    d = _keys(data, "", _TOP, "a rule pack")
    if d.get("format") != FORMAT:
        raise _bad("format", f'expected "{FORMAT}"')
    if d.get("version") != VERSION or type(d.get("version")) is not int:
        raise _bad("version", f"expected {VERSION}")
    src = _keys(d.get("source"), "source", _SOURCE, "a source")
    source = Source(
        _text(src, "body", "source"), _text(src, "rule", "source"),
        _text(src, "url", "source", required=False), _text(src, "note", "source"),
    )  # fmt: skip
    raw_rules = d.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _bad("rules", "expected a non-empty list of rules")
    rules = tuple(_rule(r, f"rules[{i}]") for i, r in enumerate(raw_rules))
    seen: set[str] = set()
    for i, r in enumerate(rules):
        if r.id in seen:
            raise _bad(f"rules[{i}].id", "used twice in this pack")
        seen.add(r.id)
    return Pack(_text(d, "name", ""), _text(d, "title", ""), source, rules)


# --- dates ----------------------------------------------------------------------------------


def local_day(when: datetime) -> date:
    """The local calendar day of a meeting."""
    return when.astimezone().date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it has fewer)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def period_start(period: str, day: date) -> date:
    return week_start(day) if period == "week" else day.replace(day=1)


def period_end(period: str, start: date) -> date:
    return start + timedelta(days=6) if period == "week" else add_months(start, 1) - timedelta(days=1)


def period_label(period: str, start: date) -> str:
    """"week of 2026-03-09" or "month of 2026-03": how a detail names a period."""
    return f"week of {start.isoformat()}" if period == "week" else f"month of {start:%Y-%m}"


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def duration(minutes: float) -> str:
    """Minutes in words a board reads: "45 min", "2 h", "1 h 30 min"."""
    m = int(round(minutes))
    hours, rest = divmod(m, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def hours_text(hours: float) -> str:
    return f"{hours:.1f}".removesuffix(".0")


# --- the engine -----------------------------------------------------------------------------


Dated = list[tuple[date, Held]]  # meetings with their local day, oldest first


def _dated(meetings: Sequence[Held]) -> Dated:
    """Each meeting's local day worked out once (a zone conversion is not free)."""
    return sorted(((local_day(m.held), m) for m in meetings), key=lambda p: p[0])


def _counted(rule: Rule, dated: Dated) -> Dated:
    return [(d, m) for d, m in dated if rule.counts(m)]


def _window_start(since: date | None, dated: Dated) -> date | None:
    if since is not None:
        return since
    return dated[0][0] if dated else None


def _periods(rule: Rule, since: date | None, until: date, start: date) -> list[date]:
    """The starts of the periods wholly inside the window that the rule covers."""
    first = period_start(rule.period, start)
    if since is not None and first < since:
        first = period_start(rule.period, period_end(rule.period, first) + timedelta(days=1))
    limit = add_months(start, rule.first_months) if rule.first_months else None
    out = []
    current = first
    while period_end(rule.period, current) <= until:
        if limit is not None and current >= limit:
            break
        out.append(current)
        current = period_end(rule.period, current) + timedelta(days=1)
    return out


def _frequency(rule: Rule, dated: Dated, since: date | None, until: date) -> Check:
    start = _window_start(since, dated)
    if start is None:
        return Check(rule.id, rule.text, False, "no supervision recorded")
    counted = _counted(rule, dated)
    periods = _periods(rule, since, until, start)
    if not periods:
        return Check(rule.id, rule.text, True, f"no whole {rule.period} in the window yet")
    by_period: dict[date, list[Held]] = {}
    for d, m in counted:
        by_period.setdefault(period_start(rule.period, d), []).append(m)
    short = []
    for p in periods:
        held = by_period.get(p, [])
        minutes = sum(m.minutes for m in held)
        label = period_label(rule.period, p)
        if not held:
            short.append(f"{label}: no supervision")
        elif len(held) < rule.meetings:
            short.append(f"{label}: {len(held)} of {rule.meetings} meetings")
        elif minutes < rule.minutes:
            short.append(f"{label}: {duration(minutes)} of {duration(rule.minutes)}")
    span = f"{len(periods)} {rule.period}{'s' if len(periods) != 1 else ''} from {periods[0].isoformat()}"
    if short:
        return Check(rule.id, rule.text, False, f"{len(short)} of {span} fell short: " + "; ".join(short))
    return Check(rule.id, rule.text, True, f"{span}: each met the rule")


def _daily(worked: Worked, start: date, until: date) -> tuple[dict[date, float], list[date]]:
    """Hours worked on each day of the window (the week's hours over its seven days),
    and the Mondays of the weeks whose hours are not known."""
    hours: dict[date, float] = {}
    unknown: list[date] = []
    for day in _days(start, until):
        monday = week_start(day)
        week = worked.week(monday)
        if week is None:
            if monday not in unknown:
                unknown.append(monday)
            week = 0.0
        hours[day] = week / 7
    return hours, unknown


def _unknown_detail(unknown: list[date]) -> str:
    weeks = ", ".join(d.isoformat() for d in unknown[:12]) + (f" and {len(unknown) - 12} more" if len(unknown) > 12 else "")
    return (
        f"hours worked not known for the week{'s' if len(unknown) != 1 else ''} of {weeks} "
        "(record them with `reflect supervision worked`, or set weekly_hours)"
    )


def _in_window(counted: list[tuple[date, Held]], start: date, until: date) -> list[tuple[date, Held]]:
    return [(d, m) for d, m in counted if start <= d <= until]


def _ratio(rule: Rule, dated: Dated, since: date | None, until: date, worked: Worked) -> Check:
    start = _window_start(since, dated)
    if start is None:
        return Check(rule.id, rule.text, False, "no supervision recorded")
    hours, unknown = _daily(worked, start, until)
    if unknown:
        return Check(rule.id, rule.text, False, _unknown_detail(unknown))
    total = sum(hours.values())
    need = total / rule.per_hours_worked * rule.minutes
    have = sum(m.minutes for _, m in _in_window(_counted(rule, dated), start, until))
    span = f"{start.isoformat()} to {until.isoformat()}"
    said = f"{span}: {hours_text(total)} hours worked need {duration(math.ceil(need - 1e-9))}; {duration(have)} recorded"
    if have + 1e-9 < need:
        return Check(rule.id, rule.text, False, f"{said} (short {duration(math.ceil(need - have - 1e-9))})")
    return Check(rule.id, rule.text, True, said)


def _gap(rule: Rule, dated: Dated, since: date | None, until: date, worked: Worked) -> Check:
    start = _window_start(since, dated)
    if start is None:
        return Check(rule.id, rule.text, False, "no supervision recorded")
    hours, unknown = _daily(worked, start, until)
    days_met = {d for d, _ in _in_window(_counted(rule, dated), start, until)}
    gaps: list[str] = []
    acc, began = 0.0, start
    for day in _days(start, until):
        if day in days_met:
            if acc > rule.max_hours_worked + 1e-9:
                gaps.append(f"{began.isoformat()} to {(day - timedelta(days=1)).isoformat()}: {hours_text(acc)} hours worked without supervision")
            acc, began = 0.0, day
        acc += hours[day]
    if acc > rule.max_hours_worked + 1e-9:
        gaps.append(f"since {began.isoformat()}: {hours_text(acc)} hours worked without supervision")
    if unknown:
        return Check(rule.id, rule.text, False, "; ".join([_unknown_detail(unknown), *gaps]))
    if gaps:
        return Check(rule.id, rule.text, False, "; ".join(gaps))
    return Check(rule.id, rule.text, True, f"{start.isoformat()} to {until.isoformat()}: no gap over {hours_text(rule.max_hours_worked)} hours worked")


def _total(rule: Rule, dated: Dated, since: date | None, until: date) -> Check:
    counted = [m for d, m in _counted(rule, dated) if (since is None or d >= since) and d <= until]
    group = sum(m.minutes for m in counted if m.kind == "group")
    other = sum(m.minutes for m in counted if m.kind != "group")
    cap = rule.group_max_minutes
    over = max(0, group - cap) if cap is not None else 0
    countable = other + group - over
    said = f"{duration(rule.minutes)} needed; {duration(countable)} count"
    if cap is not None:
        said += f" ({duration(other)} individual, {duration(group - over)} in groups)"
        if over:
            said += f"; {duration(over)} of group supervision over the {duration(cap)} cap do not count"
    if countable < rule.minutes:
        return Check(rule.id, rule.text, False, f"{said}; short {duration(rule.minutes - countable)}")
    return Check(rule.id, rule.text, True, said)


def evaluate(
    pack: Pack, meetings: Sequence[Held], since: date | None, until: date, worked: Worked | None = None
) -> list[Check]:
    """Each rule of `pack` checked against `meetings` (one peer's) in the days
    `since..until` (both included; `since` None: from the first meeting). Meetings
    outside the window are left out here, so a caller may pass them all. `worked` gives
    hours worked, needed by `ratio` and `gap` rules (unknown hours fail them, naming
    the weeks)."""
    hours = worked or Worked()
    dated = _dated(meetings)
    out = []
    for rule in pack.rules:
        if rule.type == "frequency":
            out.append(_frequency(rule, dated, since, until))
        elif rule.type == "ratio":
            out.append(_ratio(rule, dated, since, until, hours))
        elif rule.type == "gap":
            out.append(_gap(rule, dated, since, until, hours))
        else:
            out.append(_total(rule, dated, since, until))
    return out


def target(pack: Pack, since: date, until: date, worked: Worked | None = None) -> int | None:
    """The minutes of supervision the pack asks for in the days `since..until`: the
    largest of its rules' figures (each whole period's minutes, the ratio to the hours
    worked when `worked` says them, a total), or None when no rule names minutes."""
    figures: list[int] = []
    for rule in pack.rules:
        if rule.type == "frequency" and rule.minutes:
            figures.append(len(_periods(rule, since, until, since)) * rule.minutes)
        elif rule.type == "ratio" and worked is not None:
            hours, unknown = _daily(worked, since, until)
            if not unknown:
                figures.append(math.ceil(sum(hours.values()) / rule.per_hours_worked * rule.minutes - 1e-9))
        elif rule.type == "total":
            figures.append(rule.minutes)
    return max(figures) if figures else None


def _frequency_due(rule: Rule, dated: Dated, today: date) -> date | None:
    counted = _counted(rule, dated)
    current = period_start(rule.period, today)
    if rule.first_months:
        first = dated[0][0] if dated else today
        if current >= add_months(first, rule.first_months):
            return None
    end = period_end(rule.period, current)
    held = [m for d, m in counted if current <= d <= end]
    if len(held) >= rule.meetings and sum(m.minutes for m in held) >= rule.minutes:
        following = end + timedelta(days=1)
        if rule.first_months and dated and following >= add_months(dated[0][0], rule.first_months):
            return None
        return period_end(rule.period, following)
    return end


def _gap_due(rule: Rule, dated: Dated, today: date, worked: Worked) -> date | None:
    days = [d for d, _ in _counted(rule, dated) if d <= today]
    if not days:
        return today
    acc = 0.0
    for day in _days(days[-1], days[-1] + timedelta(days=366)):
        hours = worked.week(week_start(day))
        if hours is None:
            return None
        acc += hours / 7
        if acc > rule.max_hours_worked + 1e-9:
            return day
    return None


def next_due(pack: Pack, meetings: Sequence[Held], today: date, worked: Worked | None = None) -> date | None:
    """The last day by which the next meeting must be held to keep every `frequency` and
    `gap` rule (the earliest of them; a date before `today` is overdue), or None when no
    rule sets one (totals, ratios) or the hours worked ahead are not known."""
    dues: list[date] = []
    dated = _dated(meetings)
    for rule in pack.rules:
        if rule.type == "frequency":
            due = _frequency_due(rule, dated, today)
        elif rule.type == "gap":
            due = _gap_due(rule, dated, today, worked or Worked())
        else:
            due = None
        if due is not None:
            dues.append(due)
    return min(dues) if dues else None
