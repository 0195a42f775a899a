"""`reflect import` and `reflect export` through click's CliRunner, on a real journal in tmp_path.

Every bad input must give one line on stderr naming the problem, a non-zero exit, nothing
on stdout, and a journal byte-for-byte as it was (every file under tmp_path is hashed).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reflect.cli import main
from cli_helpers import one_line_error, run, snapshot
from reflect.domain.formats import schema_path
from reflect.domain.model import ActionItem, Crisis, Entry, Flags, Listen, Meeting, Story
from reflect.store import Journal

UTC = timezone.utc


# --- helpers ---------------------------------------------------------------------------






def entry(n: int, **kw) -> Entry:
    base = dict(
        id=f"{n:08x}-0000-4000-8000-000000000000",
        occurred=datetime(2024, 3, n, 10, 0, tzinfo=UTC),
        person=f"P{n}",
        listen=Listen(story=f"story number {n}"),
    )
    base.update(kw)
    return Entry(**base)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "inputs"
    d.mkdir()
    return d


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    """A journal with three shared entries, one private, a story and a meeting."""
    j = Journal()
    for n in (1, 2, 3):
        j.save(entry(n, tags=["housing"] if n == 2 else []))
    j.save(entry(4, visibility="private", person="PR", listen=Listen(story="private matter")))
    j.save_story(Story(title="First job", id="story-1", text="how I got back to work",
                       created=datetime(2023, 1, 1, tzinfo=UTC)))  # fmt: skip
    j.save_meeting(
        Meeting(
            id="meeting-1",
            held=datetime(2024, 3, 15, 9, tzinfo=UTC),
            since=datetime(2024, 3, 1, tzinfo=UTC),
            until=datetime(2024, 3, 15, tzinfo=UTC),
            supervisor="Lee",
            actions=[ActionItem(text="read the guide", id="action-1")],
        )
    )
    return j




def good(n: int, **kw) -> dict:
    d = {"id": f"{n:08x}-1111-4000-8000-000000000000", "occurred": f"2024-04-{n:02d}T09:30:00+00:00"}
    d.update(kw)
    return d


# --- import: the shapes ------------------------------------------------------------------


def test_import_each_shape_and_defaults(tmp_path: Path, inputs: Path) -> None:
    doc = {"format": "reflect-export", "version": 1, "exported_at": "2024-05-01T00:00:00Z",
           "entries": [good(1)], "stories": [{"id": "s-9", "title": "Hope"}], "meetings": []}  # fmt: skip
    shapes = {
        "doc.json": json.dumps(doc),
        "array.json": json.dumps([good(2), good(3)]),
        "one.json": json.dumps(good(4, setting="phone")),
        "lines.jsonl": json.dumps(good(5)) + "\n" + json.dumps(good(6)) + "\n",
    }
    for name, text in shapes.items():
        (inputs / name).write_text(text, encoding="utf-8")
        result = run("import", str(inputs / name))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        assert "imported" in result.stderr
    j = Journal()
    assert j.count() == 6
    e4 = j.get(good(4)["id"])
    assert e4.setting == "phone" and e4.flags == Flags() and e4.visibility == "shared"
    assert e4.peer  # an empty peer gets the default from settings / the OS user
    assert [s.title for s in j.stories()] == ["Hope"]


def test_import_uses_the_configured_peer_for_entries_without_one(inputs: Path) -> None:
    assert run("config", "peer", "Robin").exit_code == 0
    (inputs / "a.json").write_text(json.dumps(good(1)), encoding="utf-8")
    assert run("import", str(inputs / "a.json")).exit_code == 0
    assert Journal().get(good(1)["id"]).peer == "Robin"


def test_import_from_stdin_counts_on_stderr() -> None:
    result = run("import", "-", input=json.dumps([good(1), good(2)]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "2 added" in result.stderr
    assert Journal().count() == 2


def test_reimport_is_a_no_op_byte_for_byte(tmp_path: Path) -> None:
    text = json.dumps([good(1), good(2)])
    assert run("import", "-", input=text).exit_code == 0
    before = snapshot(tmp_path)
    result = run("import", "-", input=text)
    assert result.exit_code == 0
    assert "0 added" in result.stderr and "2 unchanged" in result.stderr
    assert snapshot(tmp_path) == before


def test_conflict_is_refused_then_replace_overwrites(tmp_path: Path, journal: Journal) -> None:
    changed = entry(1).to_dict() | {"person": "Changed"}
    before = snapshot(tmp_path)
    result = run("import", "-", input=json.dumps(changed))
    one_line_error(result, "already in the journal", entry(1).id, "--replace", code=1)
    assert snapshot(tmp_path) == before

    result = run("import", "--replace", "-", input=json.dumps(changed))
    assert result.exit_code == 0, result.stderr
    assert "1 replaced" in result.stderr
    assert Journal().get(entry(1).id).person == "Changed"


def test_dry_run_reports_and_writes_nothing(tmp_path: Path, journal: Journal) -> None:
    before = snapshot(tmp_path)
    text = json.dumps([good(1), entry(2).to_dict() | {"person": "X"}, Journal().get(entry(3).id).to_dict()])
    result = run("import", "--dry-run", "--replace", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "dry run" in result.stderr
    assert "1 added" in result.stderr and "1 replaced" in result.stderr and "1 unchanged" in result.stderr
    assert snapshot(tmp_path) == before
    # Without --replace, a dry run says the real run would be refused, and exits 1.
    result = run("import", "--dry-run", "-", input=text)
    assert result.exit_code == 1
    assert "would be refused" in result.stderr and "1 in conflict" in result.stderr
    assert snapshot(tmp_path) == before


def test_privacy_warnings_name_entry_field_and_kind_never_the_value() -> None:
    phone, name = "555-123-4567", "Jane Smith"
    rec = good(1, person=name, listen={"story": f"call her on {phone}", "matters": "", "themes": []})
    result = run("import", "-", input=json.dumps([rec, good(2)]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert rec["id"] in warnings[0]
    assert "listen.story looks like a phone number" in warnings[0]
    assert "person looks like a full name" in warnings[0]
    assert phone not in result.stderr and name not in result.stderr
    assert Journal().get(rec["id"]).person == name  # warnings never block


def test_no_privacy_warning_for_an_unchanged_reimport() -> None:
    rec = good(1, listen={"story": "mail me at x@example.com"})
    assert "warning:" in run("import", "-", input=json.dumps(rec)).stderr
    assert "warning:" not in run("import", "-", input=json.dumps(rec)).stderr


# --- import: each kind of bad input ---------------------------------------------------------

BAD_INPUTS = [
    # name, input text, what the one line must say
    ("malformed date", json.dumps([good(1), good(2, occurred="next blursday")]),
     ["entry 2", "occurred", "not an ISO 8601 date-time"]),
    ("broken JSON", '[{"occurred": "2024-01-01T00:00:00Z",]', ["not valid JSON", "line 1"]),
    ("broken JSON line", json.dumps(good(1)) + "\n{oops\n", ["line 2", "not valid JSON"]),
    ("unknown field", json.dumps([good(1), good(2, mood="fine")]), ["entry 2", "mood", "unknown field"]),
    ("wrong type", json.dumps(good(1, minutes="ten")), ["minutes", "whole number", "got a string"]),
    ("wrong nested type", json.dumps(good(1, flags={"crisis": "yes"})), ["flags.crisis", "true or false"]),
    ("bad enum", json.dumps(good(1, setting="couch")), ["setting", "not one of one-to-one, group"]),
    ("bad competency", json.dumps(good(1, competencies=["XIII"])), ["competencies[0]", "not a SAMHSA category numeral"]),
    ("missing occurred", json.dumps({"person": "AB"}), ["occurred", "required"]),
    ("duplicate id", json.dumps([good(1), good(1)]), ["entry 2", "appears twice"]),
    ("not a reflect export", json.dumps({"format": "other", "version": 1, "entries": []}), ["format"]),
    ("newer export", json.dumps({"format": "reflect-export", "version": 9, "entries": []}), ["version 9", "upgrade"]),
    ("empty", "   \n", ["empty input"]),
    ("a number", "42", ["expected an export document"]),
]  # fmt: skip


@pytest.mark.parametrize("name,text,needles", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_line_and_leaves_the_journal_as_it_was(
    tmp_path: Path, inputs: Path, journal: Journal, name: str, text: str, needles: list[str]
) -> None:
    before = snapshot(tmp_path)
    path = inputs / "bad.json"
    path.write_text(text, encoding="utf-8")
    line = one_line_error(run("import", str(path)), *needles, code=2)
    assert line.startswith(f"reflect: {path}")  # names the source
    assert snapshot(tmp_path) == before
    # the same through stdin, named <stdin>
    line = one_line_error(run("import", "-", input=text), *needles, code=2)
    assert "<stdin>" in line
    assert snapshot(tmp_path) == before


def test_one_bad_record_rejects_the_whole_input(tmp_path: Path, journal: Journal) -> None:
    before = snapshot(tmp_path)
    result = run("import", "-", input=json.dumps([good(1), good(2), good(3, setting="sofa")]))
    one_line_error(result, "entry 3", code=2)
    assert snapshot(tmp_path) == before
    assert not Journal().exists(good(1)["id"])


def test_bad_input_into_a_journal_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    one_line_error(run("import", "-", input="{nope"), code=2)
    assert not (tmp_path / "journal.json").exists()
    assert not (tmp_path / "journal.json.d").exists()


def test_missing_file_is_named(tmp_path: Path, journal: Journal) -> None:
    before = snapshot(tmp_path)
    missing = tmp_path / "inputs" / "nowhere.json"
    one_line_error(run("import", str(missing)), str(missing), "no such file", code=2)
    assert snapshot(tmp_path) == before


def test_a_folder_and_non_utf8_are_refused(tmp_path: Path, inputs: Path, journal: Journal) -> None:
    before = snapshot(tmp_path)
    one_line_error(run("import", str(inputs)), "is a folder", code=2)
    (inputs / "latin1.json").write_bytes('{"occurred": "2024-01-01T00:00:00Z", "person": "Jos\xe9"}'.encode("latin-1"))
    one_line_error(run("import", str(inputs / "latin1.json")), "not UTF-8", code=2)
    assert snapshot(tmp_path) == before


# --- export ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_export_json_validates_against_the_schema(journal: Journal, validator) -> None:
    for args in ([], ["--include-private"], ["--since", "2024-03-02"], ["--id", entry(4).id[:8]]):
        result = run("export", *args)
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        validator.validate(doc)
    full = json.loads(run("export", "--include-private").stdout)
    assert len(full["entries"]) == 4
    assert [s["id"] for s in full["stories"]] == ["story-1"]
    assert [m["id"] for m in full["meetings"]] == ["meeting-1"]


def test_export_leaves_private_entries_out_and_says_how_many(journal: Journal) -> None:
    result = run("export")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)  # stdout is pure JSON even with the note on stderr
    ids = [e["id"] for e in doc["entries"]]
    assert entry(4).id not in ids and len(ids) == 3
    assert "left out 1 private entry" in result.stderr
    result = run("export", "--include-private")
    assert entry(4).id in [e["id"] for e in json.loads(result.stdout)["entries"]]
    assert "left out" not in result.stderr


def test_export_by_id_includes_a_private_entry_asked_for_by_name(journal: Journal) -> None:
    result = run("export", "--format", "jsonl", "--id", entry(4).id, "--id", entry(1).id[:8])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [entry(1).id, entry(4).id]  # in time order
    assert rows[1]["visibility"] == "private"
    assert "left out" not in result.stderr


def test_export_window_filters_entries_and_meetings(journal: Journal) -> None:
    result = run("export", "--since", "2024-03-02", "--until", "2024-03-02")
    doc = json.loads(result.stdout)
    assert [e["id"] for e in doc["entries"]] == [entry(2).id]
    assert doc["meetings"] == []


def test_export_formats(journal: Journal) -> None:
    lines = run("export", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["id"] for line in lines)
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", "--include-private").stdout)))
    assert len(rows) == 4 and rows[1]["tags"] == "housing"
    md = run("export", "--format", "markdown").stdout
    assert md.startswith("# Journal") and "story number 2" in md and "private matter" not in md


def test_export_to_a_file_is_owner_only_and_replaced_whole(tmp_path: Path, journal: Journal, validator) -> None:
    out = tmp_path / "inputs" / "export.json"
    out.parent.mkdir()
    out.write_text("old contents", encoding="utf-8")
    os.chmod(out, 0o644)
    result = run("export", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote 3 entries" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    validator.validate(json.loads(out.read_text(encoding="utf-8")))
    assert [p.name for p in out.parent.iterdir()] == ["export.json"]  # no temp file left


def test_export_to_a_missing_folder_is_one_line(tmp_path: Path, journal: Journal) -> None:
    one_line_error(run("export", "-o", str(tmp_path / "no" / "such" / "x.json")), "does not exist", code=2)


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_export_unreadable_date_quotes_it(tmp_path: Path, journal: Journal, option: str) -> None:
    before = snapshot(tmp_path)
    one_line_error(run("export", option, "the blue moon"), option, "the blue moon", code=2)
    assert snapshot(tmp_path) == before


def test_export_id_not_found_and_with_window(journal: Journal) -> None:
    one_line_error(run("export", "--id", "ffffffffff"), "ffffffffff", code=1)
    one_line_error(run("export", "--id", entry(1).id, "--since", "2024-01-01"), "--id", code=2)


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_then_import_into_an_empty_journal_gives_identical_entries(
    tmp_path: Path, journal: Journal, fmt: str
) -> None:
    crisis = entry(
        9,
        flags=Flags(crisis=True, discuss=True),
        crisis=Crisis(actions=["crisis-line"], supervisor_notified_at=datetime(2024, 3, 9, 12, tzinfo=UTC)),
        question="Did I do enough?",
        listen=Listen(story="ünïcödé \u2028 line", themes=["loss"]),
    )
    journal.save(crisis)
    exported = run("export", "--format", fmt, "--include-private")
    assert exported.exit_code == 0, exported.stderr
    other = tmp_path / "other" / "journal.json"
    result = run("--db", str(other), "import", "-", input=exported.stdout.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    mine = list(journal.entry_dicts())
    theirs = list(Journal(other).entry_dicts())
    assert len(mine) == 5
    assert theirs == mine
    if fmt == "json":
        assert [s.to_dict() for s in Journal(other).stories()] == [s.to_dict() for s in journal.stories()]
        assert [m.to_dict() for m in Journal(other).meetings()] == [m.to_dict() for m in journal.meetings()]
    # and importing it back into the journal it came from changes nothing
    before = snapshot(tmp_path)
    assert "0 added" in run("import", "-", input=exported.stdout.encode("utf-8")).stderr
    assert snapshot(tmp_path) == before


def test_export_carries_each_meetings_agenda_as_it_was(tmp_path):
    """Agendas are stored apart from meetings (schema 2); the export document still holds them."""
    held = datetime(2026, 11, 10, 10, tzinfo=timezone.utc)
    agenda = {"peer": "sam", "sections": [{"key": "safety", "title": "Safety first", "items": []}]}
    Journal().save_meeting(Meeting(held=held, since=held.replace(day=1), until=held, peer="sam", agenda=agenda))
    result = CliRunner().invoke(main, ["export"])
    assert result.exit_code == 0, result.stderr
    (meeting,) = json.loads(result.stdout)["meetings"]
    assert meeting["agenda"] == agenda
