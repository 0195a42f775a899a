"""Small pieces shared by the screens: flag markers, time labels, a confirm dialog.

Markers are letters and symbols so a row reads the same without colour (NO_COLOR);
colour only adds emphasis.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reflect.domain import cycle, dates
from reflect.domain.crisis import is_crisis
from reflect.domain.model import Entry

_STYLES = {
    "crisis": "$error bold",
    "boundary": "$warning bold",
    "discuss": "$accent bold",
    "self_care": "$success",
    "celebrate": "$warning",
    "private": "$secondary",
}
# (key, marker, label, style): cycle.MARKS with colour; one fixed slot per marker so columns line up.
MARKERS: tuple[tuple[str, str, str, str], ...] = tuple((k, m, label, _STYLES[k]) for k, m, label in cycle.MARKS)


def entry_markers(entry: Entry) -> Content:
    """Six fixed slots, one per flag; a blank slot when the flag is off."""
    parts: list[str | tuple[str, str]] = []
    for key, mark, _label, style in MARKERS:
        parts.append((mark, style) if flag_on(entry, key) else " ")
    return Content.assemble(*parts)


def flag_on(entry: Entry, key: str) -> bool:
    """Whether a marker shows: private by visibility, crisis by the one crisis rule (the
    box or a kept crisis record, as the agenda and `flag:crisis` read it), the rest by flag."""
    if key == "private":
        return entry.private
    return is_crisis(entry) if key == "crisis" else bool(getattr(entry.flags, key))


def format_when(dt: datetime, now: datetime | None = None) -> str:
    """A short, human time label (dates.format_when, with `now` as the screens' clock)."""
    return dates.format_when(dt, now=now)


def clip(text: str, width: int) -> str:
    """Pad or cut to exactly `width` cells (ASCII-ish text: pseudonyms, settings)."""
    text = " ".join(text.split())
    if len(text) > width:
        return text[: width - 1] + "…"
    return text.ljust(width)


class ConfirmDialog(ModalScreen[bool]):
    """Ask yes or no; dismisses with True only on an explicit yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="error")
                yield Button(f"{self.no_label} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

