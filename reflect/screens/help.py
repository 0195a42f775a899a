"""Help (? or F1): every key of the screen beneath, the row markers, the search syntax.

Built from the live bindings, so it never disagrees with the footer.
"""

from __future__ import annotations

import textwrap

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reflect.screens.bindings import screen_bindings
from reflect.screens.query import FLAG_HELP, SYNTAX
from reflect.screens.widgets import MARKERS

KEY_WIDTH = 18  # the widest key column ("up/down, pgup/pgdn")
# Textual's own bindings, said the way the rest of the help says things.
FRIENDLY = {"app.focus_next": "Next field", "app.focus_previous": "Previous field"}
BOX_WIDTH = 78  # the help box (#help-box), narrower on a narrower terminal
BOX_SPARE = 10  # its borders, padding and scrollbar, the gap after the keys, and 2 spare
TEXT_WIDTH = BOX_WIDTH - BOX_SPARE - KEY_WIDTH  # the text column beside the keys, at most (50)


def text_width(columns: int, key_width: int) -> int:
    """The text column beside keys `key_width` wide in a terminal `columns` wide: the text is
    wrapped to it by hand, with a hanging indent, so Textual never wraps it again under the keys."""
    return max(min(TEXT_WIDTH, min(columns, BOX_WIDTH) - BOX_SPARE - key_width), 12)


def _order(node: DOMNode, binding: Binding, beneath: Screen, own: set[str]) -> int:
    """Safety first (the crisis key), then the screen's own keys, the app's, the widgets'."""
    if binding.action == "crisis":
        return -1
    if node is beneath and binding.action in own:
        return 0
    return 1 if isinstance(node, App) else 2


class HelpScreen(ModalScreen[None]):
    """Keys for the screen you came from, and what the markers mean."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def __init__(self, beneath: Screen) -> None:
        super().__init__()
        self.beneath = beneath
        self._columns = 0  # the terminal width the text was wrapped for

    def on_resize(self) -> None:
        if min(self.app.size.width, BOX_WIDTH) != min(self._columns, BOX_WIDTH):
            self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        rows: list[tuple[str, str]] = []
        own = {b.action for b in type(self.beneath).BINDINGS if isinstance(b, Binding)}
        found = screen_bindings(self.beneath)
        found.sort(key=lambda nb: _order(nb[0], nb[1], self.beneath, own))
        for _node, binding in found:
            if binding.description:
                text = FRIENDLY.get(binding.action) or binding.tooltip or binding.description
                rows.append((self.app.get_key_display(binding), text))
        # A screen's own line for keys the bindings already list ("tab / shift+tab" beside
        # tab and shift+tab) is left out: help listed Tab twice on the encounter.
        listed = {key for key, _ in rows}
        for key, text in getattr(self.beneath, "HELP_EXTRA", []):
            if not {k.strip() for k in key.replace(",", "/").split("/")} <= listed:
                rows.append((key, text))
        seen: set[str] = set()
        keys: list[Content] = []
        width = min(KEY_WIDTH, max((len(k) for k, _ in rows), default=1))
        self._columns = self.app.size.width
        wrap = text_width(self._columns, width)
        for key, text in rows:
            if key in seen:
                continue
            seen.add(key)
            # Wrap by hand with a hanging indent, so a long line stays in the text column.
            lines = textwrap.wrap(text, wrap) or [""]
            body = ("\n" + " " * (width + 2)).join(lines)
            keys.append(Content.assemble((f"{key:>{width}}", "bold $accent"), "  ", body))
        with Vertical(id="help-box", classes="dialog"):
            yield Static(Content.styled("Help  (esc closes)", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(Content("\n").join(keys), id="help-keys")
                yield Static(Content.styled("Markers on each row", "bold"), classes="help-heading")
                yield Static(
                    Content("\n").join(
                        Content.assemble((f"{mark:>{width}}", style), "  ", label) for _k, mark, label, style in MARKERS
                    ),
                    id="help-markers",
                )
                yield Static(Content.styled("Search (press /)", "bold"), classes="help-heading")
                yield Static(
                    Content(
                        f"{SYNTAX}\n"
                        "Words match any text in an entry. Combine as many conditions as you like; "
                        f"all must hold. Flags: {FLAG_HELP}. "
                        'Dates read like "yesterday", "last tuesday", "2 weeks ago" or 2024-05-01.'
                    ),
                    id="help-search",
                )

    def action_close(self) -> None:
        self.dismiss()
