"""The footer every reflect screen shows: Textual's, rebuilt only when its keys change.

Textual's footer rebuilds itself (every key widget made and styled again) at each
bindings refresh: three to four times as a screen opens, and again at every focus move,
Tab between fields included, though the keys it shows rarely change. That rebuilding was
about a quarter of the time a new encounter took to appear.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Footer as TextualFooter

NARROW = 76  # below this many columns the keys sit closer and the palette key goes, so ^x Crisis shows


class Footer(TextualFooter):
    """Rebuilds only when the keys it would show (or how they read) differ from those shown."""

    _shown: tuple[Any, ...] | None = None

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.compact:
            self.compact = narrow
            self.show_command_palette = not narrow  # ctrl+p still opens it; help names it
            self.call_after_refresh(self.recompose)

    def _keys(self) -> tuple[Any, ...]:
        app = self.app
        return (self.show_command_palette,) + tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.show,
             binding.group, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )  # fmt: skip

    async def recompose(self) -> None:
        if not self._bindings_ready or not self.is_attached:
            await super().recompose()
            return
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()
