"""The choice when a save finds the entry changed or deleted by another process.

Saving over it silently would undo the other change, so nothing is saved until the peer
chooses: keep mine as a copy, take theirs, or overwrite. The text names no content of
either version (no person, no story): only what happened and what each choice does.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

KEEP_COPY = "copy"
TAKE_THEIRS = "theirs"
OVERWRITE = "overwrite"


class ConflictPrompt(ModalScreen[str | None]):
    """Dismisses with KEEP_COPY, TAKE_THEIRS, OVERWRITE, or None (back to the form, nothing saved)."""

    DEFAULT_CSS = """
    ConflictPrompt {
        align: center middle;
    }
    ConflictPrompt > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    ConflictPrompt #conflict-title {
        text-style: bold;
    }
    ConflictPrompt #conflict-why {
        color: $text-muted;
        margin-bottom: 1;
    }
    ConflictPrompt .buttons {
        height: auto;
    }
    ConflictPrompt .buttons Button {
        margin-right: 1;
    }
    """

    BINDINGS = [
        Binding("c", "choose('copy')", "Keep mine as a copy"),
        Binding("t", "choose('theirs')", "Take theirs"),
        Binding("o", "choose('overwrite')", "Overwrite"),
        Binding("escape", "back", "Back to the entry"),
    ]

    def __init__(self, *, deleted: bool) -> None:
        super().__init__()
        self.deleted = deleted

    def compose(self) -> ComposeResult:
        if self.deleted:
            title = "This entry was deleted since you opened it"
            what = "Another reflect (a window or a command) deleted it."
            theirs, overwrite = "t  Leave it deleted", "o  Restore it with mine"
        else:
            title = "This entry was changed since you opened it"
            what = "Another reflect (a window or a command) saved a newer version."
            theirs, overwrite = "t  Take theirs", "o  Overwrite theirs"
        with Vertical():
            yield Static(title, id="conflict-title")
            yield Static(f"{what} Nothing is saved until you choose; esc goes back to your text.", id="conflict-why")
            with Horizontal(classes="buttons"):
                yield Button("c  Keep mine as a copy", id=f"conflict-{KEEP_COPY}", variant="primary")
                yield Button(theirs, id=f"conflict-{TAKE_THEIRS}")
                yield Button(overwrite, id=f"conflict-{OVERWRITE}", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("conflict-") or None)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_back(self) -> None:
        self.dismiss(None)
