"""The renewal rule packs and the status engine, on crafted training sets: each shipped
pack at its cycle's edges, a category short, a repeated course; the pack format's strict
reading; the status JSON against its shipped schema."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jsonschema
import pytest

from reflect.domain.fields import ValidationError
from reflect.domain.formats import schema_path
from reflect.domain.training import Training
from reflect.domain.training_rules import (
    RulesError,
    cycle_of,
    pack_from_dict,
    parse_pack,
    shipped_names,
    shipped_pack,
    status,
    status_json,
    status_text,
)

_n = 0


def course(day: str, hours: float, category: str = "peer", title: str = "", provider: str = "Provider",
           tags: tuple[str, ...] = ()) -> Training:  # fmt: skip
    global _n
    _n += 1
    return Training.from_dict({
        "id": f"t{_n:04d}", "title": title or f"Course {_n}", "provider": provider, "date": day,
        "hours": hours, "category": category, "tags": list(tags),
    })  # fmt: skip


def line(s: Any, name: str) -> Any:
    return next(ln for ln in s.lines if ln.name == name)


VALIDATOR = jsonschema.Draft202012Validator(
    json.loads(schema_path("training-status").read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
)


def test_the_four_packs_ship_and_each_cites_its_source():
    assert {"pa-cps", "ga-cps", "icrc", "nebraska"} <= set(shipped_names())
    for name in shipped_names():
        pack = shipped_pack(name)
        assert pack.name == name and pack.citation and pack.url.startswith("https://"), name


# --- pa-cps: 36 hours every 2 years, 24 peer, 3 ethics, the rest elective -------------------------


def test_pa_cps_a_course_on_the_last_day_counts_and_the_next_day_starts_a_new_cycle():
    pa = shipped_pack("pa-cps")
    certified = date(2024, 7, 1)
    last_day = course("2026-06-30", 3, "ethics")
    first_of_next = course("2026-07-01", 2, "ethics")
    s = status(pa, [last_day, first_of_next], certified, date(2026, 6, 30))
    assert (s.start, s.end, s.days_left) == (date(2024, 7, 1), date(2026, 6, 30), 0)
    assert line(s, "ethics").done == 3 and s.counted == [last_day.id]
    nxt = status(pa, [last_day, first_of_next], certified, date(2026, 7, 1))
    assert (nxt.start, nxt.end) == (date(2026, 7, 1), date(2028, 6, 30))
    assert line(nxt, "ethics").done == 2 and nxt.counted == [first_of_next.id]


def test_pa_cps_a_category_short_is_missing_even_when_the_total_is_met():
    pa = shipped_pack("pa-cps")
    done = [course("2025-01-10", 20, "peer"), course("2025-02-10", 3, "ethics"), course("2025-03-10", 13, "elective")]
    s = status(pa, done, date(2024, 7, 1), date(2025, 6, 1))
    assert (s.total_done, s.total_missing) == (36, 0)
    assert (line(s, "peer").done, line(s, "peer").missing, line(s, "peer").met) == (20, 4, False)
    assert line(s, "ethics").met and line(s, "elective").required == 0
    assert s.hours_needed == 4 and not s.met
    doc = status_json(s)
    VALIDATOR.validate(doc)
    assert doc["total"] == {"required": 36, "done": 36, "missing": 0}
    assert doc["categories"][0] == {
        "name": "peer", "required": 24, "done": 20, "missing": 4, "label": "Peer support or recovery", "met": False
    }  # fmt: skip
    assert "missing 4 h" in status_text(s) and "at least 4 hours" in status_text(s)


def test_pa_cps_all_met_and_halves_and_quarters_add_up():
    pa = shipped_pack("pa-cps")
    done = [course("2025-01-10", 23.75, "peer"), course("2025-01-11", 0.25, "peer"), course("2025-02-10", 3.5, "ethics"),
            course("2025-03-10", 8.5, "cultural")]  # fmt: skip
    s = status(pa, done, date(2024, 7, 1), date(2025, 6, 1))
    assert s.met and s.total_done == 36 and s.hours_needed == 0
    assert [ln.name for ln in s.lines] == ["peer", "ethics", "elective", "cultural"]  # others after the pack's own
    assert "Every requirement of this cycle is met." in status_text(s)


def test_pa_cps_needs_certified_on_and_says_how_to_set_it():
    with pytest.raises(ValidationError) as err:
        status(shipped_pack("pa-cps"), [], None, date(2025, 1, 1))
    assert err.value.path == "certified_on" and "reflect config certified_on" in err.value.problem


def test_a_29_february_certification_cycles_on_28_february():
    pa = shipped_pack("pa-cps")
    assert cycle_of(pa, date(2024, 2, 29), date(2026, 2, 27)) == (date(2024, 2, 29), date(2026, 2, 27))
    assert cycle_of(pa, date(2024, 2, 29), date(2026, 2, 28)) == (date(2026, 2, 28), date(2028, 2, 28))
    # Before the certification: the first cycle, days left counted to its end.
    assert cycle_of(pa, date(2024, 2, 29), date(2023, 1, 1)) == (date(2024, 2, 29), date(2026, 2, 27))


# --- ga-cps: 12 hours each calendar year, 6 from the network, one ethics course ---------------


def test_ga_cps_counts_calendar_years_from_the_january_after_certification():
    ga = shipped_pack("ga-cps")
    assert cycle_of(ga, date(2024, 5, 1), date(2024, 10, 1)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert cycle_of(ga, date(2024, 5, 1), date(2026, 3, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert cycle_of(ga, None, date(2026, 3, 1)) == (date(2026, 1, 1), date(2026, 12, 31))


def test_ga_cps_no_carry_over_a_course_on_31_december_counts_for_that_year_only():
    ga = shipped_pack("ga-cps")
    done = [
        course("2025-12-31", 12, "peer", tags=("network",)),
        course("2025-06-01", 1, "ethics"),
        course("2026-01-01", 2, "ethics"),
    ]
    y2025 = status(ga, done, date(2024, 5, 1), date(2025, 12, 31))
    assert y2025.met and y2025.total_done == 13 and y2025.days_left == 0
    y2026 = status(ga, done, date(2024, 5, 1), date(2026, 1, 1))
    assert y2026.total_done == 2 and y2026.total_missing == 10  # 2025's extra hour is not carried over
    assert line(y2026, "network").missing == 6 and line(y2026, "ethics").met
    assert y2026.hours_needed == 10


def test_ga_cps_ethics_is_a_course_a_year_and_network_hours_go_by_tag():
    ga = shipped_pack("ga-cps")
    done = [course("2025-03-01", 4, "peer", tags=("network",)), course("2025-04-01", 8, "elective")]
    s = status(ga, done, date(2024, 5, 1), date(2025, 7, 1))
    ethics, network = line(s, "ethics"), line(s, "network")
    assert (ethics.courses_required, ethics.courses_done, ethics.met) == (1, 0, False)
    assert (network.done, network.missing, network.tag) == (4, 2, "network")
    assert s.total_missing == 0 and not s.met
    doc = status_json(s)
    VALIDATOR.validate(doc)
    eth = next(c for c in doc["categories"] if c["name"] == "ethics")
    assert eth["courses"] == {"required": 1, "done": 0, "missing": 1}
    assert "0 of 1 course" in status_text(s)


# --- icrc: 20 hours every 2 years including 6 ethics ---------------------------------------------


def test_icrc_ethics_short_and_the_cycle_edges():
    icrc = shipped_pack("icrc")
    certified = date(2023, 1, 15)
    done = [course("2023-01-15", 10, "peer"), course("2025-01-14", 4, "ethics"), course("2025-01-15", 6, "ethics")]
    s = status(icrc, done, certified, date(2025, 1, 14))
    assert (s.start, s.end, s.days_left) == (date(2023, 1, 15), date(2025, 1, 14), 0)
    assert s.total_done == 14 and line(s, "ethics").missing == 2 and s.total_missing == 6 and s.hours_needed == 6
    later = status(icrc, done, certified, date(2025, 1, 15))
    assert later.total_done == 6 and line(later, "ethics").met


# --- nebraska: 20 hours a period including 6 ethics, the same course counts once ------------------


def test_nebraska_counts_a_repeated_course_once_and_lists_it():
    ne = shipped_pack("nebraska")
    first = course("2025-02-01", 3, "ethics", title="Ethics and Boundaries", provider="Region 5")
    again = course("2025-09-01", 3, "ethics", title="  ethics  and boundaries", provider="REGION 5")
    other = course("2025-10-01", 3, "ethics", title="Ethics and Boundaries", provider="Another provider")
    s = status(ne, [again, first, other], date(2024, 7, 1), date(2025, 12, 1))
    assert line(s, "ethics").done == 6 and line(s, "ethics").met
    assert set(s.counted) == {first.id, other.id}
    assert len(s.repeats) == 1
    rep = s.repeats[0]
    assert (rep.title, rep.dates, rep.not_counted) == ("Ethics and Boundaries", (date(2025, 2, 1), date(2025, 9, 1)), 3)
    doc = status_json(s)
    VALIDATOR.validate(doc)
    assert doc["repeated"] == [{"title": "Ethics and Boundaries", "provider": "Region 5",
                                "dates": ["2025-02-01", "2025-09-01"], "hours_not_counted": 3}]  # fmt: skip
    assert "Counted once: Ethics and Boundaries" in status_text(s)


def test_a_repeat_in_another_period_counts_again_and_other_packs_count_each_time():
    ne = shipped_pack("nebraska")
    a = course("2026-06-30", 6, "ethics", title="Ethics")
    b = course("2026-07-01", 6, "ethics", title="Ethics")
    assert status(ne, [a, b], date(2024, 7, 1), date(2026, 7, 1)).counted == [b.id]
    s = status(shipped_pack("icrc"), [course("2025-01-01", 3, "ethics", title="X"),
                                      course("2025-02-01", 3, "ethics", title="X")], date(2024, 7, 1), date(2025, 3, 1))  # fmt: skip
    assert line(s, "ethics").done == 6 and s.repeats[0].not_counted == 0
    assert "counted each time" in status_text(s)


# --- the pack format ---------------------------------------------------------------------------


def pack(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(_BASE))
    data.update(changes)
    return data


_BASE = {
    "format": "reflect-training-rules", "version": 1, "name": "my-board", "title": "My board",
    "source": {"citation": "My board's handbook, p. 4"}, "cycle": {"years": 3, "from": "certification"},
    "total_hours": 30, "requirements": [{"name": "ethics", "min_hours": 6}, {"name": "culture", "min_hours": 3,
                                        "categories": ["cultural", "equity"]}],
}  # fmt: skip


def test_a_pack_a_person_writes_is_read_and_used():
    p = pack_from_dict(pack(), "mine.json")
    assert p.cycle_years == 3 and p.categories == ("ethics", "cultural", "equity") and not p.same_course_once
    s = status(p, [course("2025-01-01", 2, "equity"), course("2025-01-02", 2, "cultural")], date(2024, 1, 1),
               date(2025, 6, 1))  # fmt: skip
    assert line(s, "culture").done == 4 and line(s, "culture").met and s.end == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("changes", "where", "words"),
    [
        ({"extra": 1}, "extra", "unknown key"),
        ({"format": "x"}, "format", "not a reflect rule pack"),
        ({"version": 2}, "version", "expected 1"),
        ({"name": "My Board"}, "name", "lowercase"),
        ({"cycle": {"years": 0, "from": "certification"}}, "cycle.years", "from 1 to"),
        ({"cycle": {"years": 2, "from": "birthday"}}, "cycle.from", "one of"),
        ({"cycle": {"years": 2, "from": "calendar", "months": 1}}, "cycle.months", "unknown key"),
        ({"total_hours": "36"}, "total_hours", "number of hours"),
        ({"total_hours": 8}, "total_hours", "less than"),
        ({"requirements": [{"name": "ethics", "min_hours": "6"}]}, "requirements[0].min_hours", "number of hours"),
        ({"requirements": [{"name": "ethics"}]}, "requirements[0]", "min_hours or min_courses"),
        ({"requirements": [{"name": "ethics", "min_hours": 1, "tag": "x", "categories": ["y"]}]}, "requirements[0]",
         "not both"),
        ({"requirements": [{"name": "a", "min_hours": 1, "categories": ["ethics"]},
                           {"name": "b", "min_hours": 1, "categories": ["ethics"]}]}, "requirements[1].categories",
         "requirements[0]"),
        ({"requirements": [{"name": "a", "min_hours": 1}, {"name": "a", "min_hours": 2, "categories": ["b"]}]},
         "requirements[1].name", "twice"),
        ({"same_course_once": "yes"}, "same_course_once", "true or false"),
        ({"source": {"url": "https://x"}}, "source.citation", "missing"),
    ],
)  # fmt: skip
def test_a_pack_is_read_strictly_naming_the_key(changes: dict[str, Any], where: str, words: str):
    with pytest.raises(RulesError) as err:
        pack_from_dict(pack(**changes), "mine.json")
    assert err.value.path == f"mine.json: {where}" and words in err.value.problem, (err.value.path, err.value.problem)


def test_a_pack_that_is_not_json_says_where():
    with pytest.raises(RulesError) as err:
        parse_pack('{"format": ', "mine.json")
    assert err.value.path == "mine.json" and "line 1" in err.value.problem


def test_an_unknown_pack_name_lists_the_shipped_ones():
    with pytest.raises(RulesError) as err:
        shipped_pack("pa")
    assert "pa-cps" in err.value.problem


def test_the_status_schema_refuses_a_document_missing_a_key():
    doc = status_json(status(shipped_pack("icrc"), [], date(2024, 1, 1), date(2024, 2, 1)))
    VALIDATOR.validate(doc)
    del doc["total"]["missing"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(doc)


def test_a_training_dated_after_today_is_planned_not_done():
    icrc = shipped_pack("icrc")
    done, later = course("2025-03-01", 6, "ethics"), course("2025-09-01", 14, "peer")
    s = status(icrc, [done, later], date(2024, 7, 1), date(2025, 6, 1))
    assert s.total_done == 6 and s.counted == [done.id] and s.planned == [later.id]
    doc = status_json(s)
    VALIDATOR.validate(doc)
    assert doc["planned"] == [later.id] and "1 training dated after today" in status_text(s)
    assert status(icrc, [done, later], date(2024, 7, 1), date(2025, 9, 1)).met  # on its day it counts


# --- the record -------------------------------------------------------------------------------------


GOOD = {"title": "T", "provider": "P", "date": "2025-01-01", "hours": 1.25, "category": "peer"}


def test_the_training_record_round_trips_and_writes_whole_hours_as_integers():
    full = dict(GOOD, id="x", hours=2.0, tags=["network"], notes="CEU 1",
                certificate={"name": "c.pdf", "size": 3, "sha256": "a" * 64})  # fmt: skip
    assert Training.from_dict(full).to_dict() == dict(full, hours=2)
    assert json.dumps(Training.from_dict(full).to_dict()["hours"]) == "2"


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"date": None}, "date", "required"),
        ({"date": "2025-13-01"}, "date", "YYYY-MM-DD"),
        ({"date": "1899-12-31"}, "date", "out of range"),
        ({"hours": True}, "hours", "number of hours"),
        ({"hours": None}, "hours", "required"),
        ({"hours": 1.1}, "hours", "quarter"),
        ({"category": None}, "category", "required"),
        ({"title": " "}, "title", "required"),
        ({"certificate": {"name": "c.pdf", "size": 1, "sha256": "xyz"}}, "certificate.sha256", "SHA-256"),
        ({"certificate": {"name": "../c.pdf", "size": 1, "sha256": "a" * 64}}, "certificate.name", "no folders"),
        ({"private": True}, "private", "unknown field"),
    ],
)  # fmt: skip
def test_the_training_record_refuses_naming_the_field(changes: dict[str, Any], path: str, words: str):
    with pytest.raises(ValidationError) as err:
        Training.from_dict(dict(GOOD, **changes))
    assert err.value.path == path and words in err.value.problem, (err.value.path, err.value.problem)
