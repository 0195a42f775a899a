"""The encounter's pages: Listen, Reflect, Select, Share, and a wrap-up page.

Each page is a form (scrolling, so nothing is cut off at 80x24) with the step's
guiding questions from reflect.domain.cycle beside it. Pages only hold widgets; the
EncounterScreen reads and fills them by id, so the mapping from entry fields to
widgets lives in one place (FIELD_WIDGETS below).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

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

from reflect.domain import cycle
from reflect.domain.dates import DateError  # noqa: F401 - re-exported for the encounter screen
from reflect.domain.dates import parse_when as _parse_when

# Pages in order; the four cycle steps, then the wrap-up (competencies, MI, flags...).
PAGES: tuple[str, ...] = (*cycle.STEP_KEYS, "wrapup")
PAGE_TITLES: dict[str, str] = {**{s.key: s.title for s in cycle.STEPS}, "wrapup": "Wrap-up"}

# Dotted entry field (as in Entry.text_fields and privacy findings) -> (page, widget id).
# Page None means the context row above the pages.
FIELD_WIDGETS: dict[str, tuple[str | None, str]] = {
    "person": (None, "person"),
    "listen.story": ("listen", "story"),
    "listen.matters": ("listen", "matters"),
    "listen.themes": ("listen", "themes"),
    "reflect.experience": ("reflect", "experience"),
    "reflect.feelings": ("reflect", "feelings"),
    "reflect.impact": ("reflect", "impact"),
    "select.part": ("select", "part"),
    "share.how": ("share", "how"),
    "share.next_steps": ("share", "next_steps"),
    "share.differently": ("share", "differently"),
    "question": ("wrapup", "question"),
    "tags": ("wrapup", "tags"),
}
# Human names for fields, for the privacy prompt.
FIELD_LABELS: dict[str, str] = {
    "person": "Who (pseudonym)",
    "listen.story": "Listen: the person's story",
    "listen.matters": "Listen: what matters to them",
    "listen.themes": "Listen: themes",
    "reflect.experience": "Reflect: my related experience",
    "reflect.feelings": "Reflect: what it stirred",
    "reflect.impact": "Reflect: my own recovery",
    "select.part": "Select: the part of my story",
    "share.how": "Share: how I shared it",
    "share.next_steps": "Share: their next steps",
    "share.differently": "Share: what I'd do differently",
    "question": "Wrap-up: supervision question",
    "tags": "Wrap-up: tags",
    "crisis.notes": "Crisis: notes",
}

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


NEW_PART = "__new__"  # the story-bank choice "a new part, written here"


def field_base(name: str) -> str:
    """`listen.themes[2]` -> `listen.themes`: the widget that holds a list item."""
    return name.split("[", 1)[0]


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

    def __init__(self, question: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question = question

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


def _area(id: str) -> TextArea:
    return TextArea(id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False)


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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(id=f"page-{self.page}", **kwargs)

    def compose(self) -> ComposeResult:
        with Fields(classes="fields", id=f"fields-{self.page}"):
            yield from self.fields()
            yield _nav(self.page)
        yield _guide(self.page)

    def fields(self) -> Iterable[Widget]:  # pragma: no cover - overridden
        return ()


class ListenPage(StepPage):
    page = "listen"

    def fields(self) -> Iterable[Widget]:
        yield Label("The person's story: what happened, in their words", classes="first")
        area = _area("story")
        area.add_class("tall")
        yield area
        yield Label("What matters to them; what they want from it")
        yield _area("matters")
        yield Label("Themes heard (comma separated)")
        yield Input(id="themes", placeholder="e.g. housing, family, hope", compact=True)


class ReflectPage(StepPage):
    page = "reflect"

    def fields(self) -> Iterable[Widget]:
        yield Label("My related experience (lived or learned)", classes="first")
        yield _area("experience")
        yield Label("What it stirred; how I feel")
        yield _area("feelings")
        yield Label("Did it touch my own recovery?")
        yield _area("impact")


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

    def __init__(self, stories: list[tuple[str, str]], **kwargs: Any) -> None:
        self.stories = stories  # (label, story id) from the peer's story bank
        super().__init__(**kwargs)

    def fields(self) -> Iterable[Widget]:
        yield Label("My decision", classes="first")
        with RadioSet(id="decision"):
            for d in ("share", "hold", "undecided"):
                yield RadioButton(cycle.DECISION_LABELS[d], id=f"decision-{d}", compact=True)
        yield Label("From my story bank, or a new part")
        options = [("A new part, written here", NEW_PART), *self.stories]
        yield Select(options, id="story-choice", value=NEW_PART, allow_blank=False, compact=True)
        yield Static("", id="story-text")
        yield Label("The part (as I would tell it)")
        yield _area("part")
        yield Label("Purpose (space to tick)")
        yield SelectionList[str](*[Selection(p, p) for p in cycle.PURPOSES], id="purposes", compact=True)
        yield Label("The check before sharing (space: yes / no / -)")
        for key, question in cycle.CHECKS:
            yield Tristate(question, id=f"check-{key}")


class SharePage(StepPage):
    page = "share"

    def fields(self) -> Iterable[Widget]:
        yield Label("How I shared it (ask, share, ask)", classes="first")
        yield _area("how")
        yield Label("How it landed")
        yield Select([(r, r) for r in cycle.RESPONSES], id="response", value="unknown", allow_blank=False, compact=True)
        yield Label("The person's own next steps")
        yield _area("next_steps")
        yield Label("What I would do differently")
        yield _area("differently")


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

    def fields(self) -> Iterable[Widget]:
        yield Label("Flags", classes="first")
        for key in cycle.FLAGS:
            yield Checkbox(cycle.FLAG_LABELS[key], id=f"flag-{key}", compact=True)
        with Vertical(id="question-box", classes="-hidden"):
            yield Label("My question for supervision")
            yield _area("question")
        yield Label("Shared or private (you decide)")
        with RadioSet(id="visibility"):
            yield RadioButton("Shared: in my supervision reviews", id="visibility-shared", compact=True)
            yield RadioButton("Private: only for me", id="visibility-private", compact=True)
        yield Label("Tags (comma separated)")
        yield Input(id="tags", placeholder="e.g. group, new", compact=True)
        yield Label("SAMHSA competencies I used")
        yield SelectionList[str](
            *[Selection(f"{k:>4}  {title}", k) for k, title in cycle.COMPETENCIES], id="competencies", compact=True
        )
        # The longest SAMHSA titles are clipped at 80 columns: the highlighted one is shown whole here.
        yield Static("", id="competency-full")
        yield Label("MI: optional prompts for supervision, not scores")
        for pair in (cycle.OARS[:2], cycle.OARS[2:]):
            with Horizontal(classes="mi-row"):
                for key, label in pair:
                    yield Label(label)
                    yield Input(id=f"mi-{key}", restrict=r"\d{0,3}", max_length=3, compact=True, placeholder="0")
        yield Label("Change talk heard")
        yield SelectionList[str](*[Selection(label, key) for key, label in cycle.CHANGE_TALK], id="change_talk", compact=True)
