"""Shared helpers for the encounter tests: a frozen clock, the real app, typing, waiting."""

from __future__ import annotations

from typing import Any

from collections.abc import Callable
from datetime import datetime, timezone

from textual.pilot import Pilot

from reflect.screens.app import ReflectApp
from reflect.screens.encounter import EncounterScreen
from reflect.store import Journal

FROZEN = datetime(2025, 3, 14, 10, 30, tzinfo=timezone.utc)
SIZE = (80, 24)


def frozen() -> datetime:
    return FROZEN


def new_app(journal: Journal | None = None, start: str = "new") -> ReflectApp:
    return ReflectApp(journal or Journal(), start=start, clock=frozen)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key, as a peer would (newlines as enter)."""
    keys = ["enter" if ch == "\n" else ch for ch in text]
    await pilot.press(*keys)


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys as a terminal delivers a fast typist's burst: all queued at once, with no
    waiting for the app between them (pilot.press lets the app go idle after each key)."""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    assert app._driver is not None
    for key in keys:
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """Let messages, timers and thread workers finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(
    pilot: Pilot, condition: Callable[[], bool], what: str = "condition", *, seconds: float = 8.0
) -> None:
    """Let the app run until `condition()` holds (timers and workers finish in their own time);
    give up after `seconds`."""
    for _ in range(round(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"gave up waiting for {what}")


async def home_ready(pilot: Pilot) -> Any:
    """Home at the bottom of the stack, with its list and its glance loaded."""
    from reflect.screens.home import HomeScreen

    home = pilot.app.screen_stack[0]
    assert isinstance(home, HomeScreen)
    await wait_for(pilot, lambda: home.ready and home.glance_ready, "home to load", seconds=10.0)
    await pilot.pause()
    return home


def encounter(pilot: Pilot) -> EncounterScreen:
    screen = pilot.app.screen
    assert isinstance(screen, EncounterScreen), f"expected the encounter screen, got {screen!r}"
    return screen
