"""The future-date prompt: before saving, an encounter dated ahead of now is pointed out.

An encounter has happened, so a date in the future is most often a slip ("tomorrow"
for "yesterday", a wrong month) that would put the entry in the wrong place of every
list and agenda. Like the privacy prompt it never refuses: change the date, or save
anyway (an entry written ahead of time, on purpose).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

SAVE_ANYWAY = "save"
CHANGE_DATE = "date"


class FutureDatePrompt(ModalScreen[str | None]):
    """Dismisses with SAVE_ANYWAY, CHANGE_DATE, or None (back to the form)."""

    DEFAULT_CSS = """
    FutureDatePrompt {
        align: center middle;
    }
    FutureDatePrompt > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    FutureDatePrompt #future-title {
        text-style: bold;
    }
    FutureDatePrompt .buttons {
        height: 1;
        margin-top: 1;
    }
    FutureDatePrompt .buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back to the entry"),
        Binding("d", "change_date", "Change the date"),
        Binding("a", "save_anyway", "Save anyway"),
    ]

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("This encounter is dated in the future", id="future-title")
            yield Static(
                f"When reads as {self.when}, which is after now. "
                "d changes the date; a saves it as it is; esc goes back to the entry.",
                id="future-why",
            )
            with Horizontal(classes="buttons"):
                yield Button("Change the date (d)", id="future-date", variant="primary", compact=True)
                yield Button("Save anyway (a)", id="future-save", compact=True)

    def on_mount(self) -> None:
        self.query_one("#future-date", Button).focus()

    def action_change_date(self) -> None:
        self.dismiss(CHANGE_DATE)

    def action_save_anyway(self) -> None:
        self.dismiss(SAVE_ANYWAY)

    def action_back(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(SAVE_ANYWAY if event.button.id == "future-save" else CHANGE_DATE)
