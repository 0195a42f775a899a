"""Defects found on review of the growth commands (issue 12), each with its test."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from cli_helpers import one_line_error, run, snapshot
from test_growth_agenda import DAY, MET, UNTIL, agenda_of, journal, texts  # noqa: F401 - the fixture

from reflect.domain.growth import Levels, Rating
from reflect.store import Journal


def test_a_partial_rating_keeps_each_categorys_earlier_rating(db_path: Path):
    growth = Journal(db_path).growth()
    growth.save_rating(Rating(at=datetime(2026, 1, 1, tzinfo=timezone.utc), ratings=Levels(I=2, II=3, III=4)))
    assert run("rate", "XII=3").exit_code == 0
    shown = run("rate").stdout
    row = next(line for line in shown.splitlines() if line.startswith("   I. "))
    assert "2 Starting" in row
    assert "3 Growing" in next(line for line in shown.splitlines() if line.startswith(" XII. "))


def test_the_agenda_reads_each_categorys_latest_rating(journal: Journal):  # noqa: F811
    growth = journal.growth()
    growth.save_rating(Rating(at=MET - 20 * DAY, ratings=Levels(I=2, II=3)))
    growth.save_rating(Rating(at=MET - 2 * DAY, by="supervisor", ratings=Levels(I=5, II=3)))
    growth.save_rating(Rating(at=UNTIL - 3 * DAY, ratings=Levels(I=4)))
    growth.save_rating(Rating(at=UNTIL - 2 * DAY, ratings=Levels(XII=3)))  # a partial sitting, the newest
    skills = texts(agenda_of(journal), "skills")
    (moved,) = [t for t in skills if t.startswith("Ratings by the peer that moved")]
    assert "I. Engages peers in collaborative and caring relationships 2 to 4" in moved
    (gaps,) = [t for t in skills if t.startswith("Where the peer's and the supervisor's latest ratings differ most")]
    assert "(peer 4, supervisor 5)" in gaps


def test_a_closed_goal_stays_closed_and_takes_no_check_ins(db_path: Path, tmp_path: Path):
    goal_id = run("goal", "add", "Lead a group").stdout.strip()
    assert run("goal", "met", goal_id).exit_code == 0
    before = snapshot(tmp_path)
    one_line_error(run("goal", "drop", goal_id), "ID: the goal is met already", code=2)
    one_line_error(run("goal", "check-in", goal_id, "still going"), "ID: the goal is met", code=2)
    assert snapshot(tmp_path) == before
    (goal,) = Journal(db_path).growth().goals()
    assert goal.status == "met" and goal.met_at is not None and not goal.check_ins
    other = run("goal", "add", "Read the ethics code").stdout.strip()
    assert run("goal", "drop", other).exit_code == 0
    one_line_error(run("goal", "met", other), "ID: the goal is dropped already", code=2)


PHONE, EMAIL = "555-123-4567", "jane.doe@example.com"


def test_no_message_quotes_a_value_that_could_identify_someone(db_path: Path, tmp_path: Path):
    tid = run("training", "add", "--title", f"Ethics, call {PHONE}", "--provider", "PA Board", "--date",
              "2026-01-05", "--hours", "3", "--category", "ethics", "--anyway").stdout.strip()  # fmt: skip
    before = snapshot(tmp_path)
    for args in (
        ("goal", "add", "x", "--competency", PHONE),
        ("goal", "met", EMAIL),
        ("goal", "check-in", EMAIL, "going well"),
        ("training", "edit", PHONE, "--hours", "2"),
        ("training", "add", "--title", "t", "--provider", "p", "--date", PHONE, "--hours", "1", "--category", "ethics"),
        ("goal", "add", "x", "--due", EMAIL),
    ):
        line = one_line_error(run(*args))
        assert PHONE not in line and EMAIL not in line and "jane" not in line, line
    assert snapshot(tmp_path) == before
    deleted = run("training", "delete", tid, "--yes")
    assert deleted.exit_code == 0 and PHONE not in deleted.stderr and "[phone]" in deleted.stderr


def test_training_text_gets_the_identifier_check(db_path: Path, tmp_path: Path):
    base = ("training", "add", "--provider", "PA Board", "--date", "2026-01-05", "--hours", "3", "--category", "ethics")
    before = snapshot(tmp_path)
    one_line_error(run(*base, "--title", f"call {PHONE}"), "title looks like a phone number", "--anyway", code=2)
    one_line_error(run(*base, "--title", "Ethics", "--notes", EMAIL), "notes looks like an email address", code=2)
    cert = tmp_path / "inputs" / f"{EMAIL}.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"%PDF-1")
    one_line_error(run(*base, "--title", "Ethics", "--certificate", str(cert)), "certificate looks like", code=2)
    assert snapshot(tmp_path) == before
    tid = run(*base, "--title", "Ethics").stdout.strip()
    one_line_error(run("training", "edit", tid, "--provider", PHONE), "provider looks like a phone number", code=2)
    assert snapshot(tmp_path) != before
    kept = run("training", "edit", tid, "--provider", PHONE, "--anyway")
    assert kept.exit_code == 0, kept.stderr
    assert Journal(db_path).trainings().get(tid).provider == PHONE


def test_importing_growth_records_warns_of_identifiers_by_kind(db_path: Path, tmp_path: Path):
    gid = run("goal", "add", f"text {EMAIL}", "--anyway").stdout.strip()
    rid = run("rate", "I=3", "--note", f"call {PHONE}", "--anyway").stdout.strip()
    tid = run("training", "add", "--title", "Ethics", "--provider", "PA", "--date", "2026-01-05", "--hours", "3",
              "--category", "ethics", "--notes", f"call {PHONE}", "--anyway").stdout.strip()  # fmt: skip
    doc = tmp_path / "inputs" / "all.json"
    doc.parent.mkdir()
    assert run("export", "-o", str(doc)).exit_code == 0
    other = tmp_path / "other" / "journal.json"
    done = run("--db", str(other), "import", str(doc))
    assert done.exit_code == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert f"warning: goal {gid}: text looks like an email address" in warned
    assert f"warning: rating {rid}: note looks like a phone number" in warned
    assert f"warning: training {tid}: notes looks like a phone number" in warned
    assert PHONE not in done.stderr and EMAIL not in done.stderr


def test_error_lines_are_bounded_and_a_huge_level_is_bad_input(db_path: Path, tmp_path: Path):
    long = "7" * 5000
    before = snapshot(tmp_path)
    for args in (
        ("goal", "add", "x", "--competency", long),
        ("training", "status", "--format", long),
        ("list", "--flag", long),
        ("rate", f"I={long}"),
        ("rate", f"{long}=3"),
    ):
        line = one_line_error(run(*args), code=2)
        assert len(line) <= 500, (args[:2], len(line))
    one_line_error(run("rate", f"I={long}"), "I: expected 1 to 5", code=2)
    one_line_error(run("rate", "I=555-123-4567"), "I: expected 1 to 5", code=2)
    assert PHONE not in run("rate", "I=555-123-4567").stderr
    assert snapshot(tmp_path) == before


def test_rate_refuses_what_it_used_to_take_silently(db_path: Path, tmp_path: Path):
    before = snapshot(tmp_path)
    one_line_error(run("rate", "I=3", "I=4"), "I: rated twice", code=2)
    one_line_error(run("rate", "--rater", "Dana", "I=3"), "--rater", "--supervisor", code=2)
    one_line_error(run("rate", "--self", "--supervisor", "I=3"), "not both", code=2)
    one_line_error(run("rate", "--at", "2999-01-01", "I=3"), "--at", "future", code=2)
    assert snapshot(tmp_path) == before
    assert run("rate", "--self", "I=3", "--at", "2026-01-02").exit_code == 0
    assert run("rate", "--supervisor", "--rater", "Dana", "I=2").exit_code == 0
    assert [r.by for r in Journal(db_path).growth().ratings()] == ["self", "supervisor"]


def test_groups_show_whole_and_their_theme_names_no_one(db_path: Path):
    from reflect.domain.model import Entry, Group, Listen
    from reflect.domain.privacy import scan_fields
    from reflect.screens.home import entry_prompt

    when = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
    big = Entry(occurred=when, id="g121", listen=Listen(story="s"), group=Group(121, "coping"))
    Journal(db_path).save(big)
    row = next(line for line in run("list").stdout.splitlines() if "g121" in line)
    assert "group 121" in row
    assert "group 121" in str(entry_prompt(big, when + timedelta(days=1)))
    assert big.setting == "one-to-one" and "one-to-one" not in str(entry_prompt(big, when))
    found = scan_fields(Entry(occurred=when, group=Group(4, "with John Smith and Mary Jones")).text_fields())
    assert [(f.field, f.kind) for f in found] == [("group.theme", "full_name")] * 2
    assert scan_fields({"group.theme": "coping with holidays"}) == []


def test_training_details(db_path: Path, tmp_path: Path):
    base = ("training", "add", "--title", "Ethics", "--provider", "PA", "--date", "2026-01-05", "--hours", "3",
            "--category", "ethics")  # fmt: skip
    one_line_error(run(*base, "--certificate", str(tmp_path)), "--certificate", "not a regular file", code=2)
    one_line_error(run(*base, "--certificate", "/dev/zero"), "not a regular file", code=2)
    one_line_error(run(*base, "--certificate", str(tmp_path / "gone.pdf")), "no such file", code=2)
    cert = tmp_path / "inputs" / "ethics.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"%PDF-1")
    tid = run(*base, "--certificate", str(cert)).stdout.strip()
    one_line_error(run("training", "edit", tid), "nothing to change", "--no-certificate", code=2)
    doc = tmp_path / "inputs" / "all.json"
    assert run("export", "-o", str(doc)).exit_code == 0
    other = str(tmp_path / "other" / "journal.json")
    assert run("--db", other, "import", str(doc)).exit_code == 0
    (mine,) = [line for line in run("training", "list").stdout.splitlines() if tid[:8] in line]
    (theirs,) = [line for line in run("--db", other, "training", "list").stdout.splitlines() if tid[:8] in line]
    assert "  C  Ethics" in mine and "  ?  Ethics" in theirs  # the file stayed behind
    status = run("training", "status", "--rules", "pa-cps", "--certified-on", "2026-01-06", "--on", "2026-01-05")
    assert "starts in 1 day\n" in status.stdout, status.stdout
    later = run("config", "certified_on", "2999-01-01")
    assert later.exit_code == 0 and "warning: certified_on is after today" in later.stderr
    assert "warning" not in run("config", "certified_on", "2025-01-01").stderr
