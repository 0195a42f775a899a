"""Messages name the field and the kind, never an identifying value (issue 8, item 5)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from reflect.domain.privacy import MASKS
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Entry, Listen, now
from reflect.domain.settings import Settings
from reflect.store import Journal

KINDS = {
    "phone": "555-123-4567",
    "email": "jo.doe@example.org",
    "ssn": "123-45-6789",
    "dob": "born 03/04/1961",
    "address": "42 Elm Street",
    "url": "https://example.org/jo",
    "record": "MRN 4471902",
}


def run(*args: str, input: str | None = None):  # noqa: ANN201, A002
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_delete_names_the_entry_without_its_identifiers(db_path: Path, kind: str) -> None:
    """Old code: `deleted entry ... (…, J.R.: Gave my number 555-123-4567 …)`."""
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex"))
    value = KINDS[kind]
    j.save(Entry(occurred=now() - timedelta(days=1), id="e-0001", peer="alex", person=value,
                 listen=Listen(story=f"{value} came up")))  # fmt: skip
    result = run("delete", "--yes", "e-0001")
    assert result.exit_code == 0, result.stderr
    assert "deleted entry e-0001" in result.stderr
    assert value not in result.stderr and value.split()[-1] not in result.stderr
    assert MASKS[kind] in result.stderr  # masked by kind: "[phone]", "[SSN]", "[date of birth]"


def test_import_errors_name_the_field_and_the_kind(tmp_path: Path) -> None:
    """Old code: `setting: '555-123-4567' is not one of …`."""
    path = tmp_path / "in.json"
    path.write_text('[{"id": "a", "occurred": "2026-01-01T10:00:00+00:00", "setting": "555-123-4567"}]',
                    encoding="utf-8")  # fmt: skip
    for args in (("import", str(path)), ("review", "--format", "json", "--from", str(path))):
        result = run(*args)
        assert result.exit_code == 2
        assert "555-123-4567" not in result.stderr
        assert "setting: not one of" in result.stderr


PHONE = "555-123-4567"


@pytest.mark.parametrize("field, bad", [
    ("setting", {"setting": PHONE}),
    ("crisis.actions[0]", {"crisis": {"actions": [PHONE]}}),
    ("competencies[0]", {"competencies": [PHONE]}),
    ("minutes", {"minutes": PHONE}),
    ("reflect.reflections", {"reflect": {"reflections": PHONE}}),
    ("occurred", {"occurred": PHONE}),
    ("recorded", {"recorded": PHONE}),
])  # fmt: skip
def test_validators_name_the_field_and_the_kind_never_the_value(field: str, bad: dict[str, object]) -> None:
    """At the source, not only behind the CLI's mask: old code `setting: '555-123-4567' is not one of…`."""
    from reflect.domain.model import ValidationError

    with pytest.raises(ValidationError) as caught:
        Entry.from_dict({"occurred": "2026-01-01T10:00:00+00:00"} | bad)
    assert caught.value.path == field
    assert "555" not in str(caught.value) and "4567" not in str(caught.value)


def test_a_bad_due_date_names_the_kind_not_the_value() -> None:
    from reflect.domain.model import Meeting, ValidationError

    meeting = {"id": "m1", "held": "2026-01-01T10:00:00+00:00", "since": "2025-12-01T10:00:00+00:00",
               "until": "2026-01-01T10:00:00+00:00", "actions": [{"text": "call", "due": PHONE}]}  # fmt: skip
    with pytest.raises(ValidationError, match=r"actions\[0\]\.due: not an ISO 8601 date \(YYYY-MM-DD\)$"):
        Meeting.from_dict(meeting)
