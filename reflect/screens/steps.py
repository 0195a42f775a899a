"""The encounter's pages: Listen, Reflect, Select, Share, and a wrap-up page.

Each page is a form (scrolling, so nothing is cut off at 80x24) with the step's
guiding questions from reflect.domain.cycle beside it. The fields are not written
here: they are built from the domain's form map (`entry_form()`), each widget
created holding the entry's value, and the EncounterScreen reads them back by the
same map. What stays here is presentation: headings over groups, the labels of
choices, and the options of the multi-selects.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.selection_list import Selection

from reflect.domain import cycle, fields
from reflect.domain.dates import DateError  # noqa: F401 - re-exported for the encounter screen
from reflect.domain.dates import parse_when as _parse_when
from reflect.domain.fields import FormItem
from reflect.domain.model import Entry, entry_form, field_names, form_widgets

# The form map, page by page: "context" (the row above the pages), then the pages.
FORM: dict[str, tuple[FormItem, ...]] = entry_form()
# Pages in order; the four cycle steps, then the wrap-up (competencies, MI, flags...).
PAGES: tuple[str, ...] = tuple(p for p in FORM if p != "context")
PAGE_TITLES: dict[str, str] = {**{s.key: s.title for s in cycle.STEPS}, "wrapup": "Wrap-up"}

# Dotted free-text field (as in Entry.text_fields and privacy findings) -> (page, widget id).
# Page None means the context row above the pages.
FIELD_WIDGETS: dict[str, tuple[str | None, str]] = {
    p: w for p, w in form_widgets().items() if p in field_names()
}
# Human names for the free-text fields, for the privacy prompt.
FIELD_LABELS: dict[str, str] = field_names()

# Presentation the declarations leave to the front end.
GROUP_HEADINGS: dict[str, str] = {
    "flags": "Flags",
    "select.checks": "The check before sharing (space: yes / no / -)",
    "mi": "MI: optional prompts for supervision, not scores",
    "group": "Group encounter: headcount and theme, never names",
}
RADIO_LABELS: dict[str, dict[str, str]] = {
    "select.decision": cycle.DECISION_LABELS,
    "visibility": {"shared": "Shared: in my supervision reviews", "private": "Private: only for me"},
}
MULTI_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "select.purposes": tuple((p, p) for p in cycle.PURPOSES),
    "competencies": tuple((f"{k:>4}  {title}", k) for k, title in cycle.COMPETENCIES),
    "mi.change_talk": tuple((label, key) for key, label in cycle.CHANGE_TALK),
}
DIGITS: dict[str, int] = {"minutes": 4}  # how many digits a number field takes (else 3)
TALL = frozenset({"listen.story"})  # text areas given more room

# Holding back is a recorded outcome with its own questions: when the decision is "hold",
# these form items (and their labels) are hidden, `HOLD_ONLY` is shown, and a few labels
# ask what fits (there is no "how I shared it" when nothing was shared).
HOLD_HIDES = ("select.story_id", "select.part", "select.purposes", "select.checks", "share.how", "share.response")
HOLD_ONLY = ("select.held_back_because",)
HOLD_LABELS: dict[str, str] = {"share.next_steps": "What the person did next; what I noticed"}

WHEN_FORMAT = "%Y-%m-%d %H:%M"


def parse_when(text: str, *, now: datetime) -> datetime:
    """A natural date ("yesterday 3pm", "10 minutes ago") -> aware datetime; DateError if unreadable."""
    return _parse_when(text, now=now)


def when_problem(text: str) -> str:
    """One short line (it must fit beside the form at 80 columns) saying a date was not read."""
    shown = text.strip()
    if not shown:
        return "✗ When is empty: try now, yesterday 3pm or 2025-03-14 15:00"
    if len(shown) > 18:
        shown = shown[:17] + "…"
    return f"✗ Cannot read {shown!r} as a date: try yesterday 3pm, 2 hours ago"


def show_when(dt: datetime) -> str:
    """A date-time as the form shows it; parse_when reads it back to the minute."""
    return dt.astimezone().strftime(WHEN_FORMAT)


def describe_when(dt: datetime) -> str:
    """What a typed date was read as, so a peer sees it was not guessed."""
    return dt.astimezone().strftime("%a %d %b %Y, %H:%M")


def resolved_when(dt: datetime, now: datetime) -> str:
    """The date a typed phrase resolved to, short enough for the hint row ("Tue 3 Nov 14:30");
    the year only when it is not this one."""
    local, today = dt.astimezone(), now.astimezone()
    year = "" if local.year == today.year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


FUTURE_SLACK_MINUTES = 5  # a clock a little ahead is not "the future"

NEW_PART = "__new__"  # the story-bank choice "a new part, written here"


def field_base(name: str) -> str:
    """`listen.themes[2]` -> `listen.themes`: the widget that holds a list item."""
    return name.split("[", 1)[0]


def value_at(entry: Entry, path: str) -> Any:
    """The entry's value at a dotted path; None below an absent part (no MI counts)."""
    value: Any = entry
    for name in path.split("."):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def group_of(item: FormItem) -> str:
    """The group a check, flag or count belongs to (its parent path), "" for other fields."""
    if item.widget in (fields.CHECKBOX, fields.TRISTATE_W, fields.NUMBER_W) and "." in item.path:
        return item.path.rsplit(".", 1)[0]
    return ""


class Tristate(Widget, can_focus=True):
    """One disclosure check: yes, no, or not answered. Space cycles; y, n and 0 set it."""

    DEFAULT_CSS = """
    Tristate {
        height: auto;
        width: 1fr;
        padding: 0 1 0 0;
    }
    Tristate:focus {
        background: $boost;
        text-style: bold;
    }
    """
    BINDINGS = [
        Binding("space,enter", "cycle", "Yes / no / not answered", show=False),
        Binding("y", "set('yes')", "Yes", show=False),
        Binding("n", "set('no')", "No", show=False),
        Binding("0,backspace,delete", "set('none')", "Not answered", show=False),
    ]

    value: reactive[bool | None] = reactive(None)

    class Changed(Message):
        def __init__(self, tristate: Tristate) -> None:
            self.tristate = tristate
            super().__init__()

        @property
        def control(self) -> Tristate:
            return self.tristate

    def __init__(self, question: str, *, id: str | None = None, value: bool | None = None) -> None:
        super().__init__(id=id)
        self.question = question
        self.set_reactive(Tristate.value, value)

    def render(self) -> Content:
        if self.value is True:
            mark = ("[Yes]", "$success bold")
        elif self.value is False:
            mark = ("[No ]", "$error bold")
        else:
            mark = ("[ - ]", "$text-muted")
        return Content.assemble(mark, " ", self.question)

    def watch_value(self) -> None:
        self.post_message(self.Changed(self))

    def action_cycle(self) -> None:
        self.value = True if self.value is None else (False if self.value else None)

    def action_set(self, what: str) -> None:
        self.value = {"yes": True, "no": False, "none": None}[what]

    def on_click(self) -> None:
        self.focus()
        self.action_cycle()


def _guide(step_key: str) -> Static:
    """The step's guiding questions, shown beside its fields."""
    if step_key == "wrapup":
        parts: list[str | tuple[str, str]] = [
            ("After the encounter\n", "bold"),
            "\n",
            "Which SAMHSA competencies did you use?\n\n",
            "MI counts are optional prompts for supervision, not scores.\n\n",
            "Flag what to bring to supervision. Shared or private is your choice.",
        ]
    else:
        step = next(s for s in cycle.STEPS if s.key == step_key)
        parts = [(f"{step.title}\n", "bold"), "\n"]
        for prompt in step.prompts:
            parts.append(("• ", "$accent"))
            parts.append(f"{prompt}\n")
        parts.append(("\n" + step.summary, "$text-muted"))
    return Static(Content.assemble(*parts), classes="guide")


def _nav(page: str) -> Horizontal:
    """Back / Next buttons at the foot of a page (the keys are ctrl+b and ctrl+n)."""
    i = PAGES.index(page)
    buttons: list[Widget] = []
    if i > 0:
        buttons.append(Button(f"◀ {PAGE_TITLES[PAGES[i - 1]]}", id=f"back-{page}", classes="nav-back", compact=True))
    if i < len(PAGES) - 1:
        buttons.append(Button(f"{PAGE_TITLES[PAGES[i + 1]]} ▶", id=f"next-{page}", classes="nav-next", compact=True))
    buttons.append(Button("Save", id=f"save-{page}", classes="nav-save", variant="primary", compact=True))
    return Horizontal(*buttons, classes="nav")


class Flag(Checkbox):
    """A flag on the wrap-up page. Only space and enter tick it; up and down move to the
    neighbouring field, as in the lists; a letter typed here was meant for a text field,
    so it goes, with what follows, to the next one (never ticking a flag on the way)."""

    BINDINGS = [
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    _sent_to: Widget | None = None  # the text field a letter typed here moved to

    def on_focus(self) -> None:
        self._sent_to = None

    def on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if self._sent_to is not None and focused is self._sent_to:
            # Typed after a letter moved on, before the move reached this queue: follow it.
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        if not event.is_printable or event.character in (None, " "):
            return
        event.stop()
        event.prevent_default()
        target = next_text_field(self)
        if target is not None:
            self._sent_to = target
            self.screen.set_focus(target)  # at once: focus() would wait, and the key arrive first
            target._forward_event(events.Key(event.key, event.character))


def next_text_field(widget: Widget) -> Widget | None:
    """The first text field after `widget` in the screen's focus order."""
    chain = widget.screen.focus_chain
    after = chain[chain.index(widget) + 1 :] if widget in chain else chain
    return next((w for w in after if isinstance(w, (Input, TextArea))), None)


def _area(id: str, text: str = "") -> TextArea:
    return TextArea(text, id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False)


def _radio(item: FormItem) -> RadioSet:
    """The buttons start unpressed: the screen presses the entry's choice once mounted
    (a button pressed before mounting leaves the set's keyboard highlight behind)."""
    labels = RADIO_LABELS.get(item.path, {})
    buttons = [RadioButton(labels.get(c, c), id=f"{item.id}-{c}", compact=True) for c in item.choices or ()]
    return RadioSet(*buttons, id=item.id)


def _multi(item: FormItem, chosen: list[str]) -> SelectionList[str]:
    """Known options first; a value typed elsewhere (an import) kept when the list is open."""
    options = list(MULTI_OPTIONS.get(item.path, [(c, c) for c in item.choices or ()]))
    known = {v for _, v in options}
    if item.choices is None:
        options += [(v, v) for v in chosen if v not in known]
    return SelectionList[str](*[Selection(p, v, v in chosen) for p, v in options], id=item.id, compact=True)


def field_widget(item: FormItem, value: Any, stories: list[tuple[str, str]] = []) -> Widget:  # noqa: B006
    """The widget for one form item, holding `value` from the first frame."""
    kind = item.widget
    if kind == fields.TEXTAREA:
        area = _area(item.id, value or "")
        area.set_class(item.path in TALL, "tall")
        return area
    if kind == fields.INPUT:
        return Input(value or "", id=item.id, compact=True, placeholder=item.placeholder)
    if kind == fields.LIST_W:
        return Input(", ".join(value or ()), id=item.id, placeholder=item.placeholder, compact=True)
    if kind == fields.DATE_W:
        return Input(value, id=item.id, compact=True, placeholder=item.placeholder)
    if kind == fields.NUMBER_W:
        digits = DIGITS.get(item.id, 3)
        shown = "" if not value else str(value)
        placeholder = item.placeholder or "0"
        return Input(shown, id=item.id, compact=True, restrict=rf"\d{{0,{digits}}}", max_length=digits,
                     placeholder=placeholder)  # fmt: skip
    if kind == fields.SELECT:
        if item.id == "story-choice":
            options = [("A new part, written here", NEW_PART), *stories]
            return Select(options, id=item.id, value=value or NEW_PART, allow_blank=False, compact=True)
        return Select([(c, c) for c in item.choices or ()], id=item.id, value=value, allow_blank=False, compact=True)
    if kind == fields.RADIO:
        return _radio(item)
    if kind == fields.MULTI:
        return _multi(item, list(value or ()))
    if kind == fields.CHECKBOX:
        return Flag(item.label, bool(value), id=item.id, compact=True)
    if kind == fields.TRISTATE_W:
        return Tristate(item.label, id=item.id, value=value)
    raise ValueError(f"no widget for {kind!r} ({item.path})")


class Fields(VerticalScroll, can_focus=False):
    """A page's form; tab moves between fields, and the focused field scrolls into view."""


class StepPage(Horizontal):
    """A page: the form on the left, the guiding questions on the right."""

    DEFAULT_CSS = """
    StepPage {
        height: 1fr;
    }
    StepPage > .fields {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    StepPage > .guide {
        width: 26;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $foreground 20%;
    }
    StepPage .fields > Label {
        margin-top: 1;
        color: $text-muted;
    }
    StepPage .fields > Label.first {
        margin-top: 0;
    }
    StepPage TextArea {
        height: 5;
    }
    StepPage TextArea.tall {
        height: 7;
    }
    StepPage .nav {
        height: 1;
        margin-top: 1;
    }
    StepPage .nav Button {
        margin-right: 2;
        min-width: 8;
    }
    StepPage .note {
        color: $text-muted;
    }
    """

    page: str = ""

    def __init__(self, entry: Entry, stories: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        self.entry = entry
        self.stories = stories or []  # (label, story id) from the peer's story bank
        super().__init__(id=f"page-{self.page}", **kwargs)

    def compose(self) -> ComposeResult:
        with Fields(classes="fields", id=f"fields-{self.page}"):
            yield from self.fields()
            yield _nav(self.page)
        yield _guide(self.page)

    def fields(self) -> Iterator[Widget]:
        """The page's items in the form map's order, a heading over each group."""
        group = ""
        numbers: list[Widget] = []
        for n, item in enumerate(FORM[self.page]):
            first = "first" if n == 0 else ""
            value = value_at(self.entry, item.path)
            here = group_of(item)
            if here and here != group and here in GROUP_HEADINGS:
                yield Label(GROUP_HEADINGS[here], classes=first, id=f"heading-{here.replace('.', '-')}")
                first = ""
            group = here
            if item.widget == fields.NUMBER_W:  # counts sit two to a row, each with its name
                numbers += [Label(item.label), field_widget(item, value)]
                if len(numbers) == 4:
                    yield Horizontal(*numbers, classes="mi-row")
                    numbers = []
                continue
            yield from self._item(item, value, first)
        if numbers:
            yield Horizontal(*numbers, classes="mi-row")

    def _item(self, item: FormItem, value: Any, first: str) -> Iterator[Widget]:
        widget = field_widget(item, value, self.stories)
        if item.widget in (fields.CHECKBOX, fields.TRISTATE_W):
            yield widget
        elif item.id == "question":  # shown once "discuss in supervision" is ticked
            shown = self.entry.flags.discuss or bool(self.entry.question)
            yield Vertical(Label(item.label), widget, id="question-box", classes="" if shown else "-hidden")
        else:
            yield Label(item.label, classes=first, id=f"label-{item.id}")
            yield widget
            if item.id == "story-choice":
                yield Static("", id="story-text")
            elif item.id == "competencies":
                # The longest SAMHSA titles are clipped at 80 columns: the highlighted one is shown whole here.
                yield Static("", id="competency-full")


class ListenPage(StepPage):
    page = "listen"


class ReflectPage(StepPage):
    page = "reflect"


class SelectPage(StepPage):
    page = "select"

    DEFAULT_CSS = """
    SelectPage RadioSet {
        width: 1fr;
    }
    SelectPage SelectionList {
        height: auto;
        max-height: 10;
    }
    SelectPage #story-text {
        color: $text-muted;
        margin: 0 0 0 2;
    }
    SelectPage Tristate {
        margin-top: 1;
    }
    """


class SharePage(StepPage):
    page = "share"


class WrapUpPage(StepPage):
    page = "wrapup"

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        if event.selection_list.id != "competencies":
            return
        key = event.selection.value
        title = cycle.COMPETENCY_TITLES.get(key, "")
        clipped = len(f"{key:>4}  {title}") + 4 > event.selection_list.content_size.width
        self.query_one("#competency-full", Static).update(f"{key}. {title}" if title and clipped else "")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "competencies":
            self.query_one("#competency-full", Static).update("")

    DEFAULT_CSS = """
    WrapUpPage SelectionList {
        height: auto;
    }
    WrapUpPage .mi-row {
        height: 1;
        margin-top: 1;
    }
    WrapUpPage .mi-row Label {
        width: 15;
    }
    WrapUpPage .mi-row Input {
        width: 6;
        margin-right: 1;
    }
    WrapUpPage Checkbox {
        width: 1fr;
    }
    WrapUpPage #question-box {
        height: auto;
    }
    WrapUpPage #question-box > Label {
        margin-top: 1;
        color: $text-muted;
    }
    WrapUpPage #competency-full {
        height: auto;
        color: $text-muted;
        padding-left: 4;
    }
    WrapUpPage #question-box.-hidden {
        display: none;
    }
    """


PAGE_CLASSES: dict[str, type[StepPage]] = {
    c.page: c for c in (ListenPage, ReflectPage, SelectPage, SharePage, WrapUpPage)
}
