"""The crisis panel: crisis lines, one guidance sentence, and what was done.

Safety comes first, so the panel opens from any step with one key. It gives no
clinical advice and does not assess risk: it shows the lines from settings and
asks which actions were taken and when the supervisor was told. Escape always
closes it; nothing here can trap a peer who needs to act.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from reflect.domain import cycle
from reflect.domain.model import Crisis
from reflect.domain.settings import CrisisLine

from reflect.screens.styled import StyledOnce, classes_for_size
from reflect.screens.steps import DateError, describe_when, parse_when, show_when, when_problem


class ActionList(SelectionList[str]):
    """The crisis actions; space ticks at once, in the order the keys came.

    SelectionList ticks through a message to itself, so a ctrl+s typed right after space
    read the list before the tick (saved "actions: []").
    """

    def action_select(self) -> None:
        self._toggle_highlighted_selection()


class CrisisPanel(StyledOnce, ModalScreen[Crisis | None]):
    """Dismisses with the Crisis record to save, or None when closed (escape).

    The actions list has focus from the first frame: a peer in a crisis types ctrl+x,
    down, space, ctrl+s without waiting, and every one of those keys must land here.
    """

    AUTO_FOCUS = "#crisis-actions"

    DEFAULT_CSS = """
    /* Opaque: a see-through modal redraws the whole encounter beneath it, dimmed, which
       made the panel take several times as long as a plain screen to appear. */
    CrisisPanel {
        align: center middle;
        background: $background;
    }
    CrisisPanel > #crisis-panel {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $error;
        border-title-color: $error;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    CrisisPanel #crisis-body {
        height: auto;
        max-height: 1fr;
    }
    /* A short terminal (60x20): the body scrolls, so the buttons stay on screen. */
    CrisisPanel.-short > #crisis-panel {
        height: 100%;
    }
    CrisisPanel.-short #crisis-body {
        height: 1fr;
    }
    CrisisPanel #crisis-guidance {
        margin: 1 0;
        color: $text-muted;
    }
    CrisisPanel SelectionList {
        height: auto;
    }
    CrisisPanel .row {
        height: 1;
    }
    CrisisPanel .row Label {
        width: auto;
        padding-right: 1;
    }
    CrisisPanel #told-at {
        width: 22;
    }
    CrisisPanel #told-hint {
        width: 1fr;
        color: $text-muted;
        padding-left: 1;
    }
    CrisisPanel #told-hint.-error {
        color: $error;
    }
    CrisisPanel #crisis-notes {
        height: 2;
    }
    CrisisPanel .buttons {
        height: 1;
        margin: 1 0 0 0;
    }
    CrisisPanel .buttons Button {
        margin-right: 2;
    }
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]

    BINDINGS = [
        Binding("escape", "close", "Close (crisis stays marked)"),
        # Not a priority binding: it must wait behind the keys typed before it, which the
        # focused list handles in its own queue (a priority ctrl+s overtook them).
        Binding("ctrl+s", "confirm", "Save what was done"),
    ]

    def __init__(
        self,
        lines: list[CrisisLine],
        crisis: Crisis | None = None,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self.lines = lines
        self.crisis = crisis or Crisis()
        self.clock = clock
        # Built as it is made: an encounter makes and mounts its panel ahead (see
        # EncounterScreen.mount_panel_ahead), so ctrl+x only shows it.
        self._panel = self._build()

    def shows(self, lines: list[CrisisLine], crisis: Crisis | None) -> bool:
        """Whether this panel, not yet shown (built, or mounted ahead), was built from these
        lines and this crisis."""
        return not self._shown_once and self.lines == lines and self.crisis == (crisis or Crisis())

    def compose(self) -> ComposeResult:
        classes_for_size(self)
        yield self._panel

    def _build(self) -> Vertical:
        lines: list[str | tuple[str, str]] = []
        for line in self.lines:
            lines += [(line.name, "bold"), f": {line.how}\n"]
        told = self.crisis.supervisor_notified_at
        panel = Vertical(
            VerticalScroll(
                Static(Content.assemble(*lines).rstrip(), id="crisis-lines"),
                Static(cycle.CRISIS_GUIDANCE, id="crisis-guidance"),
                Label("What was done (space ticks)"),
                ActionList(
                    *[Selection(label, key, key in self.crisis.actions) for key, label in cycle.CRISIS_ACTIONS],
                    id="crisis-actions",
                    compact=True,
                ),
                Horizontal(
                    Label("Supervisor told"),
                    Input(
                        "" if told is None else show_when(told),
                        id="told-at",
                        placeholder="now, 10 minutes ago",
                        compact=True,
                    ),
                    Static("", id="told-hint"),
                    classes="row",
                ),
                Label("Notes (what happened next; no identifying details)"),
                TextArea(self.crisis.notes, id="crisis-notes", soft_wrap=True, tab_behavior="focus", compact=True),
                id="crisis-body",
            ),
            Horizontal(
                Button("Save what was done (ctrl+s)", id="crisis-save", variant="error", compact=True),
                Button("Close (esc)", id="crisis-close", compact=True),
                classes="buttons",
            ),
            id="crisis-panel",
        )
        panel.border_title = "Crisis: safety first"
        panel.border_subtitle = "esc closes"
        return panel

    def on_mount(self) -> None:
        # Not `.focus()`: that waits in the app's queue behind keys already typed, which
        # then reached no widget ("Crisis recorded" with no actions).
        self.set_focus(self.query_one("#crisis-actions", SelectionList))

    def _told_at(self) -> datetime | None:
        """The supervisor time typed, or None when blank. Raises DateError when unreadable."""
        text = self.query_one("#told-at", Input).value.strip()
        if not text:
            return None
        return parse_when(text, now=self.clock())

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "told-at":
            return
        hint = self.query_one("#told-hint", Static)
        try:
            at = self._told_at()
        except DateError:
            hint.update(when_problem(self.query_one("#told-at", Input).value))
            hint.add_class("-error")
            return
        hint.remove_class("-error")
        hint.update("" if at is None else f"→ {describe_when(at)}")
        if at is not None:
            self.query_one("#crisis-actions", SelectionList).select("supervisor-notified")

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        """Ticking "supervisor notified" with no time fills in "now", visibly, to be corrected."""
        told = self.query_one("#told-at", Input)
        if "supervisor-notified" in event.selection_list.selected and not told.value.strip():
            told.value = "now"

    def action_close(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        try:
            at = self._told_at()
        except DateError as exc:
            self.notify(f"Supervisor time: {exc}", severity="error")
            self.query_one("#told-at").focus()
            return
        actions = list(self.query_one("#crisis-actions", SelectionList).selected)
        actions = [k for k in cycle.CRISIS_ACTION_KEYS if k in actions]
        if at is None and "supervisor-notified" in actions:
            at = self.clock()  # what the time field shows once the tick's message arrives
        notes = self.query_one("#crisis-notes", TextArea).text
        self.dismiss(Crisis(actions=actions, supervisor_notified_at=at, notes=notes))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "crisis-save":
            self.action_confirm()
        else:
            self.action_close()
