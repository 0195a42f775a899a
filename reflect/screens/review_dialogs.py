"""The review's dialogs: choose a cited entry, write the notes, add an action item.

Each is a modal over the review screen and dismisses with what was chosen or written,
or None when left; the review screen keeps the result until the meeting is recorded.
"""

from __future__ import annotations

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

from reflect.domain.model import ActionItem


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


class NotesDialog(ModalScreen[str | None]):
    """The meeting's notes; ctrl+s keeps them, escape leaves them as they were."""

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
    ]

    def __init__(self, notes: str) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Meeting notes (ctrl+s to keep)")
            yield TextArea(self.notes, id="notes-text")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ActionDialog(ModalScreen[ActionItem | None]):
    """A new action item: what, who, and when it is due (plain words: "next friday")."""

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
    ]

    def __init__(self, owner: str = "") -> None:
        super().__init__()
        self.owner = owner

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
                yield Input(id="action-due", placeholder='e.g. "next friday", "in 2 weeks" (optional)')
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
