"""The caseload: several peers' packets (plain and sealed) into one row per peer, whoever
most needs attention first; text, JSON against its schema, and refusals."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pyrage
import pytest

from caseload_helpers import DAY, NOW, SCHEMA, SECRET_STORY, document, files, key, meeting  # noqa: F401 - fixtures
from cli_helpers import one_line_error, run
from reflect.domain.caseload_render import text
from reflect.store import Journal
from reflect.usecases import packets
from reflect.usecases.caseload import BadPacket, caseload


def test_the_caseload_sorts_an_untold_crisis_first_then_an_overdue_meeting(files: list[str], key: tuple[Path, str]) -> None:
    keys = packets.read_document  # sealed files open with the test's identity
    from reflect.store import identity

    opened = identity.from_secret(key[0].read_text())
    built = caseload(files, Journal(os.environ["REFLECT_DB"]), rules="dc", read=lambda p: keys(p, opened), now=NOW)
    rows = {c.peer: c for c in built.cases}
    assert [c.peer for c in built.ordered()] == ["ann", "bob", "cat", "dan"]
    ann, bob, cat, dan = rows["ann"], rows["bob"], rows["cat"], rows["dan"]
    assert (ann.crises, ann.crises_not_notified, ann.crises_private) == (1, 1, 1)
    assert ann.attention[0] == "crisis-not-notified"
    # bob: the newer (sealed) packet won; its crisis before the last meeting was reviewed then.
    assert bob.packet == 3 and bob.crises == 0
    assert bob.overdue_days > 0 and bob.due_by == "rules" and bob.next_due is not None and bob.next_due < NOW.date()
    assert (bob.actions_open, bob.actions_overdue) == (1, 1)
    assert bob.attention[:2] == ["meeting-overdue", "actions-overdue"]
    assert (cat.crises, cat.crises_not_notified, cat.actions_open, cat.actions_overdue) == (1, 0, 1, 0)
    assert cat.overdue_days == 0 and "crisis" in cat.attention
    assert dan.overdue_days == 0 and dan.crises == 0 and dan.actions_open == 0
    assert dan.target_minutes == 4 * 60  # dc: an hour in each of the last four whole weeks
    assert dan.minutes == 4 * 60 and dan.attention == []  # one meeting in each of those weeks
    table = text(built)
    assert all(len(line) <= 80 for line in table.splitlines())
    assert SECRET_STORY not in table


def test_overdue_by_the_rules_is_the_end_of_the_first_period_missed(tmp_path: Path) -> None:
    """Weekly, last met five weeks ago: due by the end of the week after that meeting's."""
    path = tmp_path / "eve.json"
    path.write_text(json.dumps(document([], [meeting("eve", 35 * DAY)])))
    built = caseload([str(path)], Journal(os.environ["REFLECT_DB"]), rules="dc", now=NOW)
    (eve,) = built.cases
    met = (NOW - 35 * DAY).date()
    end_of_next_week = met - timedelta(days=met.weekday()) + timedelta(days=13)
    assert eve.next_due == end_of_next_week and eve.overdue_days == (NOW.date() - end_of_next_week).days


def test_the_schedule_decides_when_no_rules_do(tmp_path: Path) -> None:
    """No rule pack: the first scheduled meeting after the last one; already past: overdue."""
    assert run("config", "schedule", "DTSTART:20250106T100000Z\nRRULE:FREQ=WEEKLY").exit_code == 0
    path = tmp_path / "fay.json"
    path.write_text(json.dumps(document([], [meeting("fay", 20 * DAY)])))
    built = caseload([str(path)], Journal(os.environ["REFLECT_DB"]), rules="", now=NOW)
    (fay,) = built.cases
    assert fay.due_by == "schedule" and fay.next_due is not None and fay.next_due < NOW.date() and fay.overdue_days > 0
    assert fay.target_minutes is None and "hours-short" not in fay.attention


def test_cli_text_and_json_against_the_schema(files: list[str], key: tuple[Path, str]) -> None:
    args = [a for f in files for a in ("--from", f)] + ["--identity", str(key[0]), "--rules", "dc"]
    result = run("caseload", *args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = [line for line in lines if line[:1] in "! " and line[2:5] in ("ann", "bob", "cat", "dan")]
    assert [r.split()[1] if r.startswith("!") else r.split()[0] for r in rows] == ["ann", "bob", "cat", "dan"]
    assert "4 peer(s), 3 needing attention" in result.stderr
    result = run("caseload", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["format"] == "reflect-caseload" and doc["version"] == 1
    assert [p["peer"] for p in doc["peers"]] == ["ann", "bob", "cat", "dan"]
    assert doc["peers"][0]["attention"][0] == "crisis-not-notified"
    assert SECRET_STORY not in result.stdout


def test_the_schema_refuses_what_the_document_must_not_be(files: list[str]) -> None:
    """The schema is strict enough to fail: an unknown field, a wrong attention code."""
    result = run("caseload", "--from", files[0], "--format", "json", "--rules", "dc")
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    for broken in ({**doc, "extra": 1}, {**doc, "peers": [{**doc["peers"][0], "attention": ["bored"]}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)


def test_a_bad_or_foreign_file_stops_the_run_naming_its_position(files: list[str], tmp_path: Path, key: tuple[Path, str]) -> None:
    foreign = tmp_path / "log.json"
    foreign.write_text(json.dumps({"format": "reflect-supervision-log", "version": 1, "note": SECRET_STORY}))
    line = one_line_error(run("caseload", "--from", files[4], "--from", str(foreign)), "--from file 2 of 2", code=2)
    assert SECRET_STORY not in line
    not_mine = tmp_path / "other.age"
    not_mine.write_bytes(packets.seal(b"{}", [str(pyrage.x25519.Identity.generate().to_public())]))
    one_line_error(
        run("caseload", "--from", str(not_mine), "--identity", str(key[0])), "--from file 1 of 1", "not addressed to you", code=2
    )
    one_line_error(run("caseload", "--from", files[0], "--rules", "nope"), "no pack named", code=2)
    one_line_error(run("caseload", "--from", files[0], "--app", "--format", "json"), "--app", code=2)
    with pytest.raises(BadPacket):
        caseload([files[0], str(foreign)], Journal(os.environ["REFLECT_DB"]), rules="", now=NOW)


def test_the_installed_reflect_prints_the_caseload(files: list[str], tmp_path: Path) -> None:
    exe = shutil.which("reflect", path=str(Path(sys.executable).parent))
    assert exe is not None
    done = subprocess.run(
        [exe, "caseload", "--from", files[0], "--from", files[4], "--rules", "texas", "--format", "json"],
        capture_output=True, text=True, env={**os.environ}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert [p["peer"] for p in doc["peers"]] == ["ann", "dan"]
    assert doc["rules"]["name"] == "texas"
    assert date.fromisoformat(doc["today"]) == date.today()
    code = (
        "import sys\nfrom reflect.cli import main\n"
        f"main(['caseload', '--from', {files[0]!r}, '--rules', 'dc'], standalone_mode=False)\n"
        "print('TEXTUAL', any(m.split('.')[0] == 'textual' for m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "TEXTUAL False" in done.stderr, done.stderr


def test_app_opens_the_screen_on_the_caseload_read_once(files: list[str], key: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """--app hands the screen the rows and a reader that does not open a packet twice."""
    import reflect.screens.caseload as screen

    seen: list[Any] = []
    monkeypatch.setattr(screen, "run_caseload", lambda db, built, paths, read: seen.append((built, paths, read)))
    result = run("caseload", "--from", files[2], "--from", files[0], "--identity", str(key[0]), "--rules", "dc", "--app")
    assert result.exit_code == 0, result.stderr
    ((built, paths, read),) = seen
    assert [c.peer for c in built.ordered()] == ["ann", "bob"] and paths == [files[2], files[0]]
    monkeypatch.setattr(packets, "read_document", lambda *a, **k: pytest.fail("read again"))
    assert json.loads(read(files[2]))["format"] == "reflect-export"  # the sealed one, remembered


def test_the_bench_measures_the_caseload(tmp_path: Path) -> None:
    """The bench's caseload figure runs (tiny), so the script stays runnable between sessions."""
    import argparse
    import importlib.util

    bench = Path(__file__).resolve().parent.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        spec = importlib.util.spec_from_file_location("bench_supervision", bench / "bench_supervision.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.caseload_figures(tmp_path, argparse.Namespace(peers=2, weeks=4, entries=20, repeat=1, rules="dc"))
    finally:
        sys.path.remove(str(bench))


def test_the_newer_export_wins_whatever_the_order_given(files: list[str], key: tuple[Path, str]) -> None:
    """bob's sealed packet was exported after his plain file: it is read, given first or last."""
    from reflect.store import identity

    opened = identity.from_secret(key[0].read_text())
    journal = Journal(os.environ["REFLECT_DB"])
    for order in ([files[1], files[2]], [files[2], files[1]]):
        (bob,) = caseload(order, journal, rules="dc", read=lambda p: packets.read_document(p, opened), now=NOW).cases
        assert bob.packet == order.index(files[2]) + 1
        assert bob.crises == 0  # the older file's crisis, two days ago, is not his latest export's


def test_a_meeting_the_rule_does_not_count_neither_keeps_the_peer_on_time_nor_adds_hours(tmp_path: Path) -> None:
    """DC counts face-to-face supervision: a peer met only by phone 60 days ago is overdue
    from the end of that meeting's week, and the phone hour is not in the Hours column;
    the same meeting by video counts (due the week after, its hour counted)."""
    held = (NOW - 60 * DAY).date()
    monday = held - timedelta(days=held.weekday())
    rows = {}
    for delivery in ("phone", "video"):
        recent = meeting("gil", 10 * DAY, mid=f"m-recent-{delivery}")
        recent["delivery"] = delivery
        old = meeting("gil", 60 * DAY, mid=f"m-old-{delivery}")
        old["delivery"] = delivery
        path = tmp_path / f"gil-{delivery}.json"
        path.write_text(json.dumps(document([], [old] if delivery == "phone" else [old, recent])))
        (rows[delivery],) = caseload([str(path)], Journal(os.environ["REFLECT_DB"]), rules="dc", now=NOW).cases
    phone, video = rows["phone"], rows["video"]
    assert phone.next_due == monday + timedelta(days=6)
    assert phone.overdue_days == (NOW.date() - phone.next_due).days > 0
    assert "meeting-overdue" in phone.attention and phone.minutes == 0
    assert video.minutes == 60  # the recent video meeting, within the last four weeks


@pytest.mark.parametrize("fmt,found", [("csv", "CSV"), ("markdown", "Markdown")])
def test_a_csv_or_markdown_export_is_named_not_read_as_broken_json(tmp_path: Path, fmt: str, found: str) -> None:
    """Only JSON can be read back: review, import and caseload say what the file is, in one line, exit 2."""
    from datetime import datetime, timezone

    from reflect.domain.model import Entry, Listen

    Journal(os.environ["REFLECT_DB"]).save(Entry(occurred=datetime(2026, 11, 2, tzinfo=timezone.utc), listen=Listen(story="a talk")))
    path = tmp_path / f"packet.{fmt}"
    assert run("export", "--format", fmt, "-o", str(path)).exit_code == 0
    for args in (("caseload", "--from", str(path)), ("review", "--from", str(path), "--format", "markdown"), ("import", str(path))):
        line = one_line_error(run(*args), found, "only JSON", code=2)
        assert "line 1 column 1" not in line


def test_the_heading_is_never_cut_mid_phrase(tmp_path: Path) -> None:
    """Without rules the heading is longer than 80 columns: the rules go on a line of their own."""
    path = tmp_path / "hal.json"
    path.write_text(json.dumps(document([], [meeting("hal", 3 * DAY)])))
    table = text(caseload([str(path)], Journal(os.environ["REFLECT_DB"]), rules="", now=NOW))
    assert all(len(line) <= 80 for line in table.splitlines())
    assert "no rules (the schedule alone)" in table and "…" not in table.splitlines()[0]
