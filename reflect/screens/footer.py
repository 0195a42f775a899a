"""The footer every reflect screen shows: Textual's, rebuilt only when its keys change.

Textual's footer rebuilds itself (every key widget made and styled again) at each
bindings refresh: three to four times as a screen opens, and again at every focus move,
Tab between fields included, though the keys it shows rarely change. That rebuilding was
about a quarter of the time a new encounter took to appear.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Rebuilds only when the keys it would show (or how they read) differ from those shown."""

    _shown: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[Any, ...]:
        app = self.app
        return tuple(
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
