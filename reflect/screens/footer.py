"""The footer every reflect screen shows: Textual's, rebuilt only when its keys change.

Textual's footer rebuilds itself (every key widget made and styled again) at each
bindings refresh: three to four times as a screen opens, and again at every focus move,
Tab between fields included, though the keys it shows rarely change. That rebuilding was
about a quarter of the time a new encounter took to appear.

A footer whose screen is hidden (home under an encounter, an encounter under the opaque
crisis panel; not one under a see-through dialog) is not rebuilt at all: its keys changed
as it lost the focus, and rebuilding it then, and again as it came back, cost 15 to 30 ms
each just after the new screen appeared, while the peer typed. It is brought up to date
when its screen shows again.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey  # the key widget Textual's footer composes

CRISIS_KEY = "ctrl+x"  # the app's crisis binding (screens/app.py)
NARROW = 76  # below this many columns the keys sit closer and the palette key goes, so ^x Crisis shows


class Footer(TextualFooter):
    """Rebuilds only when the keys it would show (or how they read) differ from those shown."""

    _shown: tuple[Any, ...] | None = None
    _narrow: bool | None = None  # below NARROW columns; None until its first resize

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._always_compact = bool(kwargs.get("compact", False))  # a screen that asked for it

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        if not self._always_compact:
            self.compact = narrow
            self.show_command_palette = not narrow  # ctrl+p still opens it; help names it
        self.call_after_refresh(self.recompose)

    def _keys(self) -> tuple[Any, ...]:
        app = self.app
        return (self.show_command_palette, self._narrow) + tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.show,
             binding.group, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )  # fmt: skip

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)

    def _in_view(self) -> bool:
        """Its screen is on top, or beneath a see-through dialog (Textual's is_current
        also counts the screen under an opaque one, which hides it)."""
        top = self.app.screen
        return top is self.screen or (self.screen.is_current and top.styles.background.a < 1)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen:  # shown again: its keys as they are now
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        if not self._bindings_ready or not self.is_attached:
            await super().recompose()
            return
        if not self._in_view():
            return  # hidden: rebuilt, if its keys changed, when its screen shows again
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()

    def compose(self) -> ComposeResult:
        """Textual's keys; narrow, the crisis key leads: a screen with many keys of its own
        (the review) otherwise pushes it past the edge, and safety comes first."""
        keys = super().compose()
        grouped = any(b.group is not None for _n, b, _e, _t in self.screen.active_bindings.values())
        if not self._narrow or grouped:  # a key group is built inside its `with`: kept in order
            yield from keys
            return
        held: list[Widget] = []
        for key in keys:
            if isinstance(key, FooterKey) and key.key == CRISIS_KEY:
                yield key
                yield from held
                held = []
                yield from keys
                return
            held.append(key)
        yield from held
