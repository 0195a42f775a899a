"""The worker's settings and every rule a setting must keep, written once.

`Settings.from_dict` (the settings file) and `parse_value` (what `reflect config KEY VALUE`
reads) apply the same rules, so a value the command refuses is refused in the file too:
peer and supervisor are one line of at most `MAX_NAME` characters (they head every
agenda), crisis lines are one line each (shown on one line in the app and on agendas),
and the theme is one of textual's built-in themes.

One difference is on purpose: the command reads a schedule and stores it canonical,
while the file keeps any schedule text. A hand-edited schedule that cannot be read
counts as none (the agenda still comes out, with a warning): refusing it here would
stop every command until the file was mended.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reflect.domain import cycle
from reflect.domain.model import ValidationError, _join, _obj, _str, kind_of

MAX_NAME = 200  # peer, supervisor: shown on every agenda
KEYS: tuple[str, ...] = ("peer", "supervisor", "crisis_lines", "schedule", "theme", "supervisor_key", "credential", "supervisor_credential")
# credential, supervisor_credential: the peer's own and the supervisor's credential or
# licence numbers, copied onto each meeting recorded (boards ask for both); one line each.
CREDENTIAL_KEYS: tuple[str, ...] = ("credential", "supervisor_credential")
# The supervision log's settings: hours worked in a week with none recorded (a ratio rule
# counts them; null: unknown), and the rule pack the log checks by default ("": none).
SUPERVISION_KEYS: tuple[str, ...] = ("weekly_hours", "supervision_rules")
KEYS += SUPERVISION_KEYS
MAX_WEEKLY_HOURS = 168
MAX_RULES_SPEC = 1000  # a pack name or a file path
# Continuing education: the renewal rules a peer follows and the day their cycles count from.
KEYS += ("training_rules", "certified_on")
MAX_RULES = 1000  # training_rules: a pack's name or a file's path

# textual's built-in themes (textual.theme.BUILTIN_THEMES), named here because the domain
# does not import textual; tests/test_usecases_settings.py checks the two agree.
THEMES: tuple[str, ...] = (
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
    "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
    "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon",
    "solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night",
)  # fmt: skip


def _invalid(path: str, problem: str) -> ValueError:
    return ValidationError(path, problem)


@dataclass
class CrisisLine:
    name: str
    how: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "how": self.how}


def _default_lines() -> list[CrisisLine]:
    return [CrisisLine(n, h) for n, h in cycle.DEFAULT_CRISIS_LINES]


@dataclass
class Settings:
    """The worker's settings. `schedule` is an RRULE or a phrase; dates.py reads it."""

    peer: str = ""
    supervisor: str = ""
    crisis_lines: list[CrisisLine] = field(default_factory=_default_lines)
    schedule: str = ""
    theme: str = ""
    supervisor_key: str = ""  # the supervisor's age public key: packets are sealed to it
    credential: str = ""
    supervisor_credential: str = ""
    weekly_hours: float | None = None
    supervision_rules: str = ""
    training_rules: str = ""  # a shipped rule pack's name, or the path of a pack file
    certified_on: str = ""  # YYYY-MM-DD: the day the renewal cycles count from

    KEYS = KEYS

    def certified_day(self) -> date | None:
        """`certified_on` as a day, or None when it is not set."""
        return date.fromisoformat(self.certified_on) if self.certified_on else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer,
            "supervisor": self.supervisor,
            "crisis_lines": [c.to_dict() for c in self.crisis_lines],
            "schedule": self.schedule,
            "theme": self.theme,
            "supervisor_key": self.supervisor_key,
            "credential": self.credential,
            "supervisor_credential": self.supervisor_credential,
            "weekly_hours": self.weekly_hours,
            "supervision_rules": self.supervision_rules,
            "training_rules": self.training_rules,
            "certified_on": self.certified_on,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Settings:
        d = _obj(data, path, set(cls.KEYS), "a settings")
        lines_raw = d.get("crisis_lines")
        if lines_raw is None:
            lines = _default_lines()
        else:
            lines = parse_crisis_lines(lines_raw, _join(path, "crisis_lines"))
        return cls(
            peer=check_name(_join(path, "peer"), _str(d, "peer", path)),
            supervisor=check_name(_join(path, "supervisor"), _str(d, "supervisor", path)),
            crisis_lines=lines,
            schedule=_str(d, "schedule", path),
            theme=check_theme(_str(d, "theme", path), _join(path, "theme")),
            supervisor_key=check_public_key(_join(path, "supervisor_key"), _str(d, "supervisor_key", path)),
            credential=check_credential(_join(path, "credential"), _str(d, "credential", path)),
            supervisor_credential=check_credential(
                _join(path, "supervisor_credential"), _str(d, "supervisor_credential", path)
            ),
            weekly_hours=check_weekly_hours(d.get("weekly_hours"), _join(path, "weekly_hours")),
            supervision_rules=check_rules_spec(_str(d, "supervision_rules", path), _join(path, "supervision_rules")),
            training_rules=check_rules(_str(d, "training_rules", path), _join(path, "training_rules")),
            certified_on=check_day(_str(d, "certified_on", path), _join(path, "certified_on")),
        )


# --- the rules ---------------------------------------------------------------------------


def _one_line(text: str) -> bool:
    return not any(ord(c) < 32 for c in text)


def check_name(key: str, value: str) -> str:
    """A name shown on every agenda: one line, at most MAX_NAME characters; returned stripped."""
    value = value.strip()
    if not _one_line(value):
        raise _invalid(key, "must be one line of text")
    if len(value) > MAX_NAME:
        raise _invalid(key, f"at most {MAX_NAME} characters (a name, not a note)")
    return value


def check_credential(key: str, value: str) -> str:
    """A credential or licence number: one line, at most MAX_NAME characters; returned stripped."""
    return check_name(key, value)


def check_theme(value: str, path: str = "theme") -> str:
    """"" (textual's default) or one of textual's built-in themes; returned stripped."""
    value = value.strip()
    if value and value not in THEMES:
        raise _invalid(path, f"{value!r} is not a textual theme (one of: {', '.join(sorted(THEMES))})")
    return value


def check_rules(value: str, path: str = "training_rules") -> str:
    """"" (none chosen), a rule pack's name, or the path of a pack file: one line.
    Whether the pack exists and reads is the use case's check (it reads files)."""
    value = value.strip()
    if not _one_line(value) or len(value) > MAX_RULES:
        raise _invalid(path, "expected a rule pack's name (e.g. pa-cps) or the path of a pack file, on one line")
    return value


def check_day(value: str, path: str = "certified_on") -> str:
    """"" (not set) or a day written YYYY-MM-DD, in the years reflect holds."""
    from reflect.domain.fields import parse_iso_date

    value = value.strip()
    return parse_iso_date(value, path).isoformat() if value else ""


def parse_crisis_lines(value: Any, path: str = "crisis_lines") -> list[CrisisLine]:
    """A list of {name, how} objects; the list must not be empty (a crisis panel needs a
    line), and each line is one line of text (shown so in the app and on every agenda)."""

    if not isinstance(value, list):
        raise _invalid(path, f"expected a list of {{name, how}} objects, got {kind_of(value)}")
    if not value:
        raise _invalid(path, "at least one crisis line is needed")
    out = []
    for i, item in enumerate(value):
        p = f"{path}[{i}]"
        d = _obj(item, p, {"name", "how"}, "a crisis line")
        name, how = _str(d, "name", p).strip(), _str(d, "how", p).strip()
        if not name or not how:
            raise _invalid(p, "a crisis line needs both a name and how to reach it")
        out.append(CrisisLine(name, how))
    for i, line in enumerate(out):
        if not _one_line(line.name + line.how):
            raise _invalid(f"{path}[{i}]", "must be one line of text")
    return out


def parse_crisis_lines_text(value: str) -> list[CrisisLine]:
    """Crisis lines as a person types them: JSON (a list of {name, how}) or "Name: how; Name: how"."""
    text = value.strip()
    if text.startswith(("[", "{")):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _invalid("crisis_lines", f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        except (RecursionError, ValueError):  # nested thousands deep; a number of thousands of digits
            raise _invalid("crisis_lines", "not a list of {name, how} objects") from None
        return parse_crisis_lines(raw, "crisis_lines")
    lines = []
    for i, part in enumerate(p for p in text.split(";") if p.strip()):
        name, sep, how = part.partition(":")
        if not sep or not name.strip() or not how.strip():
            raise _invalid(
                f"crisis_lines[{i}]",
                f"{part.strip()!r} is not \"Name: how to reach it\" "
                '(give "Name: how; Name: how" or a JSON list of {"name", "how"})',
            )
        lines.append({"name": name.strip(), "how": how.strip()})
    return parse_crisis_lines(lines, "crisis_lines")


def check_weekly_hours(value: Any, path: str = "weekly_hours") -> float | None:
    """Hours worked in a week with none recorded: a number from 0 to 168, or null."""
    if value is None:
        return None
    if type(value) not in (int, float) or not (0 <= value <= MAX_WEEKLY_HOURS):
        raise _invalid(path, f"expected a number of hours from 0 to {MAX_WEEKLY_HOURS}, got {kind_of(value)}")
    return float(value)


def check_rules_spec(value: str, path: str = "supervision_rules") -> str:
    """A rule pack's name or a rules file's path: one line; returned stripped. Whether it
    names a pack is the use case's question (it reads the file)."""
    value = value.strip()
    if not _one_line(value) or len(value) > MAX_RULES_SPEC:
        raise _invalid(path, f"must be one line of at most {MAX_RULES_SPEC} characters (a pack name or a file path)")
    return value


def check_key(key: str) -> str:
    if key not in KEYS:
        raise _invalid("", f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    return key


def parse_value(key: str, text: str, *, today: date | None = None) -> Any:
    """The value of setting `key` from what a person typed, by the same rules as the file;
    a schedule is read and returned canonical (an RRULE), a phrase counted from `today`
    (default: the local date now). Empty text means the default."""
    check_key(key)
    if not text.strip():
        return getattr(Settings(), key)
    if key == "crisis_lines":
        return parse_crisis_lines_text(text)
    if key == "schedule":
        from reflect.domain import dates

        try:
            return dates.parse_schedule(text, starting=today or datetime.now().date())
        except dates.DateError as exc:
            raise _invalid("schedule", str(exc)) from None
    if key == "theme":
        return check_theme(text)
    if key == "supervisor_key":
        return check_public_key(key, text)
    if key in CREDENTIAL_KEYS:
        return check_credential(key, text)
    if key == "weekly_hours":
        try:
            hours = float(text.strip())
        except ValueError:
            raise _invalid(key, f"{text.strip()!r} is not a number of hours (e.g. 40 or 37.5)") from None
        return check_weekly_hours(hours if hours == hours else -1.0)  # NaN is refused as out of range
    if key == "supervision_rules":
        return check_rules_spec(text)
    if key == "training_rules":
        return check_rules(text)
    if key == "certified_on":
        return check_day(text)
    return check_name(key, text)


def check_public_key(path: str, value: str) -> str:
    """"" or an age X25519 public key (`age1…`, as `reflect keys` prints it); returned
    stripped. Checked with pyrage, so a key cut short in copying is refused here, not when
    a packet is sealed to it. The message never quotes the key."""
    import pyrage

    value = value.strip()
    if not value:
        return value
    if not value.startswith("age1"):
        raise _invalid(path, "not an age public key (one starts with age1, as `reflect keys` prints it)")
    try:
        pyrage.x25519.Recipient.from_str(value)
    except pyrage.RecipientError:
        raise _invalid(path, "not a valid age public key (check it was copied whole)") from None
    return value
