"""The journal's data: entries and their four steps, stories, meetings, drafts, settings.

Every record converts to and from plain dicts (the export contract, version 1).
`from_dict` is strict: an unknown field, a wrong type or a value outside a choice
list raises `ValidationError` naming the field, so bad input never reaches the disk.
Missing optional fields get their defaults.

Each field is declared once, below, with the helpers of `reflect.domain.fields`: its
kind, labels, help, CSV column and form widget. `to_dict`/`from_dict`, the CSV
columns, the labels and the encounter's form map derive from those declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Callable, ClassVar

from reflect.domain import cycle
from reflect.domain.fields import (  # noqa: F401 - re-exported: the names other modules import from here
    CHECKBOX,
    Record,
    CHOICE,
    DATE_W,
    DATETIME,
    INPUT,
    LIST,
    LIST_W,
    MULTI,
    NUMBER,
    NUMBER_W,
    OBJECT,
    OPT_DATE,
    OPT_DATETIME,
    OPT_OBJECT,
    RADIO,
    RECORDS,
    SELECT,
    TEXT,
    TEXTAREA,
    TRISTATE_W,
    Field,
    Form,
    FormItem,
    ValidationError,
    _bool,
    _choice,
    _count,
    _join,
    _obj,
    _opt_str,
    _str,
    _str_list,
    _tristate,
    boolean,
    choice,
    count,
    csv_columns,
    declare,
    form_map,
    free_text,
    ident,
    iso,
    kind_of,
    labels,
    leaves,
    new_id,
    number_kind,
    now,
    opt_text,
    parse_iso_date,
    parse_iso_datetime,
    record,
    spec_of,
    str_list,
    sub,
    text,
    tristate,
    view_labels,
)
from reflect.domain.fields import text as text_field
from reflect.domain.crisis import is_crisis

CONTRACT_VERSION = 1
MAX_MINUTES = 1440  # one encounter lasts at most a day; a larger number is a typo, and skews workload


def clip(text: str, width: int) -> str:
    """Whitespace folded, cut to `width` characters with an ellipsis: a line for lists."""
    words = " ".join(text.split())
    return words if len(words) <= width else words[: width - 1].rstrip() + "…"


def _keys_are(cls: type, keys: tuple[str, ...]) -> None:
    """A record whose fields mirror a list in cycle.py must hold exactly that list."""
    have = tuple(f.name for f in spec_of(cls).fields)
    if have != keys:
        raise TypeError(f"{cls.__name__} declares {have}, cycle.py lists {keys}")


def _area(page: str, label: str, **kw: Any) -> Form:
    return Form(page, TEXTAREA, label, **kw)


# --- the four steps -----------------------------------------------------------------


@record("a listen", path="listen")
class Listen(Record):
    """What the person shared, what matters to them, and the themes heard."""

    story: str = text(
        "What happened", short="Listen: the person's story", free_text=True, help="What happened, in their words?",
        form=_area("listen", "The person's story: what happened, in their words"),
    )  # fmt: skip
    matters: str = text(
        "What matters to them", short="Listen: what matters to them", free_text=True,
        help="What matters to them? What do they want from this conversation?",
        form=_area("listen", "What matters to them; what they want from it"),
    )  # fmt: skip
    themes: list[str] = str_list(
        "Themes", short="Listen: themes", free_text=True, help="Themes heard, in a word or two each",
        form=Form("listen", LIST_W, "Themes heard (comma separated)", placeholder="e.g. housing, family, hope"),
    )  # fmt: skip


@record("a reflect", path="reflect")
class Reflect(Record):
    """The worker's related experience, feelings, and the effect on their own recovery."""

    experience: str = text(
        "My related experience", short="Reflect: my related experience", free_text=True,
        help="What in your own experience relates? Outside (learned) and inside (lived) knowledge both count.",
        form=_area("reflect", "My related experience (lived or learned)"),
    )  # fmt: skip
    feelings: str = text(
        "My feelings", view="What it stirred", short="Reflect: what it stirred", free_text=True,
        help="What did it stir; how do you feel?", form=_area("reflect", "What it stirred; how I feel"),
    )  # fmt: skip
    impact: str = text(
        "Effect on my own recovery", view="Effect on my recovery", short="Reflect: my own recovery", free_text=True,
        help="Did it touch your own recovery?", form=_area("reflect", "Did it touch my own recovery?"),
    )  # fmt: skip


_QUESTIONS = dict(cycle.CHECKS)


def _check(key: str) -> Any:
    return tristate(_QUESTIONS[key], help="yes, no or not asked", form=Form("select", TRISTATE_W))


@record("a checks", path="select.checks", form_id="check-{name}")
class Checks(Record):
    """The six-question disclosure check; each answer true, false or null (not asked)."""

    their_need: bool | None = _check("their_need")
    asked_permission: bool | None = _check("asked_permission")
    brief: bool | None = _check("brief")
    returned_focus: bool | None = _check("returned_focus")
    within_role: bool | None = _check("within_role")
    settled: bool | None = _check("settled")

    def failed(self) -> list[str]:
        """Keys of the checks answered no."""
        return [k for k in cycle.CHECK_KEYS if getattr(self, k) is False]


_keys_are(Checks, cycle.CHECK_KEYS)


@record("a select", path="select")
class Select(Record):
    """Which part of the story to share and why, or the decision to hold back."""

    decision: str = choice(
        "Decision", cycle.DECISIONS, "undecided", help="Share a part of my story, hold back, or undecided",
        form=Form("select", RADIO, "My decision"),
    )  # fmt: skip
    story_id: str | None = opt_text(
        "Story", view="From my story bank", help="The story-bank part drawn on, if any",
        form=Form("select", SELECT, "From my story bank, or a new part", id="story-choice"),
    )  # fmt: skip
    part: str = text(
        "Part", view="The part", short="Select: the part of my story", free_text=True,
        help="Which part of your story could help?", form=_area("select", "The part (as I would tell it)"),
    )  # fmt: skip
    purposes: list[str] = str_list(
        "Purposes", help="What sharing it is for", form=Form("select", MULTI, "Purpose (space to tick)"),
    )  # fmt: skip
    checks: Checks = sub(Checks, "Checks", help="The check before sharing (space: yes / no / -)")
    held_back_because: str = text(
        "Why I held back", short="Select: why I held back", free_text=True,
        help="When you held back: why (a recorded outcome, not a missing share)",
        form=_area("select", "Why I held back (the cycle respects it)"),
    )  # fmt: skip


@record("a share", path="share")
class Share(Record):
    """How it was shared, how it landed, the person's next steps, what to do differently."""

    how: str = text(
        "How I shared", view="How I shared it", short="Share: how I shared it", free_text=True,
        help="How did you share it (ask, share, ask)?", form=_area("share", "How I shared it (ask, share, ask)"),
    )  # fmt: skip
    response: str = choice(
        "How it landed", cycle.RESPONSES, "unknown", help="How did it land?",
        form=Form("share", SELECT, "How it landed"),
    )  # fmt: skip
    next_steps: str = text(
        "Their next steps", short="Share: their next steps", free_text=True,
        help="What are the person's own next steps?", form=_area("share", "The person's own next steps"),
    )  # fmt: skip
    differently: str = text(
        "What I would do differently", view="What I'd do differently", short="Share: what I'd do differently",
        free_text=True, help="What would you do differently?", form=_area("share", "What I would do differently"),
    )  # fmt: skip


_OARS = dict(cycle.OARS)


def _oars(key: str) -> Any:
    return count(_OARS[key], help="how many; a prompt for supervision, not a score", form=Form("wrapup", NUMBER_W))


@record("an mi", path="mi", form_id="mi-{name}")
class MI(Record):
    """Optional Motivational Interviewing counts: prompts for supervision, not scores."""

    open_questions: int = _oars("open_questions")
    affirmations: int = _oars("affirmations")
    reflections: int = _oars("reflections")
    summaries: int = _oars("summaries")
    change_talk: list[str] = str_list(
        "Change talk", view="Change talk heard", help="Change talk heard",
        form=Form("wrapup", MULTI, "Change talk heard", id="change_talk"),
    )  # fmt: skip


_keys_are(MI, (*(k for k, _ in cycle.OARS), "change_talk"))


def _flag(key: str) -> Any:
    flag = cycle.FLAG_BY_KEY[key]
    return boolean(flag.label, help=f"list mark {flag.mark}", form=Form("wrapup", CHECKBOX))


@record("a flags", path="flags", form_id="flag-{name}")
class Flags(Record):
    """The flags of cycle.FLAG_DECLS, each true or false."""

    crisis: bool = _flag("crisis")
    boundary: bool = _flag("boundary")
    discuss: bool = _flag("discuss")
    self_care: bool = _flag("self_care")
    celebrate: bool = _flag("celebrate")

    def active(self) -> list[str]:
        return [k for k in cycle.FLAGS if getattr(self, k)]


_keys_are(Flags, cycle.FLAGS)


@record("a crisis", path="crisis")
class Crisis(Record):
    """What was done when safety came first. Records that a safety plan exists, never the plan."""

    actions: list[str] = str_list("Actions", cycle.CRISIS_ACTION_KEYS, help="What was done")
    supervisor_notified_at: datetime | None = declare(
        OPT_DATETIME, default=None, label="Supervisor notified at", view="Supervisor told",
        help="When the supervisor was told",
    )  # fmt: skip
    notes: str = text("Notes", short="Crisis: notes", free_text=True, help="What else to record (never the plan)")


MAX_HEADCOUNT = 999  # people in one group encounter; more is a typo


def _parse_headcount(d: dict[str, Any], key: str, path: str) -> int:
    n = _count(d, key, path)
    if n > MAX_HEADCOUNT:
        raise ValidationError(_join(path, key), f"expected a whole number from 0 to {MAX_HEADCOUNT}, got {n!r}")
    return n


@record("a group", path="group", form_id="group-{name}")
class Group(Record):
    """A group encounter: how many took part and the theme (domain.md, "Groups"). Never names."""

    headcount: int = count(
        "Headcount", parse=_parse_headcount, help=f"how many took part, 0 to {MAX_HEADCOUNT} (0: not counted)",
        form=Form("wrapup", NUMBER_W, "People", placeholder="—"),
    )  # fmt: skip
    theme: str = text_field(
        "Theme", short="Group: theme", free_text=True, help="the group's theme; never names",
        form=Form("wrapup", INPUT, "Group theme (never names)", placeholder="e.g. coping with holidays"),
    )  # fmt: skip


def _parse_group(d: dict[str, Any], key: str, path: str) -> Group | None:
    """A group record, or None: a group with neither headcount nor theme is no group
    (what the encounter form gives for a one-to-one encounter)."""
    value = d.get(key)
    if value is None:
        return None
    group = Group.from_dict(value, _join(path, key))
    return group if group.headcount or group.theme.strip() else None


# --- the entry ------------------------------------------------------------------------


def _parse_entry_id(d: dict[str, Any], key: str, path: str) -> str:
    value = d.get(key)
    if value is None:
        return new_id()
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_join(path, key), "expected a non-empty string")
    return value.strip()


def _parse_minutes(d: dict[str, Any], key: str, path: str) -> int | None:
    minutes = d.get(key)
    if minutes is not None and (
        isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES
    ):
        raise ValidationError(
            _join(path, key), f"expected a whole number from 0 to {MAX_MINUTES} (a day), or null, got {number_kind(minutes)}"
        )
    return minutes


def _parse_competencies(d: dict[str, Any], key: str, path: str) -> list[str]:
    comps = _str_list(d, key, path)
    for i, c in enumerate(comps):
        if c not in cycle.COMPETENCY_KEYS:
            raise ValidationError(f"{_join(path, key)}[{i}]", "not a SAMHSA category numeral I..XII")
    comps.sort(key=cycle.COMPETENCY_KEYS.index)
    return comps


def _stamp(dump: Callable[[Entry], datetime | None]) -> Callable[[Entry], str | None]:
    return lambda e: iso(dump(e))


@record(
    "an entry",
    order=(
        "id", "peer", "occurred", "recorded", "updated", "person", "setting", "minutes",
        "listen", "reflect", "select", "share", "competencies", "mi", "flags", "question",
        "crisis", "visibility", "tags", "group",
    ),
)  # fmt: skip
class Entry(Record):
    """One encounter, journaled through listen, reflect, select and share."""

    occurred: datetime = declare(
        DATETIME, label="When", required="required: when the encounter happened", help="when the encounter happened",
        form=Form("context", DATE_W, "When", id="when", placeholder="now, yesterday 3pm"),
    )  # fmt: skip
    id: str = ident(parse=_parse_entry_id, help="stable and unique")
    peer: str = text("Peer", help="the peer worker who wrote it")
    recorded: datetime | None = declare(
        DATETIME, default=None, label="Recorded", help="first saved", dump=_stamp(lambda e: e.recorded or e.occurred)
    )  # fmt: skip
    updated: datetime | None = declare(
        DATETIME, default=None, label="Updated", help="last changed",
        dump=_stamp(lambda e: e.updated or e.recorded or e.occurred),
    )  # fmt: skip
    person: str = text(
        "Who", short="Who (pseudonym)", free_text=True, help="pseudonym or initials; may be empty",
        form=Form("context", INPUT, "Who", placeholder="pseudonym"),
    )  # fmt: skip
    setting: str = choice("Setting", cycle.SETTINGS, "one-to-one", form=Form("context", SELECT, "Setting"))
    minutes: int | None = declare(
        NUMBER, default=None, label="Minutes", parse=_parse_minutes, help=f"how long, 0 to {MAX_MINUTES}",
        form=Form("context", NUMBER_W, "Min", placeholder="—"),
    )  # fmt: skip
    listen: Listen = sub(Listen, "Listen")
    reflect: Reflect = sub(Reflect, "Reflect")
    select: Select = sub(Select, "Select")
    share: Share = sub(Share, "Share")
    competencies: list[str] = declare(
        LIST, default_factory=list, label="Competencies", choices=cycle.COMPETENCY_KEYS, parse=_parse_competencies,
        help="SAMHSA Core Competencies category numerals",
        form=Form("wrapup", MULTI, "SAMHSA competencies I used", pos=5),
    )  # fmt: skip
    mi: MI | None = sub(
        MI, "Motivational Interviewing", optional=True, view="MI (prompts, not scores)",
        help="optional Motivational Interviewing counts", form=Form("wrapup", "", pos=6),
    )  # fmt: skip
    flags: Flags = sub(Flags, "Flags", form=Form("wrapup", "", pos=1))
    question: str = text(
        "Question", short="Wrap-up: supervision question", free_text=True,
        help="the peer's question for supervision", form=Form("wrapup", TEXTAREA, "My question for supervision", pos=2),
    )  # fmt: skip
    crisis: Crisis | None = sub(
        Crisis, "Safety", optional=True, view="Crisis: what was done", help="what was done when safety came first"
    )  # fmt: skip
    visibility: str = choice(
        "Visibility", cycle.VISIBILITY, "shared", help="private entries stay out of exports unless asked for",
        form=Form("wrapup", RADIO, "Shared or private (you decide)", pos=3),
    )  # fmt: skip
    tags: list[str] = str_list(
        "Tags", short="Wrap-up: tags", free_text=True,
        form=Form("wrapup", LIST_W, "Tags (comma separated)", placeholder="e.g. group, new", pos=4),
    )  # fmt: skip

    group: Group | None = sub(
        Group, "Group", optional=True, parse=_parse_group, help="a group encounter: headcount and theme, or null",
        form=Form("wrapup", "", pos=7),
    )  # fmt: skip

    # Fields every exported entry carries, in this order.
    FIELDS: ClassVar[tuple[str, ...]] = ()  # set below from the declaration

    @classmethod
    def from_dict(cls, data: Any, path: str = "", *, default_peer: str = "") -> Entry:
        entry: Entry = cls._from_dict(data, path)  # type: ignore[attr-defined]
        if not entry.peer:
            entry.peer = default_peer
        return entry

    # --- conveniences for screens, agenda and export ---

    @property
    def private(self) -> bool:
        return self.visibility == "private"

    @property
    def in_group(self) -> bool:
        """A group encounter: a group recorded (headcount or theme), or the setting "group"."""
        return self.group is not None or self.setting == "group"

    def summary(self, width: int = 60) -> str:
        """A short line of what was shared, for lists."""
        for text_ in (self.listen.story, self.listen.matters, self.reflect.experience, self.share.how):
            if text_.strip():
                return clip(text_, width)
        return ""

    def text_fields(self) -> dict[str, str]:
        """Every free-text field by its dotted name (for search and the privacy check):
        the declared free text, single values first, then list items as `tags[0]`."""
        out: dict[str, str] = {}
        scalars, lists = _text_getters(type(self))
        for name, get in scalars:
            try:
                value = get(self)
            except AttributeError:  # an absent crisis has no notes
                continue
            if value:
                out[name] = value
        for name, get in lists:
            for i, item in enumerate(get(self)):
                if item:
                    out[f"{name}[{i}]"] = item
        return out


Entry.FIELDS = tuple(f.name for f in spec_of(Entry).fields)

_Getters = tuple[tuple[str, Callable[[Any], Any]], ...]


_GETTERS: dict[type, tuple[_Getters, _Getters]] = {}


def _text_getters(cls: type) -> tuple[_Getters, _Getters]:
    """The declared free text of an entry class: (single values, lists), each as
    (dotted path, getter), in declaration order; worked out once per class."""
    if cls in _GETTERS:
        return _GETTERS[cls]
    free = [(p, f) for p, f in leaves(cls) if f.free_text]
    got = _GETTERS[cls] = (
        tuple((p, attrgetter(p)) for p, f in free if f.kind == TEXT),
        tuple((p, attrgetter(p)) for p, f in free if f.kind == LIST),
    )
    return got


def entry_labels() -> dict[str, str]:
    """The entry view's label of each entry field, by dotted path."""
    return view_labels(Entry)


def field_names() -> dict[str, str]:
    """How a message names each free-text entry field (the privacy prompt), by dotted path."""
    return {p: f.short or f.view_label for p, f in leaves(Entry) if f.free_text}


def entry_form() -> dict[str, tuple[FormItem, ...]]:
    """The encounter form, page by page ("context", then listen ... wrapup): the widgets
    a front end builds and reads, derived from the declarations above."""
    return form_map(Entry)


def form_widgets() -> dict[str, tuple[str | None, str]]:
    """Dotted entry field -> (form page, widget id); page None is the context row above
    the pages. How a privacy finding or an error finds the widget to focus."""
    return {
        item.path: (None if page == "context" else page, item.id)
        for page, items in entry_form().items()
        for item in items
    }


# --- stories, meetings, drafts, settings ------------------------------------------------


@record("a story", order=("id", "title", "text", "themes", "created", "retired"))
class Story(Record):
    """A reusable part of the worker's own recovery story."""

    title: str = declare(TEXT, label="Title", required="required: a short title for this part of your story")
    id: str = ident()
    text: str = text_field("Text")
    themes: list[str] = str_list("Themes")
    created: datetime = declare(DATETIME, default_factory=now, label="Created")
    retired: bool = boolean("Retired")


@record("an action item", order=("id", "text", "owner", "due", "done"))
class ActionItem(Record):
    """Something agreed in supervision, carried to the next meeting until done."""

    text: str = declare(TEXT, label="Action", required="required: what was agreed")
    id: str = ident()
    owner: str = text_field("Owner")
    due: date | None = declare(OPT_DATE, default=None, label="Due")
    done: bool = boolean("Done")


MEETING_KINDS = ("", "individual", "group")
MEETING_DELIVERIES = ("", "in-person", "video", "phone")
ATTESTING_ROLES = ("supervisor", "peer")


@record("credentials", order=("peer", "supervisor"))
class Credentials(Record):
    """Credential or licence numbers of the two people at a meeting, taken from settings."""

    peer: str = text_field("Peer credential")
    supervisor: str = text_field("Supervisor credential")


@record("an attestation", order=("role", "name", "at", "digest"))
class Attestation(Record):
    """A person's statement that a meeting record is accurate, bound to the record's content
    by `digest`: a record changed afterwards no longer matches it."""

    role: str = choice("Role", ATTESTING_ROLES, "supervisor")
    name: str = text_field("Name")
    at: datetime = declare(DATETIME, default_factory=now, label="At")
    digest: str = text_field("Digest")


@record(
    "a meeting",
    order=(
        "id", "peer", "supervisor", "held", "since", "until", "notes", "actions", "discussed", "agenda",
        "minutes", "kind", "delivery", "observed", "summary", "competence", "growth_areas",
        "credentials", "attestations",
    ),
)  # fmt: skip
class Meeting(Record):
    """A supervision meeting: when, the window it reviewed, notes, actions, the agenda as it was."""

    held: datetime = declare(DATETIME, label="Held", required="required")
    since: datetime = declare(DATETIME, label="Since", required="required")
    until: datetime = declare(DATETIME, label="Until", required="required")
    id: str = ident()
    peer: str = text("Peer")
    supervisor: str = text("Supervisor")
    notes: str = text("Notes")
    actions: list[ActionItem] = declare(RECORDS, default_factory=list, label="Actions", record=ActionItem)
    discussed: list[str] = str_list("Discussed")
    agenda: dict[str, Any] | None = declare(OPT_OBJECT, default=None, label="Agenda")
    # What boards ask a supervision record to hold (domain.md, "Documenting supervision");
    # added in export format 1, so a meeting stored before reads with each one empty.
    minutes: int = count("Minutes")
    kind: str = choice("Kind", MEETING_KINDS, "")
    delivery: str = choice("Delivery", MEETING_DELIVERIES, "")
    observed: bool = boolean("Practice observed")
    summary: str = text_field("Summary", free_text=True)
    competence: str = text_field("Competence", free_text=True)
    growth_areas: str = text_field("Areas to grow", free_text=True)
    credentials: Credentials = sub(Credentials, "Credentials")
    attestations: list[Attestation] = declare(
        RECORDS, default_factory=list, label="Attestations", record=Attestation
    )

    def open_actions(self) -> list[ActionItem]:
        return [a for a in self.actions if not a.done]


@record("a draft", order=("id", "entry", "step", "entry_id", "saved"))
class Draft(Record):
    """An encounter in progress: the entry's fields so far, kept on disk as the peer types.

    `entry` is a partial entry dict (the same shape as `Entry.to_dict`); `entry_id` is
    set when the draft edits an entry already saved.
    """

    entry: dict[str, Any] = declare(OBJECT, label="Entry")
    id: str = ident()
    step: str = choice("Step", cycle.STEP_KEYS, "listen")
    entry_id: str | None = opt_text("Entry id")
    saved: datetime = declare(DATETIME, default_factory=now, label="Saved")

    def preview(self, width: int = 50) -> str:
        """The draft's first words, so a peer can tell drafts apart."""
        listen = self.entry.get("listen") or {}
        reflect = self.entry.get("reflect") or {}
        for text in (listen.get("story"), listen.get("matters"), reflect.get("experience")):
            if isinstance(text, str) and text.strip():
                return clip(text, width)
        return "(no text yet)"




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

    def matches(self, entry: Entry) -> bool:
        if self.since is not None and entry.occurred < self.since:
            return False
        if self.until is not None and entry.occurred > self.until:
            return False
        if self.peer and entry.peer != self.peer:
            return False
        for flag in self.flags:
            if flag == "private":
                if not entry.private:
                    return False
            elif flag == "crisis":
                if not is_crisis(entry):  # the one rule: the flag, or a crisis record kept
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
