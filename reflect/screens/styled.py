"""A screen styled once as it first appears, not three times.

Textual styles every widget as it is mounted, then, when a pushed screen is first shown
(its ScreenResume), styles the whole screen again in case the theme or the classes
changed while it was hidden. A screen shown for the first time was never hidden: that
second pass is the same work again, and for the crisis panel and the encounter, whose
inputs, lists and text areas are styled part by part, it was about a fifth of the time
to their first frame. Later resumes (after a dialog over them closes) still restyle.

A screen with breakpoints (the encounter's -narrow/-wide, the crisis panel's
-short/-tall) got its class only from the Resize that follows its first frame: the
first frame was laid out for the wrong width at 60 columns, and the class change styled
every widget once more, just after the screen appeared. `classes_for_size` sets the
class as the screen composes, before its widgets are styled, so that Resize changes
nothing. And that Resize, at the very size the screen was just laid out at, had Textual
lay the whole screen out and draw it again (60 ms of CPU for the encounter, just after
it appeared, ahead of the next key): a screen showing for the first time skips it.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen

from reflect.screens.ahead import missed_restyle


class StyledOnce:
    """Mixed into a Screen: its first ScreenResume skips the restyle (see the module)."""

    _shown_once = False
    _resized_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Handlers run from the most derived class down, so this runs before Screen's own.
        if not self._shown_once:
            self._shown_once = True
            if not (isinstance(self, Screen) and missed_restyle(self)):
                event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        """The Resize that follows the first layout, at that layout's size, is not laid out
        again (see the module); any later Resize, or one of another size, is Textual's."""
        if self._resized_once:
            return
        self._resized_once = True
        screen = self if isinstance(self, Screen) else None
        if screen is not None and screen.stack_updates and event.size == screen.size:
            event.prevent_default()  # Screen's own handler (next in line) does not run


def classes_for_size(screen: Screen[Any]) -> None:
    """Give `screen` the breakpoint classes of the terminal's size now (call in compose)."""
    width, height = screen.app.size
    for breakpoints, size in ((screen.HORIZONTAL_BREAKPOINTS, width), (screen.VERTICAL_BREAKPOINTS, height)):
        names = {name for _, name in breakpoints or []}
        chosen = next((name for at, name in sorted(breakpoints or [], reverse=True) if size >= at), None)
        screen.update_classes({name: name == chosen for name in names}, animate=False)
