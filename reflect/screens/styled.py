"""A screen styled once as it first appears, not twice.

Textual styles every widget as it is mounted, then, when a pushed screen is first shown
(its ScreenResume), styles the whole screen again in case the theme or the classes
changed while it was hidden. A screen shown for the first time was never hidden: that
second pass is the same work again, and for the crisis panel and the encounter, whose
inputs, lists and text areas are styled part by part, it was about a fifth of the time
to their first frame. Later resumes (after a dialog over them closes) still restyle.
"""

from __future__ import annotations

from textual import events


class StyledOnce:
    """Mixed into a Screen: its first ScreenResume skips the restyle (see the module)."""

    _shown_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Handlers run from the most derived class down, so this runs before Screen's own.
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False

