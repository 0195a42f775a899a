"""`reflect review --format ...` and `reflect meeting` against a real journal in tmp_path."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.formats import schema_path, write_json
from reflect.domain.model import ActionItem, Crisis, Entry, Flags, Listen, Meeting, Story, now, Select
from reflect.domain.settings import Settings
from reflect.store import Journal


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make(eid: str, occurred: datetime, peer: str = "alex", **kw) -> Entry:
    kw.setdefault("listen", Listen(story=f"story {eid}"))
    return Entry(occurred=occurred, id=eid, peer=peer, **kw)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    return j


@pytest.fixture
def schema() -> jsonschema.Draft202012Validator:
    data = json.loads(schema_path("agenda").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(data, format_checker=jsonschema.FormatChecker())


def ids_in(doc: dict) -> set[str]:
    return {i for a in doc["agendas"] for s in a["sections"] for item in s["items"] for i in item["entries"]}


def test_markdown_default_window_is_the_last_14_days_without_a_meeting(journal: Journal):
    t = now()
    journal.save(make("recent-crisis-0001", t - timedelta(days=2), flags=Flags(crisis=True)))
    journal.save(make("too-old-crisis-0002", t - timedelta(days=20), flags=Flags(crisis=True)))
    result = run("review", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Supervision agenda: alex")
    assert "## 1. Safety first" in out and "## 8. Wins to celebrate" in out
    assert "recent-c" in out and "The supervisor was not notified." in out
    safety = out.split("## 2.")[0]
    assert "too-old-" not in safety
    assert result.stderr == ""


def test_json_validates_one_agenda_per_peer_and_peer_narrows(journal: Journal, schema):
    t = now()
    journal.save(make("alex-1", t - timedelta(days=1), flags=Flags(celebrate=True)))
    journal.save(make("sam-1", t - timedelta(days=1), peer="sam", flags=Flags(discuss=True), question="Is it ok?"))
    result = run("review", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    schema.validate(doc)
    assert [a["peer"] for a in doc["agendas"]] == ["alex", "sam"]
    assert doc["agendas"][0]["next_meeting"] is None
    result = run("review", "--format", "json", "--peer", "sam")
    doc = json.loads(result.stdout)
    assert [a["peer"] for a in doc["agendas"]] == ["sam"]
    assert ids_in(doc) == {"sam-1"}
    questions = doc["agendas"][0]["sections"][2]
    assert questions["key"] == "questions" and questions["items"][0]["text"].startswith("Is it ok?")


def test_text_format(journal: Journal):
    journal.save(make("txt-1", now() - timedelta(hours=3), flags=Flags(self_care=True)))
    result = run("review", "--format", "text")
    assert result.exit_code == 0
    assert "Supervision agenda: alex\n=====" in result.stdout
    assert "7. Wellbeing and workload" in result.stdout and "entries: txt-1" in result.stdout


def test_since_and_until_take_date_phrases_and_until_is_inclusive_of_its_day(journal: Journal):
    t = now()
    journal.save(make("in-window", t - timedelta(days=30), flags=Flags(celebrate=True)))
    journal.save(make("after-window", t - timedelta(days=5), flags=Flags(celebrate=True)))
    journal.save(make("before-window", t - timedelta(days=60), flags=Flags(celebrate=True)))
    since = (t - timedelta(days=40)).date().isoformat()
    until = (t - timedelta(days=30)).date().isoformat()
    result = run("review", "--format", "json", "--since", since, "--until", until)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    wins = doc["agendas"][0]["sections"][7]["items"]
    assert [i["entries"] for i in wins] == [["in-window"]]
    result = run("review", "--format", "json", "--since", "2 weeks ago")
    assert result.exit_code == 0, result.stderr
    assert [i["entries"] for i in json.loads(result.stdout)["agendas"][0]["sections"][7]["items"]] == [["after-window"]]


def test_bad_window_options_are_bad_input(journal: Journal):
    result = run("review", "--format", "json", "--since", "not a date at all")
    assert result.exit_code == 2 and "--since" in result.stderr and result.stdout == ""
    result = run("review", "--format", "json", "--since", "yesterday", "--until", "2 weeks ago")
    assert result.exit_code == 2 and "after --until" in result.stderr


def test_include_private(journal: Journal):
    journal.save(make("secret-1", now() - timedelta(days=1), visibility="private", flags=Flags(crisis=True)))
    result = run("review", "--format", "json")
    assert "secret-1" not in result.stdout
    result = run("review", "--format", "json", "--include-private")
    assert "secret-1" in ids_in(json.loads(result.stdout))
    assert "private entries are included" in result.stderr


def test_default_window_starts_after_the_last_meeting_and_open_actions_come_back(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
):
    t = now()
    last = Meeting(
        held=t - timedelta(days=3), since=t - timedelta(days=17), until=t - timedelta(days=4), peer="alex",
        actions=[ActionItem("Practise ask-share-ask", id="act-1"), ActionItem("Done already", done=True)],
    )  # fmt: skip
    journal.save_meeting(last)
    # Journaled before the meeting (issue 8: one journaled after it would come back, marked late).
    with monkeypatch.context() as m:
        m.setattr("reflect.store.engine.now", lambda: t - timedelta(days=5))
        journal.save(make("before-meeting", t - timedelta(days=5), flags=Flags(celebrate=True)))
    journal.save(make("after-meeting", t - timedelta(days=1), flags=Flags(celebrate=True)))
    doc = json.loads(run("review", "--format", "json").stdout)
    agenda = doc["agendas"][0]
    assert agenda["since"] == last.until.isoformat()
    wins = [i["entries"] for i in agenda["sections"][7]["items"]]
    assert wins == [["after-meeting"]]
    follow = [i["text"] for i in agenda["sections"][3]["items"]]
    assert len(follow) == 1 and follow[0].startswith("Practise ask-share-ask")
    journal.set_action_done(last.id, "act-1")
    doc = json.loads(run("review", "--format", "json").stdout)
    assert doc["agendas"][0]["sections"][3]["items"][0]["text"] == "Nothing to raise this time."


def _export(path: Path, entries, stories=(), meetings=()) -> Path:
    buf = io.StringIO()
    write_json(buf, entries, stories, meetings, exported_at=now())
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_from_two_export_files_gives_two_agendas_and_writes_nothing(tmp_path: Path, db_path: Path, schema):
    t = now()
    story = Story("Asking for help", id="story-1")
    a = _export(
        tmp_path / "alex.json",
        [make("a-share", t - timedelta(days=2), select=Select("share", "story-1"), flags=Flags(crisis=True))],
        [story],
        [Meeting(held=t - timedelta(days=30), since=t - timedelta(days=44), until=t - timedelta(days=30),
                 peer="alex", actions=[ActionItem("Call the warmline", id="x1")])],
    )  # fmt: skip
    b = _export(tmp_path / "sam.json", [make("s-win", t - timedelta(days=3), peer="", flags=Flags(celebrate=True))])
    result = run("review", "--format", "json", "--from", str(a), "--from", str(b))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    schema.validate(doc)
    assert [x["peer"] for x in doc["agendas"]] == ["alex", "sam"]  # sam: the file's name
    alex, sam = doc["agendas"]
    assert alex["since"] == (t - timedelta(days=30)).isoformat()  # the file's last meeting
    assert alex["sections"][3]["items"][0]["text"].startswith("Call the warmline")
    assert any('"Asking for help" (1)' in i["text"] for s in alex["sections"] for i in s["items"])
    assert ids_in({"agendas": [sam]}) == {"s-win"}
    assert not db_path.exists() and not Path(str(db_path) + ".d").exists()
    md = run("review", "--format", "markdown", "--from", str(a), "--from", str(b), "--peer", "sam")
    assert md.stdout.count("# Supervision agenda:") == 1 and "s-win" in md.stdout


@pytest.mark.parametrize(
    "content, reason",
    [
        ('{"format": "reflect-export", "version": 1, "entries": [{"occurred": "yesterday"}]}', "occurred"),
        ('{"format": "reflect-export", "version": 1, "entries": [', "not valid JSON"),
        ('{"format": "reflect-export", "version": 1, "entries": [{"occurred": "2020-03-01T10:00:00+00:00", "colour": 1}]}', "colour"),
        ('{"format": "reflect-export", "version": 1, "entries": [{"occurred": "%s", "setting": "bus"}]}', "setting"),
        ('{"format": "reflect-export", "version": 1, "meetings": [{"held": "2026-01-01"}]}', "since"),
        ('{"format": "reflect-export", "version": 9}', "version"),
    ],
)
def test_malformed_from_file_names_the_file_and_prints_nothing(tmp_path: Path, db_path: Path, content, reason):
    good = _export(tmp_path / "good.json", [make("g1", now() - timedelta(days=1))])
    bad = tmp_path / "broken-peer.json"
    bad.write_text(content.replace("%s", (now() - timedelta(days=1)).isoformat()), encoding="utf-8")
    result = run("review", "--format", "json", "--from", str(good), "--from", str(bad))
    assert result.exit_code == 2
    assert str(bad) in result.stderr and reason in result.stderr
    assert result.stdout == ""
    assert not db_path.exists()


def test_missing_from_file_is_an_error_naming_it(tmp_path: Path):
    result = run("review", "--format", "text", "--from", str(tmp_path / "nope.json"))
    assert result.exit_code != 0 and "nope.json" in result.stderr and result.stdout == ""


def test_meeting_next_with_and_without_a_schedule(journal: Journal):
    result = run("meeting", "next")
    assert result.exit_code == 1 and "no supervision schedule" in result.stderr and result.stdout == ""
    settings = journal.settings()
    settings.schedule = "every 2 weeks on tuesday at 10:00"
    journal.save_settings(settings)
    result = run("meeting", "next")
    assert result.exit_code == 0, result.stderr
    when = datetime.fromisoformat(result.stdout.strip())
    assert when > now() and when.weekday() == 1 and (when.hour, when.minute) == (10, 0)
    doc = json.loads(run("review", "--format", "json", "--peer", "alex").stdout)
    assert datetime.fromisoformat(doc["agendas"][0]["next_meeting"]) == when


def test_meeting_list_text_and_json(journal: Journal):
    result = run("meeting", "list")
    assert result.exit_code == 0 and result.stdout == "" and "no meetings" in result.stderr
    t = now()
    m = Meeting(held=t, since=t - timedelta(days=14), until=t, peer="alex", notes="ok",
                actions=[ActionItem("one"), ActionItem("two", done=True)])  # fmt: skip
    journal.save_meeting(m)
    result = run("meeting", "list")
    assert m.id[:8] in result.stdout and "2 action(s), 1 open" in result.stdout
    listed = json.loads(run("meeting", "list", "--json").stdout)
    assert [x["id"] for x in listed] == [m.id] and listed[0]["notes"] == "ok"
    assert json.loads(run("meeting", "list", "--json", "--peer", "sam").stdout) == []


def test_format_never_imports_textual_in_a_real_process(tmp_path: Path, journal: Journal):
    journal.save(make("proc-1", now() - timedelta(days=1), flags=Flags(crisis=True), crisis=Crisis(["warm-handoff"])))
    env = dict(os.environ)
    code = (
        "import sys\n"
        "from reflect.cli import main\n"
        "try:\n    main(['review', '--format', 'json'])\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('textual' in sys.modules, 'tinydb.table' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("False")
    assert "proc-1" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "reflect", "review", "--format", "markdown"],
        capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Warm handoff made" in proc.stdout and proc.stderr == ""


def test_recorded_line_says_who_and_how_many_actions() -> None:
    from datetime import datetime, timezone

    from reflect.cli.review import recorded_line
    from reflect.domain.model import ActionItem, Meeting

    held = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)
    m = Meeting(held=held, since=held, until=held, peer="alex", actions=[ActionItem(text="a"), ActionItem(text="b")])
    line = recorded_line(m)
    assert line.startswith("meeting with alex recorded (") and line.endswith("): 2 action items")


def test_db_after_review_and_meeting_subcommands(tmp_path: Path) -> None:
    """Every command takes --db after its name, the review commands included."""
    other = tmp_path / "other.json"
    held = now() - timedelta(days=3)
    Journal(other).save_meeting(Meeting(held=held, since=held - timedelta(days=14), until=held, peer="alex"))
    listed = run("meeting", "list", "--db", str(other), "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [m["peer"] for m in json.loads(listed.stdout)] == ["alex"]
    printed = run("review", "--db", str(other), "--format", "json", "--peer", "alex")
    assert printed.exit_code == 0, printed.stderr
    assert json.loads(printed.stdout)["agendas"][0]["peer"] == "alex"


def test_a_mistyped_peer_is_refused_before_the_review_screen_opens(journal: Journal, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "reflect"
    env = dict(os.environ, REFLECT_DB=str(journal.path))
    proc = subprocess.run(
        [str(script), "review", "--peer", "alxe"], capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL
    )
    assert proc.returncode == 2, proc.stderr
    assert "alxe" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
