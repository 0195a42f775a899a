"""Screens mounted before they are shown: `n` and ctrl+x then only show them.

Pushing a screen composes it, mounts and styles each of its widgets, then lays it out and
draws it. For the new encounter and the crisis panel, whose inputs, lists and text areas
are styled part by part, composing and mounting was more than half the time to their first
frame. A screen mounted here, in a quiet moment before, does that work then: Textual
starts a screen that is not on the stack just as `push_screen` would (it registers it with
the app), and a push of a running screen only shows it. Until it is pushed it is not the
app's screen, so it takes no keys and draws nothing.

A screen mounted ahead and never shown is taken down by `drop` when it is no longer
wanted, and with the app (ReflectApp._shutdown) as the screens on the stack are, from
the screen down, while the app still runs: Textual's own last sweep closes what is left in
no order, and once the app has stopped, a screen still mounting no longer waits for its
parts (a select list then mounted without its own, and the app crashed as it quit).
"""

from __future__ import annotations

import asyncio
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.screen import Screen
from textual.widget import AwaitMount

MOUNT_WAIT = 2.0  # seconds a screen mounting ahead is waited for before it is taken down

# Each screen mounted ahead, with the app's CSS count as it was styled (see missed_restyle).
_STYLED_AT: WeakKeyDictionary[Screen[Any], int] = WeakKeyDictionary()


def mount_hidden(app: App[Any], screen: Screen[Any]) -> None:
    """Compose and mount `screen` now, off the stack (see the module); not once the app is
    closing, when nothing would take it down in order."""
    if not screen.is_running and app.is_running and not app._exit and not app._closing:
        _STYLED_AT[screen] = app._css_update_count
        app._register(app, screen)  # what App._get_screen does for a screen about to be pushed


def drop(screen: Screen[Any] | None) -> None:
    """Take down a screen mounted ahead and never shown, once it has finished mounting."""
    if screen is not None and _registered(screen) and not _stacked(screen):
        screen.app.call_later(take_down, screen)


async def take_down(screen: Screen[Any]) -> None:
    """Remove `screen` (mounted ahead, never shown) once its mount has ended: pruning a
    screen still mounting had a select list mount after its parts were gone (a crash)."""
    try:
        await asyncio.wait_for(AwaitMount(screen, [screen]), MOUNT_WAIT)
    except asyncio.TimeoutError:
        pass
    if _registered(screen) and not _stacked(screen):
        await screen.app._prune(screen)


def hidden_screens(app: App[Any]) -> list[Screen[Any]]:
    """The screens mounted ahead and not shown (a screen shown and closed is removed)."""
    return [screen for screen in list(_STYLED_AT) if _registered(screen) and not _stacked(screen)]


def _stacked(screen: Screen[Any]) -> bool:
    """On a stack of any mode (shown, or beneath what is)."""
    return any(screen is s for stack in screen.app._screen_stacks.values() for s in stack)


def _registered(screen: Screen[Any]) -> bool:
    """Mounted (or mounting: its message pump may not have run yet), not taken down."""
    return screen in screen.app._registry


def missed_restyle(screen: Screen[Any]) -> bool:
    """Whether `screen`, mounted ahead, missed a restyle of the app (a theme changed while it
    waited): Textual restyles only the screens on the stack."""
    styled_at = _STYLED_AT.get(screen)
    return styled_at is not None and styled_at != screen.app._css_update_count
