"""Settings rules written once (reflect.domain.settings), and reflect.usecases.settings.

`reflect config` and the settings file (`Settings.from_dict`) must agree on every value:
before, `from_dict` took a 1000-character peer or a crisis line with a control character
that `reflect config` refused."""

from __future__ import annotations

from datetime import datetime

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain import dates
from reflect.domain import model
from reflect.domain.model import ValidationError
from reflect.domain.settings import MAX_NAME, THEMES, CrisisLine, Settings, parse_value
from reflect.root import open_journal
from reflect.store import Journal, JournalError
from reflect.usecases import settings as uc

LINE = {"name": "Line", "how": "call 1"}
CASES: list[tuple[str, Any, bool]] = [
    ("peer", "Alex", True),
    ("peer", "x" * MAX_NAME, True),
    ("peer", "x" * (MAX_NAME + 1), False),
    ("peer", "x" * 1000, False),
    ("peer", "Al\x01ex", False),
    ("supervisor", "Dana\nLee", False),
    ("supervisor", "Dana", True),
    ("theme", "nord", True),
    ("theme", "textual-light", True),
    ("theme", "no-such-theme", False),
    ("crisis_lines", [LINE], True),
    ("crisis_lines", [LINE, {"name": "Other", "how": "text 2"}], True),
    ("crisis_lines", [{"name": "Line", "how": "call\x01 now"}], False),
    ("crisis_lines", [{"name": "Li\nne", "how": "call"}], False),
    ("crisis_lines", [], False),
    ("crisis_lines", [{"name": "X"}], False),
    ("crisis_lines", [{"name": "X", "how": "1", "phone": "2"}], False),
    ("crisis_lines", {"name": "X", "how": "1"}, False),
]


def _cli_accepts(key: str, value: Any) -> bool:
    text = value if isinstance(value, str) else json.dumps(value)
    result = CliRunner().invoke(main, ["config", key, text], catch_exceptions=False)
    assert result.exit_code in (0, 2), result.stderr
    return result.exit_code == 0


def _file_accepts(key: str, value: Any) -> bool:
    try:
        Settings.from_dict({key: value})
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("key,value,ok", CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CASES)])
def test_reflect_config_and_the_settings_file_apply_the_same_rules(key: str, value: Any, ok: bool) -> None:
    assert (_cli_accepts(key, value), _file_accepts(key, value)) == (ok, ok)
    if ok:
        saved = getattr(open_journal().settings(), key)
        assert saved == getattr(Settings.from_dict({key: value}), key)


def test_the_schedule_is_the_one_difference_and_it_is_on_purpose() -> None:
    """`reflect config` reads a schedule and stores it canonical; the file keeps any text, so a
    hand-edited schedule that cannot be read counts as none instead of stopping every command
    (test_cli_hostile.py::test_an_unreadable_schedule_in_settings)."""
    assert not _cli_accepts("schedule", "sometimes")
    assert Settings.from_dict({"schedule": "sometimes"}).schedule == "sometimes"
    # A phrase set through the command counts from the day it is set (issue 9, item 14).
    assert parse_value("schedule", "every 2 weeks on tuesday at 10:00") == dates.parse_schedule(
        "every 2 weeks on tuesday at 10:00", starting=datetime.now().date()
    )


def test_the_theme_list_is_textuals() -> None:
    from textual.theme import BUILTIN_THEMES

    assert sorted(THEMES) == sorted(BUILTIN_THEMES)


def test_settings_have_one_home() -> None:
    """The model no longer re-exports them: that re-export made domain.model <-> settings a cycle."""
    assert not hasattr(model, "Settings")
    assert Settings.__module__ == "reflect.domain.settings"


def test_a_hand_edited_settings_file_is_held_to_the_rules(tmp_path: Path) -> None:
    """A peer name of 1000 characters on every agenda was accepted from the file before."""
    journal = open_journal()
    journal.settings_path.parent.mkdir(parents=True, exist_ok=True)
    journal.settings_path.write_text(json.dumps({"peer": "x" * 1000}), encoding="utf-8")
    with pytest.raises(JournalError, match="peer: at most 200 characters"):
        journal.settings()


# --- the use case ----------------------------------------------------------------------------


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return open_journal(tmp_path / "journal.json")


def test_set_read_and_unset(journal: Journal) -> None:
    changed = uc.set_value(journal, "peer", "  Sam  ")
    assert (changed.key, changed.reset, changed.settings.peer) == ("peer", False, "Sam")
    assert uc.read(journal).peer == "Sam" and uc.value_text(uc.read(journal), "peer") == "Sam"
    uc.set_value(journal, "crisis_lines", "Samaritans: call 116 123; Shout: text 85258")
    assert uc.read(journal).crisis_lines == [CrisisLine("Samaritans", "call 116 123"), CrisisLine("Shout", "text 85258")]
    assert json.loads(uc.value_text(uc.read(journal), "crisis_lines"))[1] == {"name": "Shout", "how": "text 85258"}
    assert uc.unset(journal, "crisis_lines").reset
    assert uc.read(journal).crisis_lines == Settings().crisis_lines
    assert uc.set_value(journal, "peer", "").reset and uc.read(journal).peer == ""


def test_a_refused_value_writes_nothing(journal: Journal) -> None:
    uc.set_value(journal, "peer", "Sam")
    before = journal.settings_path.read_bytes()
    for key, text in (("peer", "x" * 1000), ("theme", "nope"), ("schedule", "sometimes"), ("colour", "red")):
        with pytest.raises(ValidationError):
            uc.set_value(journal, key, text)
    assert journal.settings_path.read_bytes() == before


def test_schedule_words() -> None:
    words = uc.schedule_words(dates.parse_schedule("every 2 weeks on tuesday at 10:00"))
    assert words.startswith("schedule: ") and "next meeting" in words
    with pytest.raises(dates.DateError):
        uc.schedule_words("sometimes")


def test_config_help_lists_every_key_even_one_added_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """`reflect config --help` lists the keys from `settings.KEYS`, so a key added later is
    listed without anyone remembering to. (Failed before: the list was written by hand.)"""
    from reflect.domain import settings

    monkeypatch.setattr(settings, "KEYS", (*settings.KEYS, "a_key_added_later"))
    result = CliRunner().invoke(main, ["config", "--help"])
    assert result.exit_code == 0, result.output
    words = set(result.output.replace(",", " ").replace(".", " ").split())
    assert set(settings.KEYS) <= words and "{keys}" not in result.output
