"""`reflect list`, `show`, `delete`, `config`, `doctor`, `--version` and `--db`, through CliRunner."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect import __version__
from reflect.cli import main
from cli_helpers import one_line_error, run, snapshot
from reflect.domain.model import Entry, Flags, Listen
from reflect.domain.settings import Settings
from reflect.store import Journal

UTC = timezone.utc








def eid(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-000000000000"


@pytest.fixture
def journal() -> Journal:
    j = Journal()
    j.save(Entry(id=eid(1), occurred=datetime(2024, 3, 1, 10, tzinfo=UTC), person="AB", setting="one-to-one",
                 listen=Listen(story="Talked about finding housing after a long wait " * 3), tags=["housing"]))
    j.save(Entry(id=eid(2), occurred=datetime(2024, 3, 5, 15, tzinfo=UTC), person="A very long pseudonym",
                 setting="text-or-chat", flags=Flags(crisis=True, discuss=True), question="Was the handoff right?"))
    j.save(Entry(id=eid(3), occurred=datetime(2024, 3, 9, 9, tzinfo=UTC), person="CD", visibility="private",
                 listen=Listen(story="my own bad week"), flags=Flags(self_care=True)))
    return j  # fmt: skip


# --- list ---------------------------------------------------------------------------------


def test_list_table_fits_80_columns_newest_first_private_marked(journal: Journal) -> None:
    result = run("list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["WHEN", "ID"]
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    rows = lines[1:]
    assert [r.split()[0] for r in rows] != []
    assert [eid(n)[:8] in r for r, n in zip(rows, (3, 2, 1))] == [True, True, True]
    assert "SP" in rows[0]  # self-care and private
    assert "!?" in rows[1] and "text" in rows[1] and "Was the handoff right?"[:10] in rows[1]
    assert "1:1" in rows[2] and "Talked about" in rows[2] and "…" in rows[2]


def test_list_filters(journal: Journal) -> None:
    def ids(*args: str) -> list[str]:
        result = run("list", "--json", *args)
        assert result.exit_code == 0, result.stderr
        return [e["id"] for e in json.loads(result.stdout)]

    assert ids("--flag", "crisis") == [eid(2)]
    assert ids("--flag", "crisis", "--flag", "boundary") == []
    assert ids("--tag", "HOUSING") == [eid(1)]
    assert ids("--search", "handoff") == [eid(2)]
    assert ids("--flag", "private") == [eid(3)]
    assert ids("--include-private") == [eid(3), eid(2), eid(1)]
    assert ids("--since", "2024-03-02", "--until", "2024-03-05") == [eid(2)]
    assert ids("--limit", "1") == [eid(2)]


def test_list_json_is_pure_json_and_leaves_private_out_with_a_note(journal: Journal) -> None:
    result = run("list", "--json")
    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    assert [e["id"] for e in entries] == [eid(2), eid(1)]
    assert Entry.from_dict(entries[0]).question == "Was the handoff right?"  # full entries
    assert "left out 1 private entry" in result.stderr


def test_list_limit_says_there_is_more_on_stderr(journal: Journal) -> None:
    result = run("list", "--limit", "2")
    assert len(result.stdout.splitlines()) == 3
    assert "--limit" in result.stderr
    assert "--limit" not in run("list", "--limit", "0").stderr


def test_list_empty_and_bad_date(tmp_path: Path) -> None:
    result = run("list")
    assert result.exit_code == 0 and "no entries" in result.stderr
    assert result.stdout == ""
    assert json.loads(run("list", "--json").stdout) == []
    one_line_error(run("list", "--since", "fortnight-ish"), "--since", "fortnight-ish", code=2)


# --- show and delete --------------------------------------------------------------------------


def test_show_by_prefix_readable_and_json(journal: Journal) -> None:
    result = run("show", eid(2)[:8])
    assert result.exit_code == 0, result.stderr
    assert "Was the handoff right?" in result.stdout and eid(2) in result.stdout
    data = json.loads(run("show", eid(3), "--json").stdout)
    assert data["id"] == eid(3) and data["visibility"] == "private"  # asked for by name


def test_show_unknown_and_ambiguous(journal: Journal) -> None:
    one_line_error(run("show", "ffffffff"), "no entry", "ffffffff", code=1)
    one_line_error(run("show", "0000"), "matches 3 entries", code=1)


def test_delete_with_yes(journal: Journal) -> None:
    result = run("delete", eid(1)[:8], "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "deleted" in result.stderr and eid(1) in result.stderr
    assert not journal.exists(eid(1))


def test_delete_refuses_without_a_terminal_and_without_yes(tmp_path: Path, journal: Journal) -> None:
    before = snapshot(tmp_path)
    one_line_error(run("delete", eid(1), input="y\n"), "--yes", code=2)
    assert snapshot(tmp_path) == before
    one_line_error(run("delete", "ffffffff", "--yes"), "no entry", code=1)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("answer,deleted", [("y", True), ("n", False)])
def test_delete_asks_on_a_terminal(journal: Journal, answer: str, deleted: bool) -> None:
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflect", "delete", eid(1)],
            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(),
            cwd=Path(__file__).resolve().parent.parent,
        )  # fmt: skip
        os.write(master, f"{answer}\n".encode())
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert b"This will delete entry" in err and b"Delete it?" in err
    assert out == b""
    assert proc.returncode == (0 if deleted else 1)
    assert journal.exists(eid(1)) is not deleted


# --- config ------------------------------------------------------------------------------------


def test_config_shows_all_as_json_then_sets_and_gets(tmp_path: Path) -> None:
    result = run("config")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == Settings().to_dict()
    assert run("config", "supervisor", "Dr Lee").exit_code == 0
    assert run("config", "supervisor").stdout == "Dr Lee\n"
    assert json.loads(run("config").stdout)["supervisor"] == "Dr Lee"
    assert Journal().settings().supervisor == "Dr Lee"


def test_config_crisis_lines_two_ways_and_reset() -> None:
    result = run("config", "crisis_lines", "Samaritans: call 116 123; Shout: text 85258")
    assert result.exit_code == 0, result.stderr
    lines = json.loads(run("config", "crisis_lines").stdout)
    assert lines == [{"name": "Samaritans", "how": "call 116 123"}, {"name": "Shout", "how": "text 85258"}]
    assert run("config", "crisis_lines", json.dumps([{"name": "Line", "how": "call 1"}])).exit_code == 0
    assert Journal().settings().crisis_lines[0].name == "Line"
    assert run("config", "--unset", "crisis_lines").exit_code == 0
    assert Journal().settings().crisis_lines == Settings().crisis_lines
    assert run("config", "peer", "Sam").exit_code == 0
    assert run("config", "peer", "").exit_code == 0
    assert Journal().settings().peer == ""


def test_config_schedule_is_stored_canonical_and_next_meeting_shown() -> None:
    from reflect.domain import dates

    result = run("config", "schedule", "every 2 weeks on tuesday at 10:00")
    assert result.exit_code == 0, result.stderr
    stored = Journal().settings().schedule
    # counted from the day it was set (issue 9, item 14), not from a fixed anchor
    assert stored == dates.parse_schedule("every 2 weeks on tuesday at 10:00", starting=datetime.now().date())
    assert "RRULE" in stored.upper() or "FREQ=" in stored.upper()
    assert "next meeting" in result.stderr
    assert run("config", "schedule").stdout == stored + "\n"


BAD_CONFIG = [
    (["nope", "x"], ["unknown setting 'nope'", "peer"]),
    (["crisis_lines", "just words"], ["crisis_lines[0]", "'just words'"]),
    (["crisis_lines", "[]"], ["crisis_lines", "at least one"]),
    (["crisis_lines", "[{\"name\": \"X\"}"], ["crisis_lines", "not valid JSON"]),
    (["crisis_lines", "[{\"name\": \"X\", \"phone\": \"1\"}]"], ["crisis_lines[0].phone", "unknown field"]),
    (["schedule", "whenever we feel like it"], ["schedule", "whenever we feel like it"]),
    (["theme", "sparkly"], ["theme", "'sparkly'", "nord"]),
    (["peer", "two\nlines"], ["peer", "one line"]),
    (["--unset", "nope"], ["unknown setting"]),
]  # fmt: skip


@pytest.mark.parametrize("args,needles", BAD_CONFIG, ids=[" ".join(a[:1] + a[1:][:1])[:30] for a, _ in BAD_CONFIG])
def test_bad_config_value_is_refused_with_the_reason(
    tmp_path: Path, journal: Journal, args: list[str], needles: list[str]
) -> None:
    run("config", "peer", "Sam")
    before = snapshot(tmp_path)
    one_line_error(run("config", *args), *needles, code=2)
    assert snapshot(tmp_path) == before


# --- doctor ------------------------------------------------------------------------------------


def test_doctor_ok(journal: Journal) -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.stderr
    assert "status:   ok" in result.stdout and "3 entries" in result.stdout
    report = json.loads(run("doctor", "--json").stdout)
    assert report["ok"] is True and report["entries"] == 3


def test_doctor_reports_a_garbled_file_then_repairs_it(tmp_path: Path, journal: Journal) -> None:
    month = tmp_path / "journal.json.d" / "entries" / "2024-03.json"
    month.write_bytes(month.read_bytes()[:40])
    garbled = month.read_bytes()
    # other commands name the file, give what else they can, exit 1, and leave it untouched
    listed = run("list")
    assert listed.exit_code == 1 and str(month) in listed.stderr and "internal error" not in listed.stderr
    assert month.read_bytes() == garbled
    result = run("doctor")
    assert result.exit_code == 1
    assert "corrupt" in result.stdout and str(month) in result.stdout
    assert "--repair" in result.stderr
    assert month.read_bytes() == garbled
    result = run("doctor", "--repair")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "restored" in result.stdout
    assert run("doctor").exit_code == 0
    assert run("list").exit_code == 0


# --- version and --db ----------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"reflect {__version__}"


def test_db_before_or_after_the_command_and_from_the_environment(tmp_path: Path, journal: Journal) -> None:
    other = tmp_path / "elsewhere" / "j.json"
    Journal(other).save(Entry(id=eid(7), occurred=datetime(2024, 1, 1, tzinfo=UTC)))
    for args in (["--db", str(other), "list", "--json"], ["list", "--json", "--db", str(other)]):
        assert [e["id"] for e in json.loads(run(*args).stdout)] == [eid(7)]
    env_ids = [e["id"] for e in json.loads(run("list", "--json").stdout)]  # REFLECT_DB from conftest
    assert env_ids == [eid(2), eid(1)]
    result = CliRunner().invoke(main, ["list", "--json"], env={"REFLECT_DB": str(other)})
    assert [e["id"] for e in json.loads(result.stdout)] == [eid(7)]


# --- usage errors are one line too ------------------------------------------------------------

USAGE = [
    (["export", "--format", "xml"], ["--format", "'xml'", "reflect export --help"]),
    (["list", "--flag", "sad"], ["--flag", "'sad'"]),
    (["list", "--limit", "-1"], ["--limit"]),
    (["import"], ["Missing argument", "FILE|-"]),
    (["frobnicate"], ["No such command", "frobnicate"]),
    (["--bogus", "list"], ["--bogus"]),
    (["config", "a", "b", "c"], ["unexpected extra argument"]),
]  # fmt: skip


@pytest.mark.parametrize("args,needles", USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_usage_errors_are_one_line_exit_2(tmp_path: Path, journal: Journal, args: list[str], needles: list[str]) -> None:
    before = snapshot(tmp_path)
    line = one_line_error(run(*args), *needles, code=2)
    assert line.startswith("reflect: ")
    assert snapshot(tmp_path) == before


def test_help_still_shows_in_full() -> None:
    result = run("list", "--help")
    assert result.exit_code == 0 and "--flag" in result.stdout and "P private" in result.stdout
