"""Reading and changing a setting, by the rules in `reflect.domain.settings`.

`set_value` reads what a person typed, checks it by the same rules the settings file
is read with, and saves; an empty value, or `unset`, puts the default back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflect.domain.settings import KEYS, Settings, check_key, parse_value

if TYPE_CHECKING:
    from reflect.store import Journal

__all__ = ["KEYS", "Changed", "read", "value_text", "set_value", "unset", "schedule_words"]


def read(journal: Journal) -> Settings:
    return journal.settings()


def value_text(settings: Settings, key: str) -> str:
    """One setting as `reflect config KEY` prints it: a string as it is, else JSON."""
    value = settings.to_dict()[check_key(key)]
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2)


@dataclass
class Changed:
    """What `set_value` did: the key, the settings saved, and whether it was a reset."""

    key: str
    settings: Settings
    reset: bool


def set_value(journal: Journal, key: str, text: str) -> Changed:
    """Set `key` from `text` (empty: its default) and save. `ValidationError` names the
    key and the problem; nothing is written then."""
    check_key(key)
    settings = journal.settings()  # a broken settings file is named before the value
    value = parse_value(key, text)
    if key == "supervision_rules" and value:  # a pack that cannot be used is refused now, not at the log
        from reflect.domain.model import ValidationError
        from reflect.usecases.supervision_log import RulesError, load_pack

        try:
            load_pack(value)
        except RulesError as exc:
            raise ValidationError("supervision_rules", str(exc)) from None
    if key == "training_rules" and value:
        from reflect.usecases.training import load_rules

        value = load_rules(value).setting  # a pack that does not read is refused here
    setattr(settings, key, value)
    journal.save_settings(settings)
    return Changed(key, settings, reset=not text.strip())


def unset(journal: Journal, key: str) -> Changed:
    """Put `key` back to its default and save."""
    return set_value(journal, key, "")


def schedule_words(schedule: str) -> str:
    """The schedule in words and the next meeting ("every 2 weeks ...; next meeting ...").
    `DateError` when it cannot be read."""
    from reflect.domain import dates

    words = dates.describe_schedule(schedule)
    nxt = dates.next_meeting(schedule)
    return f"schedule: {words}" + (f"; next meeting {dates.format_when(nxt)}" if nxt else "; no meetings ahead")

