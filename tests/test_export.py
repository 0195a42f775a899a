"""The export formats and import parsing: shapes, the schema, round trips, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta, timezone

import jsonschema
import pytest

from reflect.domain import cycle
from reflect.domain.formats import (
    CSV_COLUMNS,
    ImportDoc,
    ImportFormatError,
    parse_import,
    schema_path,
    write_csv,
    write_json,
    write_jsonl,
    write_markdown,
)
from reflect.domain.model import MAX_MINUTES, MI, ActionItem, Crisis, Entry, Meeting, Story, ValidationError

UTC = timezone.utc
PLUS_0530 = timezone(timedelta(hours=5, minutes=30))
EXPORTED_AT = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def _format_checker() -> jsonschema.FormatChecker:
    """jsonschema checks "date-time" only when rfc3339-validator is installed; register a
    strict RFC 3339 check so the schema test never passes by skipping the format."""
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            return False
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    return checker


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=_format_checker())


def full_entry() -> Entry:
    """Every field set, crisis and mi present, unicode and newlines in the text."""
    e = Entry(
        id="e-full",
        peer="Søren",
        occurred=datetime(2024, 5, 1, 14, 30, tzinfo=PLUS_0530),
        recorded=datetime(2024, 5, 1, 16, 0, 5, 123456, tzinfo=PLUS_0530),
        updated=datetime(2024, 5, 2, 8, 0, tzinfo=UTC),
        person="J. 🌱",
        setting="phone",
        minutes=45,
        competencies=["III", "VIII", "XII"],
        mi=MI(open_questions=3, affirmations=1, reflections=4, summaries=1, change_talk=["desire", "need"]),
        question="How do I hold the boundary\nwhen they call after hours?",
        crisis=Crisis(
            actions=["crisis-line", "warm-handoff", "supervisor-notified"],
            supervisor_notified_at=datetime(2024, 5, 1, 15, 10, tzinfo=PLUS_0530),
            notes="Called 988 together; \"warm\" handoff.\nStayed until they connected.",
        ),
        visibility="shared",
        tags=["housing", "nuit blanche", "日本語"],
    )
    e.listen.story = "Lost the flat.\n\nHasn't slept — says \"everything's falling apart\".\u2028Next line"
    e.listen.matters = "Keeping the dog"
    e.listen.themes = ["housing", "sleep"]
    e.reflect.experience = "My own eviction in 2015"
    e.reflect.feelings = "tight chest"
    e.reflect.impact = "# a line that looks like a heading"
    e.select.decision = "share"
    e.select.story_id = "s-1"
    e.select.part = "How I found the tenants' union"
    e.select.purposes = ["instill hope", "connect to a resource or community"]
    e.select.checks.their_need = True
    e.select.checks.asked_permission = True
    e.select.checks.brief = False
    e.select.checks.settled = True
    e.share.how = "asked first, kept it short, asked again"
    e.share.response = "engaged"
    e.share.next_steps = "Call the union Monday"
    e.share.differently = "Less detail"
    e.flags.crisis = True
    e.flags.discuss = True
    return e


def plain_entry(i: int = 0, **kw) -> Entry:
    """Defaults everywhere: no crisis, no mi."""
    return Entry(id=f"e-{i}", occurred=datetime(2024, 5, 3, 10, 0, tzinfo=UTC) + timedelta(hours=i), **kw)


def private_entry() -> Entry:
    e = plain_entry(99, person="K", visibility="private")
    e.reflect.feelings = "raw today"
    return e


def stories() -> list[Story]:
    return [
        Story(id="s-1", title="The tenants' union", text="…", themes=["housing"],
              created=datetime(2023, 1, 1, tzinfo=UTC)),
        Story(id="s-2", title="Retired one", created=datetime(2022, 1, 1, tzinfo=UTC), retired=True),
    ]  # fmt: skip


def meetings() -> list[Meeting]:
    return [
        Meeting(
            id="m-1", peer="Søren", supervisor="Ada",
            held=datetime(2024, 5, 10, 10, tzinfo=UTC),
            since=datetime(2024, 4, 26, tzinfo=UTC), until=datetime(2024, 5, 10, tzinfo=UTC),
            notes="Talked about after-hours calls.",
            actions=[ActionItem(id="a-1", text="Draft a boundary script", owner="Søren", due=date(2024, 5, 24)),
                     ActionItem(id="a-2", text="Read the policy", done=True)],
            discussed=["e-full"],
            agenda={"sections": [{"title": "Safety", "items": ["e-full"]}]},
        ),
        Meeting(
            id="m-2", held=datetime(2024, 5, 24, 10, tzinfo=UTC),
            since=datetime(2024, 5, 10, tzinfo=UTC), until=datetime(2024, 5, 24, tzinfo=UTC),
        ),
    ]  # fmt: skip


def entries() -> list[Entry]:
    return [full_entry(), plain_entry(1), private_entry()]


def export_json(ents, sts=(), mts=()) -> str:
    out = io.StringIO()
    write_json(out, ents, sts, mts, exported_at=EXPORTED_AT)
    return out.getvalue()


def raises(text: str, *, source: str = "in.json") -> str:
    with pytest.raises(ImportFormatError) as info:
        parse_import(text, source=source)
    message = str(info.value)
    assert "\n" not in message, message
    assert message.startswith(f"{source}: "), message
    return message


# --- JSON --------------------------------------------------------------------------


def test_json_document_shape():
    text = export_json(entries(), stories(), meetings())
    doc = json.loads(text)
    assert list(doc) == ["format", "version", "exported_at", "entries", "stories", "meetings"]
    assert doc["format"] == "reflect-export" and doc["version"] == 1
    assert doc["exported_at"] == "2024-06-01T09:00:00+00:00"
    assert doc["entries"] == [e.to_dict() for e in entries()]
    assert doc["stories"] == [s.to_dict() for s in stories()]
    assert doc["meetings"] == [m.to_dict() for m in meetings()]
    # One entry per line, the first on line 6: import errors can point at the line.
    lines = text.split("\n")
    assert json.loads(lines[5].rstrip(",")) == full_entry().to_dict()
    assert "\\u00f8" not in text  # written as UTF-8, not escaped
    assert "Søren" in text and "🌱" in text


def test_json_empty_document():
    text = export_json([])
    assert json.loads(text) == {
        "format": "reflect-export", "version": 1, "exported_at": "2024-06-01T09:00:00+00:00",
        "entries": [], "stories": [], "meetings": [],
    }  # fmt: skip


def test_json_accepts_dicts_and_entries_alike():
    ents = entries()
    assert export_json([e.to_dict() for e in ents]) == export_json(ents)
    mixed = [ents[0], ents[1].to_dict(), ents[2]]
    assert export_json(mixed) == export_json(ents)


def test_json_writes_incrementally_in_chunks():
    class Counting(io.StringIO):
        writes = 0

        def write(self, s):
            Counting.writes += 1
            return super().write(s)

    out = Counting()
    write_json(out, (plain_entry(i) for i in range(1200)), exported_at=EXPORTED_AT)
    assert Counting.writes > 3  # not one giant string
    assert len(json.loads(out.getvalue())["entries"]) == 1200


def test_json_validates_against_schema(validator):
    doc = json.loads(export_json(entries(), stories(), meetings()))
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, errors[0]


def test_naive_exported_at_gets_an_offset(validator):
    out = io.StringIO()
    write_json(out, [plain_entry()], exported_at=datetime(2024, 6, 1, 9, 0))
    doc = json.loads(out.getvalue())
    validator.validate(doc)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["entries"][0].__setitem__("setting", "cafe"),
        lambda d: d["entries"][0].__setitem__("extra", 1),
        lambda d: d["entries"][0]["select"]["checks"].__setitem__("brief", "yes"),
        lambda d: d["entries"][0]["select"]["checks"].__setitem__("other", True),
        lambda d: d["entries"][0].__setitem__("competencies", ["XIII"]),
        lambda d: d["entries"][0]["crisis"].__setitem__("actions", ["prayed"]),
        lambda d: d["entries"][0].__setitem__("occurred", "2024-05-01 14:30"),
        lambda d: d["entries"][0].__setitem__("recorded", "2024-05-01T14:30:00"),  # no offset
        lambda d: d["entries"][0]["mi"].__setitem__("reflections", -1),
        lambda d: d["entries"][0].__delitem__("tags"),
        lambda d: d["stories"][0].__setitem__("retired", "no"),
        lambda d: d["meetings"][0].__setitem__("agenda", []),
        lambda d: d["meetings"][0]["actions"][0].__setitem__("due", "24/05/2024"),
        lambda d: d.__setitem__("version", 2),
        lambda d: d.__setitem__("extra", True),
    ],
)
def test_schema_is_precise(validator, mutate):
    doc = json.loads(export_json(entries(), stories(), meetings()))
    mutate(doc)
    assert not validator.is_valid(doc)


def test_schema_enums_match_cycle():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    entry = schema["$defs"]["entry"]["properties"]
    assert entry["setting"]["enum"] == list(cycle.SETTINGS)
    assert entry["visibility"]["enum"] == list(cycle.VISIBILITY)
    assert entry["select"]["properties"]["decision"]["enum"] == list(cycle.DECISIONS)
    assert entry["share"]["properties"]["response"]["enum"] == list(cycle.RESPONSES)
    assert entry["competencies"]["items"]["enum"] == list(cycle.COMPETENCY_KEYS)
    crisis = entry["crisis"]["oneOf"][1]["properties"]
    assert crisis["actions"]["items"]["enum"] == list(cycle.CRISIS_ACTION_KEYS)
    assert set(entry) == set(Entry.FIELDS)
    assert set(entry["select"]["properties"]["checks"]["properties"]) == set(cycle.CHECK_KEYS)
    assert set(entry["flags"]["properties"]) == set(cycle.FLAGS)


def test_json_round_trip():
    text = export_json(entries(), stories(), meetings())
    doc = parse_import(text, source="x.json")
    assert isinstance(doc, ImportDoc) and doc.kind == "document"
    assert [e.to_dict() for e in doc.entries] == [e.to_dict() for e in entries()]
    assert [s.to_dict() for s in doc.stories] == [s.to_dict() for s in stories()]
    assert [m.to_dict() for m in doc.meetings] == [m.to_dict() for m in meetings()]
    assert doc.exported_at == EXPORTED_AT
    # crisis and mi present on one, absent on another
    assert doc.entries[0].crisis is not None and doc.entries[0].mi is not None
    assert doc.entries[1].crisis is None and doc.entries[1].mi is None
    assert "\u2028" in doc.entries[0].listen.story


def test_large_json_round_trip(validator):
    ents = []
    for i in range(2000):
        e = plain_entry(i, person=f"P{i}", tags=[f"t{i % 7}"])
        e.listen.story = f"Encounter {i}\nwith a second line, ünïcode and \"quotes\""
        if i % 3 == 0:
            e.mi = MI(open_questions=i % 5)
        if i % 11 == 0:
            e.crisis = Crisis(actions=["warm-handoff"])
            e.flags.crisis = True
        ents.append(e)
    text = export_json(ents)
    validator.validate(json.loads(text))
    doc = parse_import(text, source="big.json")
    assert len(doc.entries) == 2000
    assert [e.to_dict() for e in doc.entries] == [e.to_dict() for e in ents]


# --- JSON Lines ------------------------------------------------------------------------


def test_jsonl_shape_and_round_trip():
    out = io.StringIO()
    write_jsonl(out, entries())
    text = out.getvalue()
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert len(lines) == 3  # U+2028 in the text does not split a record
    assert [json.loads(line) for line in lines] == [e.to_dict() for e in entries()]
    doc = parse_import(text, source="x.jsonl")
    assert doc.kind == "jsonl"
    assert [e.to_dict() for e in doc.entries] == [e.to_dict() for e in entries()]


def test_jsonl_empty():
    out = io.StringIO()
    write_jsonl(out, [])
    assert out.getvalue() == ""


def test_jsonl_tolerates_blank_lines_and_crlf():
    a, b = (json.dumps(plain_entry(i).to_dict()) for i in (1, 2))
    doc = parse_import(f"{a}\r\n\r\n{b}\r\n", source="x.jsonl")
    assert [e.id for e in doc.entries] == ["e-1", "e-2"]


# --- CSV ----------------------------------------------------------------------------------


def read_csv(ents) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    write_csv(out, ents)
    out.seek(0)
    reader = csv.DictReader(out)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def test_csv_columns_are_fixed_and_documented():
    assert CSV_COLUMNS[:8] == ("id", "peer", "occurred", "recorded", "updated", "person", "setting", "minutes")
    assert "listen.story" in CSV_COLUMNS and "select.checks.brief" in CSV_COLUMNS
    assert CSV_COLUMNS[-4:] == ("visibility", "tags", "group.headcount", "group.theme")  # added fields go last
    assert len(set(CSV_COLUMNS)) == len(CSV_COLUMNS)
    assert read_csv([]) == []


def test_csv_rows():
    full, plain, private = read_csv(entries())
    assert full["id"] == "e-full"
    assert full["occurred"] == "2024-05-01T14:30:00+05:30"
    assert full["minutes"] == "45"
    assert full["listen.story"] == full_entry().listen.story  # newlines survive quoting
    assert full["listen.themes"] == "housing; sleep"
    assert full["select.purposes"] == "instill hope; connect to a resource or community"
    assert full["select.checks.their_need"] == "true"
    assert full["select.checks.brief"] == "false"
    assert full["select.checks.returned_focus"] == ""  # null
    assert full["competencies"] == "III; VIII; XII"
    assert full["mi.reflections"] == "4" and full["mi.change_talk"] == "desire; need"
    assert full["flags.crisis"] == "true" and full["flags.boundary"] == "false"
    assert full["crisis.actions"] == "crisis-line; warm-handoff; supervisor-notified"
    assert full["crisis.supervisor_notified_at"] == "2024-05-01T15:10:00+05:30"
    assert full["tags"] == "housing; nuit blanche; 日本語"
    # absent mi and crisis are empty cells, not zeros
    assert plain["mi.open_questions"] == "" and plain["crisis.actions"] == ""
    assert plain["minutes"] == "" and plain["select.story_id"] == ""
    assert private["visibility"] == "private"


def test_csv_accepts_dicts():
    out_a, out_b = io.StringIO(), io.StringIO()
    write_csv(out_a, entries())
    write_csv(out_b, [e.to_dict() for e in entries()])
    assert out_a.getvalue() == out_b.getvalue()


# --- Markdown ----------------------------------------------------------------------------


def markdown(ents, **kw) -> str:
    out = io.StringIO()
    write_markdown(out, ents, **kw)
    return out.getvalue()


def test_markdown_sections():
    text = markdown(entries(), stories=stories())
    assert text.startswith("# Journal\n")
    assert text.count("\n## ") == 3
    assert "## 2024-05-01 14:30 · J. 🌱 · phone" in text
    for step in ("### Listen", "### Reflect", "### Select", "### Share", "### Safety"):
        assert step in text
    assert "Flags: Crisis, Discuss in supervision" in text
    assert "**Story:** The tenants' union" in text  # the title, not s-1
    assert "Is it brief and focused on hope and what helped? no" in text
    assert "**How it landed:** engaged" in text
    assert "Warm handoff made" in text
    assert "Open questions 3" in text
    assert "How do I hold the boundary" in text
    assert "\n# a line that looks like a heading" not in text  # escaped, not a heading
    assert not text.endswith("\n\n")


def test_markdown_skips_empty_fields_and_marks_private():
    text = markdown([plain_entry(1), private_entry()], title="")
    assert text.startswith("## ")
    first, second = text[3:].split("\n## ")
    # an entry with nothing written has no step subsections at all
    assert "###" not in first
    assert "**" not in first
    assert "private" in second.splitlines()[0]
    assert "Private entry" in second
    assert "### Reflect" in second and "raw today" in second
    assert "### Listen" not in second


def test_markdown_story_id_without_stories():
    text = markdown([full_entry()])
    assert "**Story:** s-1" in text


def test_markdown_accepts_dicts():
    assert markdown([e.to_dict() for e in entries()]) == markdown(entries())


# --- import: accepted shapes ---------------------------------------------------------------


def test_import_array_and_single_entry():
    ents = entries()
    doc = parse_import(json.dumps([e.to_dict() for e in ents], indent=2))
    assert doc.kind == "array" and [e.id for e in doc.entries] == ["e-full", "e-1", "e-99"]
    doc = parse_import(json.dumps(ents[0].to_dict(), indent=2))
    assert doc.kind == "entry" and doc.entries[0].to_dict() == ents[0].to_dict()


def test_import_fills_defaults_and_default_peer():
    doc = parse_import('{"occurred": "2024-05-01T10:00:00+00:00"}', default_peer="sam")
    (e,) = doc.entries
    assert e.peer == "sam" and e.id  # a fresh id
    assert e.setting == "one-to-one" and e.select.decision == "undecided" and e.mi is None
    doc = parse_import('{"occurred": "2024-05-01T10:00:00+00:00", "peer": "kim"}', default_peer="sam")
    assert doc.entries[0].peer == "kim"


def test_import_document_without_stories_or_meetings():
    doc = parse_import('{"format": "reflect-export", "version": 1, "entries": []}')
    assert doc.entries == [] and doc.stories == [] and doc.meetings == []
    assert doc.exported_at is None


def test_import_strips_bom():
    doc = parse_import("\ufeff" + export_json([plain_entry()]))
    assert len(doc.entries) == 1


# --- import: bad input ---------------------------------------------------------------------


def test_broken_json():
    message = raises('{\n  "format": "reflect-export",\n  "version" 1\n}')
    assert message == "in.json: not valid JSON at line 3 column 13: Expecting ':' delimiter"


def test_broken_jsonl_line():
    good = json.dumps(plain_entry(1).to_dict())
    text = "\n".join([good, "", json.dumps(plain_entry(2).to_dict()), '{"id": "x" "occurred": 1}'])
    message = raises(text, source="data.jsonl")
    assert message == "data.jsonl: line 4: not valid JSON: Expecting ',' delimiter (column 12)"


def test_jsonl_bad_record_names_entry_and_line():
    lines = [json.dumps(plain_entry(i).to_dict()) for i in range(3)]
    bad = plain_entry(9).to_dict()
    bad["select"]["checks"]["brief"] = "yes"
    lines.insert(2, "")
    lines.append(json.dumps(bad))
    message = raises("\n".join(lines), source="data.jsonl")
    assert message == (
        "data.jsonl: entry 4 (line 5): select.checks.brief: expected true, false or null, got a string"
    )


def test_wrong_format_marker():
    text = export_json([plain_entry()]).replace('"reflect-export"', '"jrnl"')
    assert "format" in raises(text) and "'jrnl'" in raises(text)
    message = raises('{"version": 1, "entries": []}')
    assert 'no "format"' in message


def test_newer_version_refused():
    text = export_json([plain_entry()]).replace('"version": 1', '"version": 2')
    message = raises(text)
    assert "version 2" in message and "newer" in message and "upgrade reflect" in message


@pytest.mark.parametrize("version, reason", [("0", "version: 0"), ('"1"', "got a string"), ("null", "missing")])
def test_bad_version(version, reason):
    assert reason in raises('{"format": "reflect-export", "version": %s, "entries": []}' % version)


def test_unknown_document_field():
    text = export_json([plain_entry()]).replace('"version": 1,', '"version": 1,\n  "drafts": [],')
    assert raises(text) == (
        "in.json: unknown field 'drafts' in the export document "
        "(known: format, version, exported_at, entries, stories, meetings, worked, trainings, ratings, goals, packet)"
    )


def test_unknown_entry_field():
    bad = plain_entry(3).to_dict() | {"mood": "ok"}
    text = export_json([plain_entry(1), plain_entry(2), bad])
    assert raises(text) == "in.json: entry 3 (line 8): mood: unknown field"


def test_wrong_type_in_document_names_entry_and_line():
    bad = plain_entry(3).to_dict()
    bad["select"]["checks"]["brief"] = "yes"
    text = export_json([plain_entry(1), plain_entry(2), bad])
    assert raises(text, source="entries.json") == (
        "entries.json: entry 3 (line 8): select.checks.brief: expected true, false or null, got a string"
    )


def test_wrong_type_in_pretty_array_names_line():
    bad = plain_entry(2).to_dict()
    bad["minutes"] = "forty"
    text = json.dumps([plain_entry(1).to_dict(), bad], indent=2)
    line = text.split("\n").index("  {", 2) + 1
    message = raises(text)
    assert message.startswith(f"in.json: entry 2 (line {line}): minutes: ")
    assert "got a string" in message and "forty" not in message


def test_bad_enum():
    bad = plain_entry(1).to_dict()
    bad["setting"] = "cafe"
    message = raises(json.dumps([bad]))
    # The field and the kind of problem, never the refused value (it could identify someone).
    assert message.startswith("in.json: entry 1 (line 1): setting: not one of one-to-one, group") and "cafe" not in message
    bad = plain_entry(1).to_dict() | {"crisis": {"actions": ["prayed"]}}
    message = raises(json.dumps(bad))
    assert "crisis.actions[0]: not one of" in message and "prayed" not in message
    bad = plain_entry(1).to_dict() | {"competencies": ["XIII"]}
    message = raises(json.dumps(bad))
    assert message.endswith("competencies[0]: not a SAMHSA category numeral I..XII") and "XIII" not in message


def test_bad_date():
    bad = plain_entry(1).to_dict() | {"occurred": "2024-13-01T10:00:00+00:00"}
    message = raises(export_json([plain_entry(0), bad]))
    assert message == "in.json: entry 2 (line 7): occurred: not an ISO 8601 date-time"
    text = export_json([]).replace('"2024-06-01T09:00:00+00:00"', '"soon"')
    assert raises(text).startswith("in.json: exported_at: not an ISO 8601 date-time")


def test_missing_occurred():
    message = raises('[{"id": "a"}]')
    assert message == "in.json: entry 1 (line 1): occurred: required: when the encounter happened"


def test_duplicate_ids():
    text = export_json([plain_entry(1), plain_entry(2), plain_entry(1)])
    assert raises(text) == "in.json: entry 3 (line 8): id: 'e-1' appears twice in this input (first as entry 1)"
    jsonl = "\n".join(json.dumps(plain_entry(5).to_dict()) for _ in range(2))
    assert "entry 2 (line 2): id: 'e-5' appears twice" in raises(jsonl, source="x.jsonl")
    sts = stories()
    sts[1].id = "s-1"
    assert "story 2 (line " in raises(export_json([], sts))


def test_bad_story_and_meeting_positions():
    sts = [s.to_dict() for s in stories()]
    sts[1]["title"] = ""
    message = raises(export_json([plain_entry()], sts))
    assert message.startswith("in.json: story 2 (line 10): title: required")
    mts = [m.to_dict() for m in meetings()]
    mts[0]["agenda"] = ["not", "an", "object"]
    message = raises(export_json([], [], mts))
    assert message == "in.json: meeting 1 (line 8): agenda: expected an object or null, got a list"


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_input(text):
    assert raises(text, source="<stdin>") == "<stdin>: empty input: nothing to import"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("42", "got a number"),
        ('"hello"', "got a string"),
        ('{"format": "reflect-export", "version": 1, "entries": {}}', "entries: expected a list, got an object"),
        ("[1]", "entry 1 (line 1): expected an entry object, got a number"),
    ],
)
def test_wrong_shapes(text, reason):
    assert reason in raises(text)


def test_error_is_a_value_error_with_parts():
    with pytest.raises(ValueError) as info:
        parse_import("[1]", source="s.json")
    err = info.value
    assert isinstance(err, ImportFormatError)
    assert (err.source, err.position) == ("s.json", "entry 1 (line 1)")
    assert err.reason == "expected an entry object, got a number"


def test_schema_path_is_shipped():
    path = schema_path()
    assert path.name == "export.schema.json" and path.is_file()


def test_minutes_are_bounded_by_a_day_in_model_and_schema() -> None:
    base = {"occurred": "2026-11-01T10:00:00+00:00"}
    assert Entry.from_dict(dict(base, minutes=MAX_MINUTES)).minutes == MAX_MINUTES
    with pytest.raises(ValidationError, match="minutes"):
        Entry.from_dict(dict(base, minutes=MAX_MINUTES + 1))
    schema = json.loads(schema_path().read_text())
    entry = Entry.from_dict(dict(base, minutes=MAX_MINUTES)).to_dict()
    doc = {"format": "reflect-export", "version": 1, "exported_at": base["occurred"], "entries": [entry], "stories": [], "meetings": []}
    jsonschema.validate(doc, schema)
    doc["entries"][0]["minutes"] = MAX_MINUTES + 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_a_competency_numeral_with_a_trailing_newline_is_named_as_such() -> None:
    """The check is membership in cycle.COMPETENCY_KEYS, not a regex whose $ lets "I\\n" by."""
    with pytest.raises(ValidationError, match=r"competencies\[0\].*SAMHSA"):
        Entry.from_dict({"occurred": "2026-11-01T10:00:00+00:00", "competencies": ["I\n"]})


def test_a_summary_skips_a_field_of_spaces() -> None:
    e = Entry.from_dict({"occurred": "2026-11-01T10:00:00+00:00", "listen": {"story": "   ", "matters": "the job"}})
    assert e.summary() == "the job"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@A1", "\t=1", "\r=1"])
def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(text: str) -> None:
    """CSV injection (OWASP): such a cell is written as text, a single quote before it."""
    entry = full_entry()
    entry.listen.story = text
    out = io.StringIO()
    write_csv(out, [entry])
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["listen.story"] == "'" + text
