"""The supervision rules engine (pure): each rule type on crafted meeting sets, the
shipped packs on the shortfalls they exist to catch, and strict reading of a pack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from reflect.domain.model import ValidationError
from reflect.domain.supervision_rules import (
    Pack,
    Worked,
    evaluate,
    next_due,
    parse_pack,
    target,
)


@dataclass
class M:
    held: datetime
    minutes: int = 60
    kind: str = "individual"
    delivery: str = "in-person"


def on(day: date, minutes: int = 60, kind: str = "individual", delivery: str = "in-person") -> M:
    return M(datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc), minutes, kind, delivery)


def pack(*rules: dict[str, Any]) -> Pack:
    return parse_pack({
        "format": "reflect-supervision-rules", "version": 1, "name": "t", "title": "T",
        "source": {"body": "B", "rule": "R", "url": "", "note": "check"},
        "rules": list(rules),
    })  # fmt: skip


def shipped(name: str) -> Pack:
    from reflect.usecases.supervision_log import load_pack

    return load_pack(name)


MON = date(2026, 3, 2)  # a Monday
WEEKLY = {"id": "weekly", "type": "frequency", "text": "weekly", "period": "week"}


def weekly_from(first: date, weeks: int, skip: tuple[int, ...] = (), minutes: int = 60, **kw: str) -> list[M]:
    return [on(first + timedelta(weeks=i), minutes, **kw) for i in range(weeks) if i not in skip]


# --- frequency ---------------------------------------------------------------------------------


def test_a_missed_week_is_named():
    meetings = weekly_from(MON, 6, skip=(2,))
    [check] = evaluate(pack(WEEKLY), meetings, MON, MON + timedelta(days=41))
    assert not check.ok
    assert "week of 2026-03-16: no supervision" in check.detail
    assert "1 of 6 weeks" in check.detail


def test_every_week_met():
    [check] = evaluate(pack(WEEKLY), weekly_from(MON, 6), MON, MON + timedelta(days=41))
    assert check.ok and "6 weeks from 2026-03-02" in check.detail


def test_a_week_still_under_way_is_not_short():
    meetings = weekly_from(MON, 2)
    [check] = evaluate(pack(WEEKLY), meetings, MON, MON + timedelta(days=16))  # Wednesday of week 3
    assert check.ok


def test_minutes_below_the_floor_name_the_week():
    rule = dict(WEEKLY, minutes=60)
    meetings = weekly_from(MON, 3)
    meetings[1].minutes = 30
    [check] = evaluate(pack(rule), meetings, MON, MON + timedelta(days=20))
    assert not check.ok and "week of 2026-03-09: 30 min of 1 h" in check.detail


def test_kinds_and_delivery_narrow_what_counts():
    rule = dict(WEEKLY, delivery=["in-person"])
    meetings = [on(MON), on(MON + timedelta(weeks=1), delivery="phone")]
    [check] = evaluate(pack(rule), meetings, MON, MON + timedelta(days=13))
    assert not check.ok and "week of 2026-03-09: no supervision" in check.detail


def test_monthly_periods_and_first_months():
    monthly = {"id": "m", "type": "frequency", "text": "monthly", "period": "month"}
    meetings = [on(date(2026, 1, 15)), on(date(2026, 3, 3))]
    [check] = evaluate(pack(monthly), meetings, date(2026, 1, 1), date(2026, 3, 31))
    assert not check.ok and check.detail.endswith("month of 2026-02: no supervision")
    # Weekly only for the first month: the weeks after it are not checked.
    first = dict(WEEKLY, first_months=1)
    [check] = evaluate(pack(first), weekly_from(MON, 5), MON, MON + timedelta(weeks=12))
    assert check.ok


def test_since_mid_week_starts_at_the_next_whole_week():
    [check] = evaluate(pack(WEEKLY), weekly_from(MON + timedelta(weeks=1), 2), MON + timedelta(days=2), MON + timedelta(days=20))
    assert check.ok and "2 weeks from 2026-03-09" in check.detail


def test_no_meetings_at_all():
    [check] = evaluate(pack(WEEKLY), [], None, MON)
    assert not check.ok and check.detail == "no supervision recorded"


# --- ratio and gap ---------------------------------------------------------------------------------

RATIO = {"id": "ratio", "type": "ratio", "text": "1 h per 20 h", "minutes": 60, "per_hours_worked": 20}
GAP = {"id": "gap", "type": "gap", "text": "40 h at most", "max_hours_worked": 40}


def test_a_ratio_under_its_floor():
    # 4 weeks at 40 hours: 160 hours need 8 hours of supervision; 4 hours recorded.
    meetings = weekly_from(MON, 4)
    [check] = evaluate(pack(RATIO), meetings, MON, MON + timedelta(days=27), Worked(default=40))
    assert not check.ok
    assert check.detail == "2026-03-02 to 2026-03-29: 160 hours worked need 8 h; 4 h recorded (short 4 h)"
    [check] = evaluate(pack(RATIO), weekly_from(MON, 4, minutes=120), MON, MON + timedelta(days=27), Worked(default=40))
    assert check.ok


def test_recorded_weeks_override_the_default():
    worked = Worked({MON: 10.0, MON + timedelta(weeks=1): 10.0}, default=None)
    [check] = evaluate(pack(RATIO), [on(MON)], MON, MON + timedelta(days=13), worked)
    assert check.ok and "20 hours worked" in check.detail


def test_unknown_hours_fail_and_name_the_weeks():
    worked = Worked({MON: 40.0})
    [check] = evaluate(pack(RATIO), [on(MON)], MON, MON + timedelta(days=13), worked)
    assert not check.ok and "hours worked not known for the week of 2026-03-09" in check.detail


def test_a_gap_over_40_hours_worked():
    # 42 hours a week = 6 a day; meetings 7 days apart leave 42 hours between them.
    meetings = [on(MON), on(MON + timedelta(days=7)), on(MON + timedelta(days=13))]
    [check] = evaluate(pack(GAP), meetings, MON, MON + timedelta(days=13), Worked(default=42))
    assert not check.ok
    assert check.detail == "2026-03-02 to 2026-03-08: 42 hours worked without supervision"
    [ok] = evaluate(pack(GAP), meetings, MON, MON + timedelta(days=13), Worked(default=35))
    assert ok.ok


def test_an_open_gap_at_the_end_counts():
    [check] = evaluate(pack(GAP), [on(MON)], MON, MON + timedelta(days=20), Worked(default=40))
    assert not check.ok and check.detail.startswith("since 2026-03-02: 120 hours")


# --- totals and the group cap --------------------------------------------------------------------

TOTAL = {"id": "total", "type": "total", "text": "20 h, 10 in groups at most", "minutes": 1200, "group_max_minutes": 600}


def test_a_group_cap_exceeded_leaves_hours_uncounted():
    meetings = [on(MON + timedelta(days=i), 60, kind="group") for i in range(14)] + [
        on(MON + timedelta(days=i), 60) for i in range(8)
    ]
    [check] = evaluate(pack(TOTAL), meetings, None, MON + timedelta(days=30))
    assert not check.ok
    assert "18 h count" in check.detail
    assert "4 h of group supervision over the 10 h cap do not count" in check.detail
    assert check.detail.endswith("short 2 h")
    meetings += [on(MON + timedelta(days=9), 60), on(MON + timedelta(days=10), 60)]
    [check] = evaluate(pack(TOTAL), meetings, None, MON + timedelta(days=30))
    assert check.ok


def test_total_counts_only_the_window():
    meetings = [on(MON, 1200), on(MON + timedelta(days=40), 30)]
    [check] = evaluate(pack(TOTAL), meetings, MON + timedelta(days=1), MON + timedelta(days=60))
    assert not check.ok and "30 min count" in check.detail


# --- target and next_due ---------------------------------------------------------------------------


def test_target_minutes():
    assert target(pack(dict(WEEKLY, minutes=60)), MON, MON + timedelta(days=27)) == 240
    assert target(pack(WEEKLY), MON, MON + timedelta(days=27)) is None
    assert target(pack(RATIO), MON, MON + timedelta(days=13), Worked(default=40)) == 240
    assert target(pack(TOTAL, dict(WEEKLY, minutes=60)), MON, MON + timedelta(days=6)) == 1200


def test_next_due_weekly_and_gap():
    weekly = pack(WEEKLY)
    wed = MON + timedelta(days=2)
    assert next_due(weekly, [], wed) == MON + timedelta(days=6)  # this Sunday
    assert next_due(weekly, [on(MON)], wed) == MON + timedelta(days=13)  # met: next Sunday
    gap = pack(GAP)
    assert next_due(gap, [on(MON)], wed, Worked(default=35)) == MON + timedelta(days=8)
    assert next_due(gap, [on(MON)], wed, Worked()) is None  # hours ahead unknown
    assert next_due(pack(TOTAL), [on(MON)], wed) is None


# --- the shipped packs ----------------------------------------------------------------------------


def test_texas_initial_missed_week_then_monthly():
    meetings = weekly_from(MON, 30, skip=(4,))
    checks = evaluate(shipped("texas-initial"), meetings, MON, MON + timedelta(weeks=30))
    assert [c.ok for c in checks] == [False]
    assert "week of 2026-03-30: no supervision" in checks[0].detail
    [monthly] = evaluate(shipped("texas"), [on(date(2026, 1, 5)), on(date(2026, 3, 5))], date(2026, 1, 1), date(2026, 3, 31))
    assert not monthly.ok and "month of 2026-02: no supervision" in monthly.detail


def test_dc_an_hour_a_week():
    meetings = weekly_from(MON, 4, minutes=45)
    [check] = evaluate(shipped("dc"), meetings, MON, MON + timedelta(days=27))
    assert not check.ok and "week of 2026-03-02: 45 min of 1 h" in check.detail


def test_montana_ratio_and_gap():
    meetings = [on(MON), on(MON + timedelta(days=10))]
    checks = {c.id: c for c in evaluate(shipped("montana"), meetings, MON, MON + timedelta(days=13), Worked(default=40))}
    assert not checks["ratio"].ok and not checks["gap"].ok
    assert "2026-03-02 to 2026-03-11" in checks["gap"].detail


def test_icrc_and_bpa_totals():
    [icrc] = evaluate(shipped("icrc"), weekly_from(MON, 25), None, MON + timedelta(weeks=30))
    assert icrc.ok
    [bpa] = evaluate(shipped("bpa"), weekly_from(MON, 20, kind="group"), None, MON + timedelta(weeks=30))
    assert not bpa.ok and "10 h of group supervision over the 10 h cap" in bpa.detail


def test_every_shipped_pack_cites_its_source():
    from reflect.usecases.supervision_log import shipped_packs

    names = shipped_packs()
    assert {"texas-initial", "texas", "dc", "montana", "icrc", "bpa"} <= set(names)
    for name in names:
        p = shipped(name)
        assert p.name == name
        assert p.source.body and p.source.rule and p.source.note
        assert "check" in p.source.note.casefold()


# --- strict reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d["source"].pop("note"), "source.note"),
        (lambda d: d["rules"][0].update(period="fortnight"), "rules[0].period"),
        (lambda d: d["rules"][0].update(type="sometimes"), "rules[0].type"),
        (lambda d: d["rules"][0].update(minutes=-1), "rules[0].minutes"),
        (lambda d: d["rules"][0].update(minutes=True), "rules[0].minutes"),
        (lambda d: d["rules"][0].update(kinds=["solo"]), "rules[0].kinds[0]"),
        (lambda d: d["rules"][0].update(per_hours_worked=20), "rules[0].per_hours_worked"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "rules[1].id"),
        (lambda d: d.update(rules=[]), "rules"),
    ],
)
def test_a_bad_pack_names_the_field(change: Any, path: str):
    data = json.loads(json.dumps({
        "format": "reflect-supervision-rules", "version": 1, "name": "t", "title": "T",
        "source": {"body": "B", "rule": "R", "url": "", "note": "check"},
        "rules": [dict(WEEKLY, minutes=60)],
    }))  # fmt: skip
    change(data)
    with pytest.raises(ValidationError) as info:
        parse_pack(data)
    assert info.value.path == path


def test_next_due_ends_with_the_initial_certification():
    initial = shipped("texas-initial")
    first = on(MON)
    assert next_due(initial, [first], MON + timedelta(days=2)) == MON + timedelta(days=13)
    assert next_due(initial, [first], MON + timedelta(days=200)) is None  # six months on: monthly takes over
    assert next_due(shipped("texas"), [first], MON + timedelta(days=2)) == date(2026, 4, 30)  # March is met
