"""`reflect rate` and `reflect goal`, through click's CliRunner and the installed script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from cli_helpers import one_line_error, run, snapshot
from test_cli_process import reflect_cmd

from reflect.store import Journal


def test_rate_records_a_self_rating_and_shows_it_beside_the_supervisors(db_path: Path):
    mine = run("rate", "I=3", "ii=4", "XII=-")
    assert mine.exit_code == 0, mine.stderr
    rating_id = mine.stdout.strip()
    assert "rated 2 categories of 12 (your own)" in mine.stderr and "not scores" in mine.stderr
    theirs = run("rate", "--supervisor", "--rater", "Dana", "I=1", "II=4", "--note", "after the group")
    assert theirs.exit_code == 0, theirs.stderr
    (a, b) = Journal(db_path).growth().ratings()
    assert a.id == rating_id and a.by == "self" and a.ratings.rated() == {"I": 3, "II": 4}
    assert b.by == "supervisor" and b.rater == "Dana" and b.note == "after the group"
    shown = run("rate").stdout
    assert shown.startswith("Ratings are prompts for discussion, not scores.")
    assert "  3  Growing: " in shown
    row = next(line for line in shown.splitlines() if line.startswith("   I. "))
    assert "3 Growing" in row and "1 New to me" in row
    assert [r["id"] for r in json.loads(run("rate", "--json").stdout)] == [a.id, b.id]


def test_a_bad_rating_is_one_line_and_changes_nothing(db_path: Path, tmp_path: Path):
    run("rate", "I=3")
    before = snapshot(tmp_path)
    one_line_error(run("rate", "III=6"), "III: expected 1 to 5", code=2)
    one_line_error(run("rate", "XIII=2"), "rating 1: expected CATEGORY=LEVEL", code=2)
    one_line_error(run("rate", "I=-"), "at least one category", code=2)
    one_line_error(run("rate", "I=2", "--note", "see jo@example.org"), "note looks like an email address", code=2)
    assert snapshot(tmp_path) == before


def test_goals_from_add_to_met(db_path: Path):
    added = run("goal", "add", "Ask before I share", "--competency", "iii", "--due", "2026-12-01")
    assert added.exit_code == 0, added.stderr
    goal_id = added.stdout.strip()
    assert run("goal", "check-in", goal_id[:6], "asked every time").exit_code == 0
    listed = run("goal", "list").stdout
    assert listed.startswith(f"{goal_id[:8]} · open · III · due 2026-12-01  Ask before I share")
    assert "asked every time" in listed
    met = run("goal", "met", goal_id[:6])
    assert "marked met" in met.stderr
    assert "already met" in run("goal", "met", goal_id).stderr
    assert run("goal", "list").stdout == ""
    (goal,) = json.loads(run("goal", "list", "--all", "--json").stdout)
    assert goal["status"] == "met" and goal["met_at"] and goal["check_ins"][0]["note"] == "asked every time"
    other = run("goal", "add", "Lead a group").stdout.strip()
    assert run("goal", "drop", other).exit_code == 0
    assert [g.status for g in Journal(db_path).growth().goals()] == ["met", "dropped"]


def test_goal_text_is_privacy_checked_and_bad_input_is_refused(db_path: Path, tmp_path: Path):
    line = one_line_error(run("goal", "add", "call 555-123-4567 on friday"), "text looks like a phone number", code=2)
    assert "555" not in line
    assert run("goal", "add", "call 555-123-4567 on friday", "--anyway").exit_code == 0
    before = snapshot(tmp_path)
    one_line_error(run("goal", "add", "  "), "text: required: what the goal is", code=2)
    one_line_error(run("goal", "add", "x", "--due", "someday soon"), "--due", code=2)
    one_line_error(run("goal", "check-in", "nope", "hi"), "no goal with that id", code=1)
    assert snapshot(tmp_path) == before


def test_the_installed_reflect_runs_rate_and_goal(tmp_path: Path):
    env = dict(os.environ, REFLECT_DB=str(tmp_path / "p" / "journal.json"))
    cmd = reflect_cmd()
    done = subprocess.run(cmd + ["goal", "add", "Co-lead a group"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    rated = subprocess.run(cmd + ["rate", "X=4"], capture_output=True, text=True, env=env, timeout=60)
    assert rated.returncode == 0, rated.stderr
    listed = subprocess.run(cmd + ["goal", "list", "--json"], capture_output=True, text=True, env=env, timeout=60)
    assert json.loads(listed.stdout)[0]["id"] == done.stdout.strip()


def test_rate_and_goal_never_import_textual(tmp_path: Path):
    import sys

    code = (
        "import sys\nfrom reflect.cli import main\n"
        "for args in (['rate', 'I=2'], ['rate'], ['goal', 'add', 'x'], ['goal', 'list']):\n"
        "    main(args, standalone_mode=False)\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    env = dict(os.environ, REFLECT_DB=str(tmp_path / "q" / "journal.json"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("[]"), done.stderr


def test_list_marks_a_group_encounter_with_its_headcount(db_path: Path):
    from datetime import datetime, timezone

    from reflect.domain.model import Entry, Group, Listen

    journal = Journal(db_path)
    when = datetime(2026, 11, 2, 10, tzinfo=timezone.utc)
    journal.save(Entry(occurred=when, listen=Listen("a group on holidays"), group=Group(9, "holidays")))
    journal.save(Entry(occurred=when, listen=Listen("one to one"), minutes=20))
    header, *rows = run("list").stdout.splitlines()
    at = header.index("SETTING")
    assert sorted(r[at : at + 8].strip() for r in rows) == ["1:1", "group 9"]
