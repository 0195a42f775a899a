"""The journal's data: entries and their four steps, stories, meetings, drafts, settings.

Every record converts to and from plain dicts (the export contract, version 1).
`from_dict` is strict: an unknown field, a wrong type or a value outside a choice
list raises `ValidationError` naming the field, so bad input never reaches the disk.
Missing optional fields get their defaults.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from typing import Any, Callable, TypeVar

from reflect.domain import cycle

CONTRACT_VERSION = 1
MAX_MINUTES = 1440  # one encounter lasts at most a day; a larger number is a typo, and skews workload


class ValidationError(ValueError):
    """A record does not fit the contract. `path` names the field, e.g. `select.checks.brief`."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


# --- time helpers -------------------------------------------------------------


def now() -> datetime:
    """The current time, aware, in the local zone, to the second."""
    return datetime.now(timezone.utc).astimezone().replace(microsecond=0)


def clip(text: str, width: int) -> str:
    """Whitespace folded, cut to `width` characters with an ellipsis: a line for lists."""
    words = " ".join(text.split())
    return words if len(words) <= width else words[: width - 1].rstrip() + "…"


def new_id() -> str:
    return str(uuid.uuid4())


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_iso_datetime(value: Any, path: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is taken as local time."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(path, f"not an ISO 8601 date-time: {value!r}") from None
    else:
        raise ValidationError(path, f"expected an ISO 8601 date-time, got {kind_of(value)}")
    if dt.tzinfo is None:
        dt = dt.astimezone()
    return dt


def parse_iso_date(value: Any, path: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(path, f"expected an ISO 8601 date (YYYY-MM-DD), got {value!r}")


# --- validation helpers ---------------------------------------------------------


def kind_of(value: Any) -> str:
    """How an error names a value's JSON type: 'a string', 'a list', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _obj(data: Any, path: str, allowed: set[str], what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError(path, f"expected {what} object, got {kind_of(data)}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(_join(path, unknown[0]), "unknown field")
    return data


def _str(data: dict, key: str, path: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValidationError(_join(path, key), f"expected a string, got {kind_of(value)}")
    return value


def _opt_str(data: dict, key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_join(path, key), f"expected a string or null, got {kind_of(value)}")
    return value


def _bool(data: dict, key: str, path: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValidationError(_join(path, key), f"expected true or false, got {kind_of(value)}")
    return value


def _tristate(data: dict, key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise ValidationError(_join(path, key), f"expected true, false or null, got {kind_of(value)}")
    return value


def _count(data: dict, key: str, path: str) -> int:
    value = data.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(_join(path, key), f"expected a whole number of 0 or more, got {value!r}")
    return value


def _choice(data: dict, key: str, path: str, choices: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if value is None:
        value = default
    if value not in choices:
        raise ValidationError(
            _join(path, key), f"{value!r} is not one of {', '.join(choices)}"
        )
    return value


def _str_list(
    data: dict, key: str, path: str, choices: tuple[str, ...] | None = None
) -> list[str]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(_join(path, key), f"expected a list of strings, got {kind_of(value)}")
    out: list[str] = []
    for i, item in enumerate(value):
        item_path = f"{_join(path, key)}[{i}]"
        if not isinstance(item, str):
            raise ValidationError(item_path, f"expected a string, got {kind_of(item)}")
        if choices is not None and item not in choices:
            raise ValidationError(item_path, f"{item!r} is not one of {', '.join(choices)}")
        if item not in out:
            out.append(item)
    return out


T = TypeVar("T")


def _sub(data: dict, key: str, path: str, parse: Callable[[Any, str], T], default: Callable[[], T]) -> T:
    value = data.get(key)
    if value is None:
        return default()
    return parse(value, _join(path, key))


def _names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


# --- the four steps -----------------------------------------------------------------


@dataclass
class Listen:
    """What the person shared, what matters to them, and the themes heard."""

    story: str = ""
    matters: str = ""
    themes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"story": self.story, "matters": self.matters, "themes": list(self.themes)}

    @classmethod
    def from_dict(cls, data: Any, path: str = "listen") -> Listen:
        d = _obj(data, path, _names(cls), "a listen")
        return cls(_str(d, "story", path), _str(d, "matters", path), _str_list(d, "themes", path))


@dataclass
class Reflect:
    """The worker's related experience, feelings, and the effect on their own recovery."""

    experience: str = ""
    feelings: str = ""
    impact: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"experience": self.experience, "feelings": self.feelings, "impact": self.impact}

    @classmethod
    def from_dict(cls, data: Any, path: str = "reflect") -> Reflect:
        d = _obj(data, path, _names(cls), "a reflect")
        return cls(_str(d, "experience", path), _str(d, "feelings", path), _str(d, "impact", path))


@dataclass
class Checks:
    """The six-question disclosure check; each answer true, false or null (not asked)."""

    their_need: bool | None = None
    asked_permission: bool | None = None
    brief: bool | None = None
    returned_focus: bool | None = None
    within_role: bool | None = None
    settled: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in cycle.CHECK_KEYS}

    @classmethod
    def from_dict(cls, data: Any, path: str = "select.checks") -> Checks:
        d = _obj(data, path, _names(cls), "a checks")
        return cls(**{k: _tristate(d, k, path) for k in cycle.CHECK_KEYS})

    def failed(self) -> list[str]:
        """Keys of the checks answered no."""
        return [k for k in cycle.CHECK_KEYS if getattr(self, k) is False]


@dataclass
class Select:
    """Which part of the story to share and why, or the decision to hold back."""

    decision: str = "undecided"
    story_id: str | None = None
    part: str = ""
    purposes: list[str] = field(default_factory=list)
    checks: Checks = field(default_factory=Checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "story_id": self.story_id,
            "part": self.part,
            "purposes": list(self.purposes),
            "checks": self.checks.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "select") -> Select:
        d = _obj(data, path, _names(cls), "a select")
        return cls(
            decision=_choice(d, "decision", path, cycle.DECISIONS, "undecided"),
            story_id=_opt_str(d, "story_id", path),
            part=_str(d, "part", path),
            purposes=_str_list(d, "purposes", path),
            checks=_sub(d, "checks", path, Checks.from_dict, Checks),
        )


@dataclass
class Share:
    """How it was shared, how it landed, the person's next steps, what to do differently."""

    how: str = ""
    response: str = "unknown"
    next_steps: str = ""
    differently: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "how": self.how,
            "response": self.response,
            "next_steps": self.next_steps,
            "differently": self.differently,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "share") -> Share:
        d = _obj(data, path, _names(cls), "a share")
        return cls(
            how=_str(d, "how", path),
            response=_choice(d, "response", path, cycle.RESPONSES, "unknown"),
            next_steps=_str(d, "next_steps", path),
            differently=_str(d, "differently", path),
        )


@dataclass
class MI:
    """Optional Motivational Interviewing counts: prompts for supervision, not scores."""

    open_questions: int = 0
    affirmations: int = 0
    reflections: int = 0
    summaries: int = 0
    change_talk: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "open_questions": self.open_questions,
            "affirmations": self.affirmations,
            "reflections": self.reflections,
            "summaries": self.summaries,
            "change_talk": list(self.change_talk),
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "mi") -> MI:
        d = _obj(data, path, _names(cls), "an mi")
        return cls(
            open_questions=_count(d, "open_questions", path),
            affirmations=_count(d, "affirmations", path),
            reflections=_count(d, "reflections", path),
            summaries=_count(d, "summaries", path),
            change_talk=_str_list(d, "change_talk", path),
        )


@dataclass
class Flags:
    crisis: bool = False
    boundary: bool = False
    discuss: bool = False
    self_care: bool = False
    celebrate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in cycle.FLAGS}

    @classmethod
    def from_dict(cls, data: Any, path: str = "flags") -> Flags:
        d = _obj(data, path, _names(cls), "a flags")
        return cls(**{k: _bool(d, k, path) for k in cycle.FLAGS})

    def active(self) -> list[str]:
        return [k for k in cycle.FLAGS if getattr(self, k)]


@dataclass
class Crisis:
    """What was done when safety came first. Records that a safety plan exists, never the plan."""

    actions: list[str] = field(default_factory=list)
    supervisor_notified_at: datetime | None = None
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "actions": list(self.actions),
            "supervisor_notified_at": iso(self.supervisor_notified_at),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "crisis") -> Crisis:
        d = _obj(data, path, _names(cls), "a crisis")
        at = d.get("supervisor_notified_at")
        return cls(
            actions=_str_list(d, "actions", path, cycle.CRISIS_ACTION_KEYS),
            supervisor_notified_at=None
            if at is None
            else parse_iso_datetime(at, _join(path, "supervisor_notified_at")),
            notes=_str(d, "notes", path),
        )


# --- the entry ------------------------------------------------------------------------

@dataclass
class Entry:
    """One encounter, journaled through listen, reflect, select and share."""

    occurred: datetime
    id: str = field(default_factory=new_id)
    peer: str = ""
    recorded: datetime | None = None
    updated: datetime | None = None
    person: str = ""
    setting: str = "one-to-one"
    minutes: int | None = None
    listen: Listen = field(default_factory=Listen)
    reflect: Reflect = field(default_factory=Reflect)
    select: Select = field(default_factory=Select)
    share: Share = field(default_factory=Share)
    competencies: list[str] = field(default_factory=list)
    mi: MI | None = None
    flags: Flags = field(default_factory=Flags)
    question: str = ""
    crisis: Crisis | None = None
    visibility: str = "shared"
    tags: list[str] = field(default_factory=list)

    # Fields every exported entry carries, in this order.
    FIELDS = (
        "id", "peer", "occurred", "recorded", "updated", "person", "setting", "minutes",
        "listen", "reflect", "select", "share", "competencies", "mi", "flags", "question",
        "crisis", "visibility", "tags",
    )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "peer": self.peer,
            "occurred": iso(self.occurred),
            "recorded": iso(self.recorded or self.occurred),
            "updated": iso(self.updated or self.recorded or self.occurred),
            "person": self.person,
            "setting": self.setting,
            "minutes": self.minutes,
            "listen": self.listen.to_dict(),
            "reflect": self.reflect.to_dict(),
            "select": self.select.to_dict(),
            "share": self.share.to_dict(),
            "competencies": list(self.competencies),
            "mi": None if self.mi is None else self.mi.to_dict(),
            "flags": self.flags.to_dict(),
            "question": self.question,
            "crisis": None if self.crisis is None else self.crisis.to_dict(),
            "visibility": self.visibility,
            "tags": list(self.tags),
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "", *, default_peer: str = "") -> Entry:
        d = _obj(data, path, set(cls.FIELDS), "an entry")
        if d.get("occurred") is None:
            raise ValidationError(_join(path, "occurred"), "required: when the encounter happened")
        occurred = parse_iso_datetime(d["occurred"], _join(path, "occurred"))
        entry_id = d.get("id")
        if entry_id is None:
            entry_id = new_id()
        elif not isinstance(entry_id, str) or not entry_id.strip():
            raise ValidationError(_join(path, "id"), "expected a non-empty string")
        minutes = d.get("minutes")
        if minutes is not None and (
            isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES
        ):
            raise ValidationError(
                _join(path, "minutes"), f"expected a whole number from 0 to {MAX_MINUTES} (a day), or null, got {minutes!r}"
            )
        recorded = d.get("recorded")
        updated = d.get("updated")
        comps = _str_list(d, "competencies", path)
        for i, c in enumerate(comps):
            if c not in cycle.COMPETENCY_KEYS:
                raise ValidationError(
                    f"{_join(path, 'competencies')}[{i}]",
                    f"{c!r} is not a SAMHSA category numeral I..XII",
                )
        comps.sort(key=cycle.COMPETENCY_KEYS.index)
        peer = _str(d, "peer", path) or default_peer
        return cls(
            id=entry_id.strip(),
            peer=peer,
            occurred=occurred,
            recorded=None if recorded is None else parse_iso_datetime(recorded, _join(path, "recorded")),
            updated=None if updated is None else parse_iso_datetime(updated, _join(path, "updated")),
            person=_str(d, "person", path),
            setting=_choice(d, "setting", path, cycle.SETTINGS, "one-to-one"),
            minutes=minutes,
            listen=_sub(d, "listen", path, Listen.from_dict, Listen),
            reflect=_sub(d, "reflect", path, Reflect.from_dict, Reflect),
            select=_sub(d, "select", path, Select.from_dict, Select),
            share=_sub(d, "share", path, Share.from_dict, Share),
            competencies=comps,
            mi=None if d.get("mi") is None else MI.from_dict(d["mi"], _join(path, "mi")),
            flags=_sub(d, "flags", path, Flags.from_dict, Flags),
            question=_str(d, "question", path),
            crisis=None if d.get("crisis") is None else Crisis.from_dict(d["crisis"], _join(path, "crisis")),
            visibility=_choice(d, "visibility", path, cycle.VISIBILITY, "shared"),
            tags=_str_list(d, "tags", path),
        )

    # --- conveniences for screens, agenda and export ---

    @property
    def private(self) -> bool:
        return self.visibility == "private"

    def summary(self, width: int = 60) -> str:
        """A short line of what was shared, for lists."""
        for text in (self.listen.story, self.listen.matters, self.reflect.experience, self.share.how):
            if text.strip():
                return clip(text, width)
        return ""

    def text_fields(self) -> dict[str, str]:
        """Every free-text field by its dotted name (for search and the privacy check)."""
        out = {
            "person": self.person,
            "listen.story": self.listen.story,
            "listen.matters": self.listen.matters,
            "reflect.experience": self.reflect.experience,
            "reflect.feelings": self.reflect.feelings,
            "reflect.impact": self.reflect.impact,
            "select.part": self.select.part,
            "share.how": self.share.how,
            "share.next_steps": self.share.next_steps,
            "share.differently": self.share.differently,
            "question": self.question,
        }
        if self.crisis is not None:
            out["crisis.notes"] = self.crisis.notes
        for i, theme in enumerate(self.listen.themes):
            out[f"listen.themes[{i}]"] = theme
        for i, tag in enumerate(self.tags):
            out[f"tags[{i}]"] = tag
        return {k: v for k, v in out.items() if v}


# --- stories, meetings, drafts, settings ------------------------------------------------


@dataclass
class Story:
    """A reusable part of the worker's own recovery story."""

    title: str
    id: str = field(default_factory=new_id)
    text: str = ""
    themes: list[str] = field(default_factory=list)
    created: datetime = field(default_factory=now)
    retired: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "themes": list(self.themes),
            "created": iso(self.created),
            "retired": self.retired,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Story:
        d = _obj(data, path, _names(cls), "a story")
        title = _str(d, "title", path)
        if not title.strip():
            raise ValidationError(_join(path, "title"), "required: a short title for this part of your story")
        created = d.get("created")
        return cls(
            id=_str(d, "id", path) or new_id(),
            title=title,
            text=_str(d, "text", path),
            themes=_str_list(d, "themes", path),
            created=now() if created is None else parse_iso_datetime(created, _join(path, "created")),
            retired=_bool(d, "retired", path),
        )


@dataclass
class ActionItem:
    """Something agreed in supervision, carried to the next meeting until done."""

    text: str
    id: str = field(default_factory=new_id)
    owner: str = ""
    due: date | None = None
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "owner": self.owner,
            "due": None if self.due is None else self.due.isoformat(),
            "done": self.done,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> ActionItem:
        d = _obj(data, path, _names(cls), "an action item")
        text = _str(d, "text", path)
        if not text.strip():
            raise ValidationError(_join(path, "text"), "required: what was agreed")
        due = d.get("due")
        return cls(
            id=_str(d, "id", path) or new_id(),
            text=text,
            owner=_str(d, "owner", path),
            due=None if due is None else parse_iso_date(due, _join(path, "due")),
            done=_bool(d, "done", path),
        )


@dataclass
class Meeting:
    """A supervision meeting: when, the window it reviewed, notes, actions, the agenda as it was."""

    held: datetime
    since: datetime
    until: datetime
    id: str = field(default_factory=new_id)
    peer: str = ""
    supervisor: str = ""
    notes: str = ""
    actions: list[ActionItem] = field(default_factory=list)
    discussed: list[str] = field(default_factory=list)
    agenda: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "peer": self.peer,
            "supervisor": self.supervisor,
            "held": iso(self.held),
            "since": iso(self.since),
            "until": iso(self.until),
            "notes": self.notes,
            "actions": [a.to_dict() for a in self.actions],
            "discussed": list(self.discussed),
            "agenda": self.agenda,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Meeting:
        d = _obj(data, path, _names(cls), "a meeting")
        for key in ("held", "since", "until"):
            if d.get(key) is None:
                raise ValidationError(_join(path, key), "required")
        actions = d.get("actions") or []
        if not isinstance(actions, list):
            raise ValidationError(_join(path, "actions"), f"expected a list, got {kind_of(actions)}")
        agenda = d.get("agenda")
        if agenda is not None and not isinstance(agenda, dict):
            raise ValidationError(_join(path, "agenda"), f"expected an object or null, got {kind_of(agenda)}")
        return cls(
            id=_str(d, "id", path) or new_id(),
            peer=_str(d, "peer", path),
            supervisor=_str(d, "supervisor", path),
            held=parse_iso_datetime(d["held"], _join(path, "held")),
            since=parse_iso_datetime(d["since"], _join(path, "since")),
            until=parse_iso_datetime(d["until"], _join(path, "until")),
            notes=_str(d, "notes", path),
            actions=[
                ActionItem.from_dict(a, f"{_join(path, 'actions')}[{i}]") for i, a in enumerate(actions)
            ],
            discussed=_str_list(d, "discussed", path),
            agenda=agenda,
        )

    def open_actions(self) -> list[ActionItem]:
        return [a for a in self.actions if not a.done]


@dataclass
class Draft:
    """An encounter in progress: the entry's fields so far, kept on disk as the peer types.

    `entry` is a partial entry dict (the same shape as `Entry.to_dict`); `entry_id` is
    set when the draft edits an entry already saved.
    """

    entry: dict[str, Any]
    id: str = field(default_factory=new_id)
    step: str = "listen"
    entry_id: str | None = None
    saved: datetime = field(default_factory=now)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entry": self.entry,
            "step": self.step,
            "entry_id": self.entry_id,
            "saved": iso(self.saved),
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Draft:
        d = _obj(data, path, _names(cls), "a draft")
        entry = d.get("entry") or {}
        if not isinstance(entry, dict):
            raise ValidationError(_join(path, "entry"), f"expected an object, got {kind_of(entry)}")
        saved = d.get("saved")
        return cls(
            id=_str(d, "id", path) or new_id(),
            entry=entry,
            step=_choice(d, "step", path, cycle.STEP_KEYS, "listen"),
            entry_id=_opt_str(d, "entry_id", path),
            saved=now() if saved is None else parse_iso_datetime(saved, _join(path, "saved")),
        )

    def preview(self, width: int = 50) -> str:
        """The draft's first words, so a peer can tell drafts apart."""
        listen = self.entry.get("listen") or {}
        reflect = self.entry.get("reflect") or {}
        for text in (listen.get("story"), listen.get("matters"), reflect.get("experience")):
            if isinstance(text, str) and text.strip():
                return clip(text, width)
        return "(no text yet)"


from reflect.domain.settings import CrisisLine, Settings, parse_crisis_lines  # noqa: F401


# --- filtering (pure; used by `reflect list` and the home screen's search) ----------------


@dataclass
class EntryFilter:
    """Which entries to show. Every condition given must hold; `text` matches any free text."""

    since: datetime | None = None
    until: datetime | None = None
    flags: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    text: str = ""
    peer: str = ""
    include_private: bool = True

    def matches(self, entry: Entry) -> bool:
        if self.since is not None and entry.occurred < self.since:
            return False
        if self.until is not None and entry.occurred > self.until:
            return False
        if not self.include_private and entry.private:
            return False
        if self.peer and entry.peer != self.peer:
            return False
        for flag in self.flags:
            if flag == "private":
                if not entry.private:
                    return False
            elif not getattr(entry.flags, flag, False):
                return False
        if self.tags:
            have = {t.casefold() for t in entry.tags}
            if not all(t.casefold() in have for t in self.tags):
                return False
        if self.text:
            needle = self.text.casefold()
            hay = "\n".join(entry.text_fields().values()).casefold()
            if needle not in hay:
                return False
        return True
