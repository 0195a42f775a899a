"""Growth records: ratings and goals are stored, validated, and travel through export and
import (added lists of export format 1), and an entry's group travels with it."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from reflect.domain.formats import ImportFormatError, parse_import
from reflect.domain.growth import CheckIn, Goal, Levels, Rating, differences, moved
from reflect.domain.model import Entry, Group, ValidationError
from reflect.store import Journal
from reflect.usecases import exporting, importing

T1 = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def test_a_rating_is_each_category_one_to_five_or_not_rated():
    r = Rating.from_dict({"by": "supervisor", "ratings": {"I": 2, "XII": 5}})
    assert r.ratings.rated() == {"I": 2, "XII": 5} and r.ratings.II is None
    for bad, kind in ((0, "got 0"), (6, "got 6"), ("3", "a string"), (True, "a boolean"), (2.5, "a number")):
        with pytest.raises(ValidationError, match=rf"^ratings\.III: expected a whole number from 1 to 5.*{kind}$"):
            Rating.from_dict({"ratings": {"III": bad}})
    with pytest.raises(ValidationError, match=r"^ratings\.XIII: unknown field$"):
        Rating.from_dict({"ratings": {"XIII": 3}})
    with pytest.raises(ValidationError, match=r"^by: not one of self, supervisor$"):
        Rating.from_dict({"by": "boss"})


def test_moved_and_differences_compare_only_what_both_rated():
    a = Rating(at=T1, ratings=Levels(I=2, II=3, III=4))
    b = Rating(at=T2, ratings=Levels(I=3, II=3, IV=2))
    assert moved(a, b) == [("I", 2, 3)]
    sup = Rating(at=T2, by="supervisor", ratings=Levels(I=1, II=1, III=4, IV=3))
    assert differences(b, sup) == [("I", 3, 1), ("II", 3, 1), ("IV", 2, 3)]  # widest gap first


def _records(journal: Journal) -> tuple[Rating, Goal]:
    growth = journal.growth()
    rating = growth.save_rating(Rating(at=T1, ratings=Levels(I=3, V=4), note="before the review"))
    goal = growth.save_goal(Goal(text="Practise asking before sharing", competency="III", due=date(2026, 12, 1)))
    growth.change_goal(goal.id[:8], lambda g: g.check_ins.append(CheckIn(note="asked twice this week", at=T2)))
    return rating, growth.goals()[0]


def test_ratings_and_goals_are_kept_and_a_goal_changes_by_id_prefix(db_path: Path):
    rating, goal = _records(Journal(db_path))
    fresh = Journal(db_path).growth()
    assert fresh.ratings() == [rating]
    assert fresh.goals() == [goal] and goal.last_check_in is not None
    assert goal.last_check_in.note == "asked twice this week"
    assert (db_path.parent / "journal.json.d" / "ratings.json").stat().st_mode & 0o777 == 0o600


def test_export_and_import_carry_ratings_goals_and_groups(db_path: Path, tmp_path: Path):
    journal = Journal(db_path)
    rating, goal = _records(journal)
    entry = journal.save(Entry(occurred=T1, setting="group", group=Group(headcount=7, theme="holidays")))
    out = io.StringIO()
    exporting.write(out, exporting.select(journal, "json"), exported_at=T2)
    doc = json.loads(out.getvalue())
    assert doc["ratings"] == [rating.to_dict()] and doc["goals"] == [goal.to_dict()]
    assert doc["entries"][0]["group"] == {"headcount": 7, "theme": "holidays"}

    other = Journal(tmp_path / "other" / "journal.json")
    parsed = importing.parse(other, out.getvalue(), source="in.json")
    result = importing.apply(other, parsed)
    assert "ratings: 1 added, 0 unchanged; goals: 1 added, 0 unchanged" in importing.summary(result)
    assert other.growth().ratings() == [rating] and other.growth().goals() == [goal]
    assert other.get(entry.id).group == Group(headcount=7, theme="holidays")
    again = importing.apply(other, importing.parse(other, out.getvalue(), source="in.json"))
    assert again.others["goals"]["unchanged"] == [goal.id]


def test_an_old_document_without_the_lists_still_imports():
    doc = {"format": "reflect-export", "version": 1, "entries": [{"occurred": "2026-01-01T10:00:00+00:00"}]}
    parsed = parse_import(json.dumps(doc))
    assert parsed.ratings == [] and parsed.goals == [] and parsed.entries[0].group is None


def test_a_bad_goal_is_refused_with_its_position():
    doc = {"format": "reflect-export", "version": 1, "goals": [{"text": "a"}, {"text": " "}]}
    with pytest.raises(ImportFormatError, match=r"goal 2.*text: required: what the goal is"):
        parse_import(json.dumps(doc), source="in.json")


def test_an_empty_group_is_no_group_and_a_headcount_is_bounded():
    base = {"occurred": "2026-01-01T10:00:00+00:00"}
    assert Entry.from_dict({**base, "group": {"headcount": None, "theme": ""}}).group is None
    assert Entry.from_dict({**base, "group": {"headcount": 0, "theme": "grief"}}).group == Group(0, "grief")
    with pytest.raises(ValidationError, match=r"^group\.headcount: expected a whole number from 0 to 999"):
        Entry.from_dict({**base, "group": {"headcount": 1000}})


def test_doctor_reads_the_growth_files_and_names_a_damaged_one(db_path: Path):
    journal = Journal(db_path)
    _records(journal)
    assert journal.check().ok
    goals = db_path.parent / "journal.json.d" / "goals.json"
    data = json.loads(goals.read_text())
    data["goals"]["1"]["status"] = "someday"
    goals.write_text(json.dumps(data))
    report = Journal(db_path).check()
    assert not report.ok and any("goals.json" in p for p in report.problems)
    assert Journal(db_path).check(repair=True).ok  # restored from its backup
    assert Journal(db_path).growth().goals()[0].status == "open"
