"""The review's dialogs: choose a cited entry, write the notes, add an action item, take
back a review kept as a draft.

Each is a modal over the review screen and dismisses with what was chosen or written,
or None when left; the review screen keeps the result until the meeting is recorded.
The writing dialogs ask before ctrl+q quits (the app's own ctrl+q would not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reflect.domain.agenda import clip_words
from reflect.domain.model import ActionItem

if TYPE_CHECKING:
    from reflect.usecases.reviewing import ReviewDraft


class QuitAsks:
    """ctrl+q in a writing dialog: the first press says what is not recorded, the second quits.

    Mixed into a ModalScreen; `check_consume_key` claims ctrl+q so the app's priority
    binding (quit at once) is left out of the chain and the dialog's own binding runs.
    """

    QUIT_WARNING = "Not recorded yet: ctrl+q again quits reflect (the review is kept as a draft)."
    _on_quit: Callable[[], None] | None = None
    _quit_armed = False

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key == "ctrl+q" or super().check_consume_key(key, character)  # type: ignore[misc]

    def action_quit_review(self) -> None:
        if not self._quit_armed:
            self._quit_armed = True
            self.notify(self.QUIT_WARNING, severity="warning")  # type: ignore[attr-defined]
            return
        if self._on_quit is not None:
            self._on_quit()
        else:
            self.app.exit()  # type: ignore[attr-defined]


class ItemPrompt:
    """An agenda item as a list row: the mark in its own column, so wrapped text hangs under the text."""

    def __init__(self, mark: str, text: str, extra: str = "", cites: str = "") -> None:
        self.mark, self.text, self.extra, self.cites = mark, text, extra, cites

    def __str__(self) -> str:
        return f"{self.mark} {self.text}{self.extra}{self.cites}".strip()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=5, no_wrap=True)
        grid.add_column(ratio=1)
        body = Text(self.text, style="italic dim" if not self.mark else "")
        body.append(self.extra, style="bold")
        body.append(self.cites, style="dim")
        grid.add_row(Text(f"  {self.mark}"), body)
        yield grid


class PickEntry(ModalScreen[str | None]):
    """Choose one of the entries an item cites."""

    DEFAULT_CSS = """
    PickEntry { align: center middle; }
    PickEntry > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PickEntry OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="review.pick.close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Which entry?")
            yield OptionList(*(Option(Content(label), id=eid) for eid, label in self.rows), id="pick")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


class NotesDialog(QuitAsks, ModalScreen[str | None]):
    """The meeting's notes; ctrl+s keeps them, escape leaves them as they were.

    `on_change` hears every change as it is typed, so the draft review holds the text
    even before ctrl+s (a crash in mid-sentence keeps the sentence)."""

    DEFAULT_CSS = """
    NotesDialog { align: center middle; }
    NotesDialog > Vertical {
        width: 76; max-width: 100%; height: 16;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NotesDialog TextArea { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep notes", id="review.notes.keep"),
        Binding("escape", "cancel", "Cancel", id="review.notes.cancel"),
        Binding("ctrl+q", "quit_review", "Quit", id="review.notes.quit", show=False),
    ]
    QUIT_WARNING = (
        "Not recorded yet: ctrl+s keeps the notes, then ctrl+r records the meeting; "
        "ctrl+q again quits reflect (the notes are kept as a draft)."
    )

    def __init__(
        self,
        notes: str,
        *,
        on_change: Callable[[str], None] | None = None,
        on_quit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.notes = notes
        self._on_change = on_change
        self._on_quit = on_quit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Meeting notes (ctrl+s to keep)")
            yield TextArea(self.notes, id="notes-text")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._on_change is not None:
            self._on_change(event.text_area.text)

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


# Only phrases the due-date reader takes (a test reads each one): "next friday" was
# suggested here and refused when typed (issue 9, item 14).
DUE_EXAMPLES = ("friday", "in 2 weeks")
DUE_PLACEHOLDER = "e.g. " + ", ".join(f'"{p}"' for p in DUE_EXAMPLES) + " (optional)"


class ActionDialog(QuitAsks, ModalScreen[ActionItem | None]):
    """A new action item: what, who, and when it is due (plain words: "friday", "in 2 weeks")."""

    DEFAULT_CSS = """
    ActionDialog { align: center middle; }
    ActionDialog > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ActionDialog .row { height: 3; }
    ActionDialog .row Label { width: 8; padding-top: 1; }
    ActionDialog .row Input { width: 1fr; }
    ActionDialog #action-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "add", "Add action", id="review.action.add"),
        Binding("escape", "cancel", "Cancel", id="review.action.cancel"),
        Binding("ctrl+q", "quit_review", "Quit", id="review.action.quit", show=False),
    ]
    QUIT_WARNING = (
        "Not recorded yet: ctrl+s adds the action, then ctrl+r records the meeting; "
        "ctrl+q again quits reflect (the review so far is kept as a draft, this action is not)."
    )

    def __init__(self, owner: str = "", *, on_quit: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.owner = owner
        self._on_quit = on_quit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New action item (enter moves on; ctrl+s adds)")
            with Horizontal(classes="row"):
                yield Label("What")
                yield Input(id="action-text", placeholder="what was agreed")
            with Horizontal(classes="row"):
                yield Label("Owner")
                yield Input(self.owner, id="action-owner", placeholder="who does it")
            with Horizontal(classes="row"):
                yield Label("Due")
                yield Input(id="action-due", placeholder=DUE_PLACEHOLDER)
            yield Static("", id="action-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#action-text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "action-due":
            self.action_add()
        else:
            self.focus_next()

    def _error(self, message: str) -> None:
        self.query_one("#action-error", Static).update(Content(message))

    def action_add(self) -> None:
        text = self.query_one("#action-text", Input).value.strip()
        if not text:
            self._error("Write what was agreed.")
            self.query_one("#action-text", Input).focus()
            return
        due_text = self.query_one("#action-due", Input).value.strip()
        due = None
        if due_text:
            from reflect.domain.dates import DateError, parse_when

            try:
                due = parse_when(due_text, end=True, future=True).date()
            except DateError as exc:
                self._error(f"Due: {exc}")
                self.query_one("#action-due", Input).focus()
                return
        owner = self.query_one("#action-owner", Input).value.strip()
        self.dismiss(ActionItem(text=text, owner=owner, due=due))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ResumeDraft(ModalScreen[bool]):
    """A review of this peer was left unrecorded (a quit, a crash): take it back, or start afresh."""

    DEFAULT_CSS = """
    ResumeDraft { align: center middle; }
    ResumeDraft > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("enter,r", "resume", "Resume it", id="review.resume.resume"),
        Binding("d", "discard", "Discard it", id="review.resume.discard"),
        Binding("escape", "resume", "Resume", id="review.resume.escape", show=False),
    ]

    def __init__(self, peer: str, draft: ReviewDraft) -> None:
        super().__init__()
        self.peer = peer
        self.draft = draft

    def compose(self) -> ComposeResult:
        saved = ""
        if self.draft.saved is not None:
            local = self.draft.saved.astimezone()
            saved = f" (kept {local.day} {local:%b %H:%M})"
        with Vertical():
            yield Label(Content(f"A review of {self.peer or '(no peer)'} was not recorded{saved}:"))
            yield Static(Content(f"  {self.draft.summary()}"), id="resume-summary")
            yield Label("enter resumes it · d discards it and starts afresh")
        yield Footer()

    def action_resume(self) -> None:
        self.dismiss(True)

    def action_discard(self) -> None:
        self.dismiss(False)


class ConfirmRecord(ModalScreen[bool]):
    """Recording with items not discussed: say how many and which, safety first, and ask.

    `rows` are (section title, item text) in agenda order, so safety items lead."""

    DEFAULT_CSS = """
    ConfirmRecord { align: center middle; }
    ConfirmRecord > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConfirmRecord #confirm-rows { height: auto; max-height: 12; color: $text-muted; }
    """
    BINDINGS = [
        Binding("y,enter", "record", "Record anyway", id="review.confirm.record"),
        Binding("n,escape", "back", "Back to the agenda", id="review.confirm.back"),
    ]
    SHOWN = 6  # items named; the rest are counted by section

    def __init__(self, total: int, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.total = total
        self.rows = rows

    def question(self) -> str:
        n = len(self.rows)
        safety = sum(1 for title, _ in self.rows if title == "Safety first")
        lead = f"{n} of {self.total} item{'' if self.total == 1 else 's'} not discussed"
        if safety:
            lead += f", {safety} of them under Safety first"
        return lead + ". Record the meeting anyway?"

    def details(self) -> str:
        lines = []
        for title, text in self.rows[: self.SHOWN]:
            lines.append(f"  {title}: {clip_words(text, 60)}")
        rest = self.rows[self.SHOWN :]
        if rest:
            counts: dict[str, int] = {}
            for title, _ in rest:
                counts[title] = counts.get(title, 0) + 1
            lines.append("  and " + ", ".join(f"{k} more in {t}" for t, k in counts.items()))
        return "\n".join(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled(self.question(), "bold"), id="confirm-question")
            yield Static(Content(self.details()), id="confirm-rows")
            yield Label("y records anyway · n goes back to the agenda")
        yield Footer()

    def action_record(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
