"""The meeting record's details, asked when a meeting is recorded: length, kind, delivery,
whether practice was observed, a summary, comments on competence and areas to grow.

What boards ask a supervision record to hold (domain.md, "Documenting supervision"). The
length comes prefilled from the time the review screen was open, rounded to 15 minutes.
The dialog dismisses with what was typed and whether to record: leaving it (esc) keeps
the typed details on the review screen, so ctrl+r brings them back; every change is
heard as it is made (`on_change`), so the draft review holds them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static, TextArea

from reflect.screens.review_dialogs import QuitAsks
from reflect.usecases.meetings import DELIVERIES, KINDS, MAX_MINUTES, Details

DELIVERY_LABELS = {"in-person": "in person", "video": "video", "phone": "phone"}
TEXTS = (("summary", "Summary: what was covered (no client details)"), ("competence", "Competence"),
         ("growth_areas", "Areas to grow"))  # fmt: skip
LABELS = {"minutes": "Length", "kind": "Kind", "delivery": "Delivery", **{k: v.split(":")[0] for k, v in TEXTS}}


@dataclass(frozen=True)
class Given:
    """What the dialog hands back: the details as typed, and whether to record them now."""

    details: Details
    record: bool


class RecordDialog(QuitAsks, ModalScreen[Given]):
    """The meeting's details; ctrl+s records, esc goes back to the agenda (keeping them)."""

    DEFAULT_CSS = """
    RecordDialog { align: center middle; }
    RecordDialog > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    RecordDialog .row { height: auto; }
    RecordDialog .row > Label { width: 10; }
    RecordDialog .row > #record-minutes-unit { width: auto; color: $text-muted; }
    RecordDialog #record-minutes { width: 6; }
    RecordDialog RadioSet { layout: horizontal; height: auto; width: auto; border: none; padding: 0; }
    RecordDialog RadioSet > RadioButton { width: auto; margin-right: 2; }
    RecordDialog Checkbox { margin-left: 10; }
    RecordDialog TextArea { height: 3; background: $boost; }
    RecordDialog #record-summary { height: 4; }
    RecordDialog #record-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "record", "Record meeting", id="review.record.save"),
        Binding("escape", "back", "Back to the agenda", id="review.record.back"),
        Binding("ctrl+q", "quit_review", "Quit", id="review.record.quit", show=False),
    ]
    QUIT_WARNING = (
        "Not recorded yet: ctrl+s records the meeting; ctrl+q again quits reflect "
        "(the review and these details are kept as a draft)."
    )

    def __init__(
        self,
        details: Details,
        *,
        focus: str | None = None,
        on_change: Callable[[Details], None] | None = None,
        on_quit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.details = details
        self._focus = focus
        self._on_change = on_change
        self._on_quit = on_quit
        self._ready = False  # changes made by on_mount (pressing the radio buttons) are not the person's

    def compose(self) -> ComposeResult:
        d = self.details
        with Vertical():
            yield Label("Record the meeting (tab moves on; ctrl+s records)")
            with Horizontal(classes="row"):
                yield Label("Length")
                yield Input(str(d.minutes), id="record-minutes", compact=True, restrict=r"\d{0,4}", max_length=4)
                yield Label(" minutes (from the time the review was open, to 15)", id="record-minutes-unit")
            with Horizontal(classes="row"):
                yield Label("Kind")
                yield RadioSet(*[RadioButton(k, id=f"record-kind-{k}", compact=True) for k in KINDS], id="record-kind", compact=True)
            with Horizontal(classes="row"):
                yield Label("Delivery")
                yield RadioSet(
                    *[RadioButton(DELIVERY_LABELS[k], id=f"record-delivery-{k}", compact=True) for k in DELIVERIES],
                    id="record-delivery", compact=True,
                )  # fmt: skip
            yield Checkbox("Practice was observed", d.observed, id="record-observed", compact=True)
            for name, label in TEXTS:
                yield Label(label)
                yield TextArea(getattr(d, name), id=f"record-{name.replace('_', '-')}", soft_wrap=True,
                               tab_behavior="focus", show_line_numbers=False, compact=True)  # fmt: skip
            yield Static("", id="record-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Pressed once mounted: a button pressed before leaves the set's highlight behind.
        self.query_one(f"#record-kind-{self.details.kind}", RadioButton).value = True
        self.query_one(f"#record-delivery-{self.details.delivery}", RadioButton).value = True
        first = self.query_one(self.widget_id(self._focus or "minutes"))
        first.focus()
        if isinstance(first, TextArea):  # back to edit it: at the end of what was typed
            first.move_cursor(first.document.end)
        self.call_after_refresh(self._start_hearing)

    def _start_hearing(self) -> None:
        self._ready = True

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _typed(self) -> None:
        if self._ready and self._on_change is not None:
            self._on_change(self.typed())

    @on(Input.Submitted, "#record-minutes")
    def _length_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @staticmethod
    def widget_id(field: str) -> str:
        return f"#record-{field.replace('_', '-')}"

    def _chosen(self, set_id: str, choices: tuple[str, ...], default: str) -> str:
        pressed = self.query_one(set_id, RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return default
        return next((c for c in choices if pressed.id.endswith(f"-{c}")), default)

    def typed(self) -> Details:
        """The details as they stand in the dialog (minutes 0 when the box is empty)."""
        minutes = self.query_one("#record-minutes", Input).value.strip()
        return Details(
            minutes=int(minutes) if minutes else 0,
            kind=self._chosen("#record-kind", KINDS, self.details.kind),
            delivery=self._chosen("#record-delivery", DELIVERIES, self.details.delivery),
            observed=self.query_one("#record-observed", Checkbox).value,
            summary=self._text("summary"),
            competence=self._text("competence"),
            growth_areas=self._text("growth_areas"),
        )

    def _text(self, field: str) -> str:
        return self.query_one(self.widget_id(field), TextArea).text

    def action_record(self) -> None:
        details = self.typed()
        if not 1 <= details.minutes <= MAX_MINUTES:
            self.query_one("#record-error", Static).update(f"Length: the minutes the meeting took, 1 to {MAX_MINUTES}.")
            self.query_one("#record-minutes", Input).focus()
            return
        self.dismiss(Given(details, record=True))

    def action_back(self) -> None:
        self.dismiss(Given(self.typed(), record=False))
