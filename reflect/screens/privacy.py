"""The privacy prompt: before saving, point out free text that looks like an identifier.

It names each field and the kind of identifier, never the value (repeating it on
screen spreads exactly what we warn about). It never refuses: the peer chooses
to edit a field or to save anyway.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from reflect.domain.privacy import KINDS, Finding
from reflect.screens.steps import FIELD_LABELS, field_base

SAVE_ANYWAY = "save"


def _label(field: str) -> str:
    base = field_base(field)
    return FIELD_LABELS.get(base, base)


class PrivacyPrompt(ModalScreen[str | None]):
    """Dismisses with SAVE_ANYWAY, the dotted field to edit, or None (back to the form)."""

    DEFAULT_CSS = """
    PrivacyPrompt {
        align: center middle;
    }
    PrivacyPrompt > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    PrivacyPrompt #privacy-title {
        text-style: bold;
    }
    PrivacyPrompt #privacy-why {
        color: $text-muted;
        margin-bottom: 1;
    }
    PrivacyPrompt OptionList {
        height: auto;
        max-height: 10;
    }
    PrivacyPrompt .buttons {
        height: 1;
        margin-top: 1;
    }
    PrivacyPrompt .buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back to the entry"),
        Binding("e", "edit", "Edit the field"),
        Binding("a", "save_anyway", "Save anyway"),
    ]

    def __init__(self, findings: list[Finding], *, labels: Mapping[str, str] | None = None, what: str = "entry") -> None:
        """`labels` names the fields of another record than an entry (a meeting's summary);
        `what` is what esc goes back to."""
        super().__init__()
        self.labels = labels
        self.what = what
        # One row per field and kind; offsets do not matter to the peer.
        seen: dict[tuple[str, str], None] = {}
        for f in findings:
            seen.setdefault((field_base(f.field), f.kind), None)
        self.rows = list(seen)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Does this identify someone?", id="privacy-title")
            yield Static(
                "The journal should hold pseudonyms or initials only. "
                f"Enter edits the highlighted field; esc goes back to the {self.what}.",
                id="privacy-why",
            )
            yield OptionList(
                # One option per finding row: a field with two kinds of identifier holds two rows,
                # so the row number, not the field, makes the id unique.
                *[
                    Option(f"{self._field_label(field)}: looks like {KINDS[kind]}", id=f"finding-{n}")
                    for n, (field, kind) in enumerate(self.rows)
                ],
                id="privacy-findings",
                compact=True,
            )
            with Horizontal(classes="buttons"):
                yield Button("Edit (e)", id="privacy-edit", variant="primary", compact=True)
                yield Button("Save anyway (a)", id="privacy-save", compact=True)

    def _field_label(self, field: str) -> str:
        return _label(field) if self.labels is None else self.labels.get(field_base(field), field_base(field))

    def on_mount(self) -> None:
        findings = self.query_one(OptionList)
        findings.highlighted = 0
        findings.focus()

    def _highlighted_field(self) -> str:
        findings = self.query_one(OptionList)
        index = findings.highlighted or 0
        return self.rows[index][0]

    def action_edit(self) -> None:
        self.dismiss(self._highlighted_field())

    def action_save_anyway(self) -> None:
        self.dismiss(SAVE_ANYWAY)

    def action_back(self) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.rows[event.option_index][0])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "privacy-save":
            self.action_save_anyway()
        else:
            self.action_edit()
