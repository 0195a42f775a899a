"""One declaration per field: what derives from it agrees with it, a new field is one
declaration (plus its migration), and the shipped JSON Schema matches the declarations."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any

import pytest

from reflect.domain import cycle, fields
from reflect.domain.fields import Form, record, spec_of, sub, text
from reflect.domain.formats import CSV_COLUMNS, MARKDOWN_LABELS, schema_path, write_csv, write_markdown
from reflect.domain.training import Certificate, Training
from reflect.domain.model import (
    MAX_MINUTES,
    ActionItem,
    Entry,
    Listen,
    Meeting,
    Story,
    ValidationError,
    entry_form,
    entry_labels,
    field_names,
    form_widgets,
)

from reflect.domain.growth import HIGH, LOW, Goal, Rating, parse_level  # noqa: E402

WHEN = datetime(2025, 3, 14, 15, 0, tzinfo=timezone.utc)


def full_entry() -> dict[str, Any]:
    """An entry with every field given a value that is not its default."""
    return {
        "id": "e1", "peer": "alex", "occurred": "2025-03-14T15:00:00+00:00",
        "recorded": "2025-03-14T16:00:00+00:00", "updated": "2025-03-14T17:00:00+00:00",
        "person": "J.", "setting": "group", "minutes": 30,
        "listen": {"story": "lost a job", "matters": "family", "themes": ["work", "hope"]},
        "reflect": {"experience": "mine", "feelings": "sad", "impact": "a little"},
        "select": {
            "decision": "share", "story_id": "s1", "part": "the part", "purposes": ["instill hope"],
            "checks": dict.fromkeys(cycle.CHECK_KEYS, True), "held_back_because": "not yet",
        },
        "share": {"how": "briefly", "response": "engaged", "next_steps": "call", "differently": "less"},
        "competencies": ["I", "III"],
        "mi": {"open_questions": 1, "affirmations": 2, "reflections": 3, "summaries": 4, "change_talk": ["desire"]},
        "flags": dict.fromkeys(cycle.FLAGS, True),
        "question": "was it too long?",
        "crisis": {"actions": ["warm-handoff"], "supervisor_notified_at": "2025-03-14T15:30:00+00:00", "notes": "ok"},
        "visibility": "private", "tags": ["t1"], "group": {"headcount": 8, "theme": "holidays"},
    }  # fmt: skip


def dotted_leaves(d: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for k, v in d.items():
        out += dotted_leaves(v, f"{prefix}{k}.") if isinstance(v, dict) else [f"{prefix}{k}"]
    return out


# --- (a) what derives from the declaration agrees with it ----------------------------------


def test_csv_columns_are_the_serialized_entry_flattened():
    entry = Entry.from_dict(full_entry())
    assert CSV_COLUMNS == fields.csv_columns(Entry)
    assert list(CSV_COLUMNS) == dotted_leaves(entry.to_dict())
    assert tuple(Entry.FIELDS) == tuple(entry.to_dict())


def test_full_entry_round_trips_and_every_value_reaches_csv():
    data = full_entry()
    entry = Entry.from_dict(data)
    assert entry.to_dict() == data
    out = io.StringIO()
    write_csv(out, [entry])
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert all(row[c] != "" for c in CSV_COLUMNS), [c for c in CSV_COLUMNS if row[c] == ""]


def test_markdown_labels_come_from_the_declaration_and_are_written():
    assert MARKDOWN_LABELS == fields.labels(Entry)
    out = io.StringIO()
    write_markdown(out, [Entry.from_dict(full_entry())])
    md = out.getvalue()
    for path in fields.free_text(Entry):
        if path not in ("person", "tags"):  # the heading and the facts list carry these
            assert f"**{MARKDOWN_LABELS[path]}:**" in md, path
    for k in cycle.CHECK_KEYS:
        assert f"- {MARKDOWN_LABELS[f'select.checks.{k}']} yes" in md
    for step in ("listen", "reflect", "select", "share", "crisis", "mi"):
        assert f"### {MARKDOWN_LABELS[step]}" in md


def test_entry_view_labels_read_differently_only_where_declared():
    view = entry_labels()
    assert view["reflect.feelings"] == "What it stirred" and MARKDOWN_LABELS["reflect.feelings"] == "My feelings"
    assert view["listen.story"] == MARKDOWN_LABELS["listen.story"] == "What happened"
    assert set(view) == set(MARKDOWN_LABELS)


def test_form_map_pages_and_fields_follow_the_declaration():
    form = entry_form()
    assert tuple(form) == ("context", *cycle.STEP_KEYS, "wrapup")
    leaves = dict(fields.leaves(Entry))
    items = [i for page in form.values() for i in page]
    assert all(i.path in leaves for i in items)
    assert len({i.id for i in items}) == len(items), "widget ids are unique"
    assert [i.path for i in form["listen"]] == ["listen.story", "listen.matters", "listen.themes"]
    assert [i.id for i in form["select"] if i.widget == fields.TRISTATE_W] == [f"check-{k}" for k in cycle.CHECK_KEYS]
    assert [i.label for i in form["select"] if i.widget == fields.TRISTATE_W] == [q for _, q in cycle.CHECKS]
    checkboxes = [i for i in form["wrapup"] if i.widget == fields.CHECKBOX]
    assert [i.id for i in checkboxes] == [f"flag-{k}" for k in cycle.FLAGS]
    assert [i.label for i in checkboxes] == [cycle.FLAG_LABELS[k] for k in cycle.FLAGS]
    by_path = {i.path: i for i in items}
    assert by_path["setting"].choices == cycle.SETTINGS and by_path["share.response"].choices == cycle.RESPONSES
    assert by_path["occurred"].id == "when" and by_path["mi.open_questions"].id == "mi-open_questions"
    # Every free text a person types is on the form, except the crisis notes (their own modal).
    assert set(fields.free_text(Entry)) - set(by_path) == {"crisis.notes"}


def test_free_text_declarations_drive_search_and_the_privacy_names():
    entry = Entry.from_dict(full_entry())
    found = {k.split("[", 1)[0] for k in entry.text_fields()}
    assert found == set(fields.free_text(Entry))
    assert set(field_names()) == found


def test_the_encounter_screen_tables_match_the_form_map():
    """The screen's tables are derived from the form map (steps.py); they stay equal to it."""
    from reflect.screens import steps

    assert steps.FIELD_LABELS == field_names()
    widgets = form_widgets()
    assert steps.FIELD_WIDGETS == {p: widgets[p] for p in fields.free_text(Entry) if p in widgets}
    assert steps.PAGES == tuple(p for p in entry_form() if p != "context")


def test_flags_are_declared_once_in_cycle():
    assert cycle.FLAGS == tuple(f.key for f in cycle.FLAG_DECLS)
    assert tuple(k for k, _, _ in cycle.MARKS) == (*cycle.FLAGS, "private")
    assert [m for _, m, _ in cycle.MARKS] == [f.mark for f in cycle.FLAG_DECLS] + ["P"]
    flags = [f for p, f in fields.leaves(Entry) if p.startswith("flags.")]
    assert [f.name for f in flags] == list(cycle.FLAGS)
    assert [f.label for f in flags] == [cycle.FLAG_LABELS[k] for k in cycle.FLAGS]


def test_a_record_must_declare_every_field():
    with pytest.raises(TypeError, match="no declaration"):

        @record("a thing")
        class Thing:
            plain: str = ""


# --- (b) adding a field is one declaration (plus its migration) --------------------------


@record("a listen", path="listen")
class MoodListen(Listen):
    mood: str = text("Their mood", free_text=True, short="Listen: mood", form=Form("listen", fields.INPUT))


@record("an entry")
class MoodEntry(Entry):
    listen: MoodListen = sub(MoodListen, "Listen")


def test_one_declaration_adds_a_field_everywhere():
    cols = fields.csv_columns(MoodEntry)
    assert cols == (*CSV_COLUMNS[: CSV_COLUMNS.index("listen.themes") + 1], "listen.mood",
                    *CSV_COLUMNS[CSV_COLUMNS.index("listen.themes") + 1:])  # fmt: skip
    assert fields.labels(MoodEntry)["listen.mood"] == "Their mood"
    assert fields.view_labels(MoodEntry)["listen.mood"] == "Their mood"
    listen_page = fields.form_map(MoodEntry)["listen"]
    last = listen_page[-1]
    assert (last.path, last.widget, last.id, last.label) == ("listen.mood", "input", "mood", "Their mood")
    assert [i.path for i in fields.form_map(MoodEntry)["wrapup"]] == [i.path for i in entry_form()["wrapup"]]

    data = full_entry()
    data["listen"]["mood"] = "calm"
    entry = MoodEntry.from_dict(data)
    assert entry.listen.mood == "calm"
    assert entry.to_dict() == data
    assert entry.text_fields()["listen.mood"] == "calm"
    md = io.StringIO()
    write_markdown(md, [entry])
    assert "**Their mood:** calm" in md.getvalue()
    out = io.StringIO()
    write_csv(out, [entry], columns=cols)
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["listen.mood"] == "calm"

    with pytest.raises(ValidationError, match=r"^listen\.mood: expected a string, got a number$"):
        MoodEntry.from_dict({**data, "listen": {"mood": 3}})
    # Until the declaration exists the field is refused, never dropped silently...
    with pytest.raises(ValidationError, match=r"^listen\.mood: unknown field$"):
        Entry.from_dict(data)
    # ...and the migration for stored entries is the default a missing field gets.
    assert MoodEntry.from_dict(full_entry()).listen.mood == ""
    # The entry's own rules come along: an empty peer takes the journal's.
    assert MoodEntry.from_dict({**data, "peer": ""}, default_peer="sam").peer == "sam"


# --- (c) the shipped JSON Schema matches the declarations ----------------------------------

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/$defs/")
    return resolve(SCHEMA["$defs"][ref.removeprefix("#/$defs/")])


def split_null(node: dict[str, Any]) -> dict[str, Any] | None:
    """The non-null branch of `oneOf: [null, X]`, or None if the node is not that shape."""
    branches = node.get("oneOf")
    if not branches or len(branches) != 2 or {"type": "null"} not in branches:
        return None
    return resolve(next(b for b in branches if b != {"type": "null"}))


def check_record(cls: type, node: dict[str, Any], where: str) -> None:
    node = resolve(node)
    declared = [f.name for f in spec_of(cls).fields]
    assert node["type"] == "object" and node["additionalProperties"] is False, where
    assert list(node["properties"]) == declared, f"{where}: schema fields differ from the declaration"
    assert sorted(node["required"]) == sorted(declared), where
    for f in spec_of(cls).fields:
        check_field(f, node["properties"][f.name], f"{where}.{f.name}")


def check_field(f: fields.Field, raw: dict[str, Any], where: str) -> None:
    node = resolve(raw)
    k = f.kind
    if k == fields.ID:
        assert node == SCHEMA["$defs"]["id"], where
    elif k == fields.TEXT:
        assert node["type"] == "string", where
        assert (node.get("pattern") == "\\S") == bool(f.required), where
    elif k == fields.OPT_TEXT:
        assert node["type"] == ["string", "null"], where
    elif k == fields.BOOL:
        assert node["type"] == "boolean", where
    elif k == fields.TRISTATE:
        assert node["type"] == ["boolean", "null"], where
    elif k == fields.COUNT:
        assert node["type"] == "integer" and node["minimum"] == 0, where
    elif k == fields.NUMBER:
        assert node["type"] == ["integer", "null"], where
        if f.parse is parse_level:  # a competency rating: a step of the scale, or not rated
            assert (node["minimum"], node["maximum"]) == (LOW, HIGH), where
        else:
            assert node["minimum"] == 0 and node["maximum"] == MAX_MINUTES, where
    elif k == fields.CHOICE:
        assert node["enum"] == list(f.choices or ()), where
        assert f.default in node["enum"], where
    elif k == fields.LIST:
        assert node["type"] == "array", where
        items = resolve(node["items"])
        assert items == ({"enum": list(f.choices)} if f.choices else {"type": "string"}), where
    elif k == fields.DATETIME:
        assert node["type"] == "string" and node["format"] == "date-time", where
    elif k == fields.OPT_DATETIME:
        inner = split_null(node)
        assert inner is not None and inner["format"] == "date-time", where
    elif k == fields.OPT_DATE:
        inner = split_null(node)
        assert inner is not None and inner["format"] == "date", where
    elif k == fields.RECORD:
        assert f.record is not None
        check_record(f.record, node, where)
    elif k == fields.OPT_RECORD:
        inner = split_null(node)
        assert inner is not None and f.record is not None, where
        check_record(f.record, inner, where)
    elif k == fields.RECORDS:
        assert node["type"] == "array" and f.record is not None, where
        check_record(f.record, node["items"], where)
    elif k == fields.OPT_OBJECT:
        assert node["type"] == ["object", "null"], where
    elif k == fields.DATE:
        assert node["type"] == "string" and node["format"] == "date", where
    elif k == fields.HOURS:
        assert node["type"] == "number" and node["exclusiveMinimum"] == 0, where
        assert node["maximum"] == fields.MAX_HOURS and node["multipleOf"] == 0.25, where
    else:
        pytest.fail(f"{where}: kind {k!r} has no schema check")


@pytest.mark.parametrize(
    ("cls", "name"),
    [(Entry, "entry"), (Story, "story"), (ActionItem, "actionItem"), (Meeting, "meeting"),
     (Training, "training"), (Certificate, "certificate"), (Rating, "rating"), (Goal, "goal")],
)
def test_schema_matches_declarations(cls: type, name: str):
    check_record(cls, SCHEMA["$defs"][name], name)


def test_schema_check_catches_a_drift():
    """The check above fails when a declaration and the schema disagree."""
    with pytest.raises(AssertionError):
        check_record(MoodEntry, SCHEMA["$defs"]["entry"], "entry")
    drifted = json.loads(json.dumps(SCHEMA["$defs"]["entry"]))
    drifted["properties"]["share"]["properties"]["response"]["enum"].pop()
    with pytest.raises(AssertionError):
        check_record(Entry, drifted, "entry")
