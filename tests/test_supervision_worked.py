"""Hours worked by week: `reflect supervision worked`, the weekly_hours setting, export
and import (an added optional list of export format 1), and the ratio rules that count them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from cli_helpers import one_line_error, run, snapshot
from reflect.domain.formats import schema_path
from reflect.domain.model import Meeting, ValidationError
from reflect.domain.settings import Settings, parse_value
from reflect.domain.worked import WorkedWeek
from reflect.store import Journal

MON = date(2026, 3, 2)


def weeks(journal: Journal) -> dict[str, float]:
    return {w.week.isoformat(): w.hours for w in journal.worked()}


def test_record_a_week_and_replace_it(db_path: Path) -> None:
    assert run("config", "peer", "sam").exit_code == 0
    result = run("supervision", "worked", "--week", "2026-03-04", "--hours", "37.5")
    assert result.exit_code == 0 and result.stdout == ""
    assert "recorded 37.5 hours for the week of 2026-03-02 (sam)" in result.stderr
    assert run("supervision", "worked", "--week", "2026-03-08", "--hours", "40").exit_code == 0  # the same week
    assert run("supervision", "worked", "--week", "2026-03-09", "--hours", "12", "--peer", "alex").exit_code == 0
    j = Journal(db_path)
    assert [(w.peer, w.week.isoformat(), w.minutes) for w in j.worked()] == [
        ("sam", "2026-03-02", 2400), ("alex", "2026-03-09", 720),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--hours", "200"], "--hours: expected a number of hours from 0 to 168"),
        (["--hours", "-1"], "--hours"),
        (["--hours", "nan"], "--hours"),
        (["--hours", "lots"], "'lots' is not a valid float"),
        (["--hours", "8", "--week", "someday"], "--week"),
    ],
)
def test_bad_hours_are_refused_in_one_line(db_path: Path, tmp_path: Path, args: list[str], needle: str) -> None:
    assert run("supervision", "worked", "--week", "2026-03-02", "--hours", "8").exit_code == 0
    before = snapshot(tmp_path)
    argv = ["--week", "2026-03-02", *args] if "--week" not in args else args
    one_line_error(run("supervision", "worked", *argv), needle, code=2)
    assert snapshot(tmp_path) == before


def test_the_record_is_strict() -> None:
    with pytest.raises(ValidationError, match="week: must be a Monday"):
        WorkedWeek.from_dict({"week": "2026-03-03", "minutes": 60})
    with pytest.raises(ValidationError, match="minutes: at most 10080"):
        WorkedWeek.from_dict({"week": "2026-03-02", "minutes": 10081})
    with pytest.raises(ValidationError, match="week: required"):
        WorkedWeek.from_dict({"minutes": 60})


def test_schema_matches_the_declaration() -> None:
    from test_fields import SCHEMA, check_record

    check_record(WorkedWeek, SCHEMA["$defs"]["workedWeek"], "workedWeek")


def test_export_carries_the_weeks_and_import_brings_them_back(db_path: Path, tmp_path: Path) -> None:
    j = Journal(db_path)
    from reflect.usecases.supervision_log import record_worked

    record_worked(j, MON, 40, "sam")
    record_worked(j, MON + timedelta(weeks=1), 20, "sam")
    out = run("export")
    assert out.exit_code == 0
    doc = json.loads(out.stdout)
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert [(w["week"], w["minutes"]) for w in doc["worked"]] == [("2026-03-02", 2400), ("2026-03-09", 1200)]
    window = json.loads(run("export", "--since", "2026-03-05").stdout)
    assert [w["week"] for w in window["worked"]] == ["2026-03-09"]
    (tmp_path / "in.json").write_text(out.stdout)
    other = tmp_path / "other.json"
    result = run("--db", str(other), "import", str(tmp_path / "in.json"))
    assert result.exit_code == 0 and "worked: 2 added" in result.stderr
    assert weeks(Journal(other)) == {"2026-03-02": 40.0, "2026-03-09": 20.0}
    # The same again is a no-op; other hours for the same record are a conflict, refused whole.
    assert "worked: 0 added, 2 unchanged" in run("--db", str(other), "import", str(tmp_path / "in.json")).stderr
    doc["worked"][0]["minutes"] = 60
    (tmp_path / "in.json").write_text(json.dumps(doc))
    assert run("--db", str(other), "import", str(tmp_path / "in.json")).exit_code != 0
    assert weeks(Journal(other))["2026-03-02"] == 40.0
    assert run("--db", str(other), "import", "--replace", str(tmp_path / "in.json")).exit_code == 0
    assert weeks(Journal(other))["2026-03-02"] == 1.0


def test_an_import_of_stories_and_weeks_keeps_both(db_path: Path, tmp_path: Path) -> None:
    """Stories and weeks share the main file: one import writes both, losing neither."""
    doc = {
        "format": "reflect-export", "version": 1, "entries": [],
        "stories": [{"id": "s1", "title": "Getting sober"}],
        "worked": [{"id": "w1", "peer": "sam", "week": "2026-03-02", "minutes": 600}],
    }  # fmt: skip
    (tmp_path / "in.json").write_text(json.dumps(doc))
    assert run("import", str(tmp_path / "in.json")).exit_code == 0
    j = Journal(db_path)
    assert [s.id for s in j.stories()] == ["s1"] and weeks(j) == {"2026-03-02": 10.0}
    bad = dict(doc, worked=[{"id": "w2", "week": "2026-03-03", "minutes": 1}])
    (tmp_path / "in.json").write_text(json.dumps(bad))
    one_line_error(run("import", str(tmp_path / "in.json")), "week worked 1", "must be a Monday", code=2)


def test_weekly_hours_setting() -> None:
    assert parse_value("weekly_hours", "37.5") == 37.5
    assert parse_value("weekly_hours", "") is None
    for bad in ("169", "-2", "nan", "forty"):
        with pytest.raises(ValidationError, match="weekly_hours"):
            parse_value("weekly_hours", bad)
    assert Settings.from_dict({"weekly_hours": 20}).weekly_hours == 20.0
    with pytest.raises(ValidationError, match="weekly_hours"):
        Settings.from_dict({"weekly_hours": "20"})
    assert Settings().to_dict()["weekly_hours"] is None and Settings().to_dict()["supervision_rules"] == ""


def test_ratio_counts_recorded_weeks_then_the_default(db_path: Path) -> None:
    j = Journal(db_path)
    held = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    j.import_records(meetings=[
        Meeting(held=held + timedelta(weeks=i), since=held, until=held, id=f"m{i}", peer="sam", minutes=60,
                kind="individual", delivery="in-person")
        for i in range(2)
    ])  # fmt: skip
    args = ["supervision", "log", "--since", "2026-03-02", "--until", "2026-03-15", "--rules", "montana", "--format", "json"]
    ratio = lambda: {c["id"]: c for c in json.loads(run(*args).stdout)["rules"]["checks"]}["ratio"]  # noqa: E731
    assert "hours worked not known for the weeks of 2026-03-02, 2026-03-09" in ratio()["detail"]
    assert run("config", "weekly_hours", "40").exit_code == 0
    assert not ratio()["ok"] and "80 hours worked need 4 h; 2 h recorded" in ratio()["detail"]
    assert run("supervision", "worked", "--week", "2026-03-02", "--hours", "20", "--peer", "sam").exit_code == 0
    assert run("supervision", "worked", "--week", "2026-03-09", "--hours", "20", "--peer", "sam").exit_code == 0
    assert ratio()["ok"] and "40 hours worked need 2 h" in ratio()["detail"]


def test_doctor_reads_the_hours_worked_and_repair_restores_them(db_path: Path) -> None:
    """The hours worked are kept in the main journal file beside the stories: `reflect
    doctor` builds each record as the commands do, names the file, and `--repair` puts
    back the last good copy. (Failed before: a damaged week passed the check, and every
    command reading hours worked then failed.)"""
    for week in ("2026-03-02", "2026-03-09"):
        assert run("supervision", "worked", "--week", week, "--hours", "40").exit_code == 0
    good = [w.to_dict() for w in Journal(db_path).worked()]
    data = json.loads(db_path.read_text())
    key = next(iter(data["worked"]))
    data["worked"][key]["week"] = "2026-03-04"  # valid JSON, not a Monday: not a week's record
    db_path.write_text(json.dumps(data))
    result = run("doctor")
    assert result.exit_code == 1 and "journal.json" in result.stdout + result.stderr
    assert "hours worked" in result.stdout + result.stderr and "2026-03-04" not in result.stdout + result.stderr
    assert run("doctor", "--repair").exit_code == 0
    assert run("doctor").exit_code == 0
    assert [w.to_dict() for w in Journal(db_path).worked()] == good
