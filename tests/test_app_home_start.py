"""Home's first frame lists the entries (issue 9, item 18: home ready fast).

The app reads home's first page ahead, on a thread started as it is built; home takes it
on mount and lists it before its first frame, instead of drawing "Loading…" and then
everything again. The glance (a thread reading 16 weeks) waits until the list is drawn.
A slow disk is stood in for by a read that sleeps: the frames home draws are recorded.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from reflect.domain.model import Entry, Listen, now
from reflect.screens import home as home_module
from reflect.screens.app import ReflectApp
from reflect.screens.home import EntryList, HomeScreen
from reflect.store import Journal
from reflect.usecases import browsing
from encounter_helpers import wait_for

SLOW = 0.3  # seconds the stand-in for a slow disk adds to reading the first page


class Recording(ReflectApp):
    """The app, noting how many rows home's list holds in each frame it draws."""

    CSS_PATH = str(Path(home_module.__file__).with_name("reflect.tcss"))  # relative to a subclass's module otherwise
    frames: list[int]

    def _display(self, screen: Any, renderable: Any) -> None:  # Textual's one way to the terminal
        if renderable is not None and isinstance(screen, HomeScreen) and screen.query(EntryList):
            self.frames.append(screen.query_one(EntryList).option_count)
        super()._display(screen, renderable)


def journal_of(path: Path, n: int = 3) -> Journal:
    journal = Journal(path)
    start = now() - timedelta(days=1)
    journal.import_records([Entry(occurred=start + timedelta(minutes=i), person=f"P{i}", listen=Listen(story=f"story {i}"))
                            for i in range(n)])  # fmt: skip
    return journal


def slow_reads(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every first-page read takes SLOW seconds longer; returns when each one started."""
    started: list[float] = []
    older = browsing.older

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.append(time.monotonic())
        time.sleep(SLOW)
        return older(*args, **kwargs)

    monkeypatch.setattr(browsing, "older", slow)
    return started


async def test_the_first_frame_lists_the_entries(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = journal_of(db_path)
    slow_reads(monkeypatch)
    monkeypatch.setattr(home_module, "READ_AHEAD_WAIT", 30.0, raising=False)  # never give up in a test
    app = Recording(Journal(db_path))
    app.frames = []
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: home.ready and home.glance_ready, "home to load")
        assert app.frames and app.frames[0] == 3, app.frames  # never an empty "Loading…" frame first
        ids = [o.id for o in home.query_one(EntryList)._options]
        assert ids == [f"entry:{e.id}" for e in journal.recent(3)]


async def test_the_glance_is_read_after_the_list_is_drawn(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal_of(db_path)
    monkeypatch.setattr(home_module, "READ_AHEAD_WAIT", 30.0, raising=False)
    frames_at_glance: list[list[int]] = []
    read_glance = HomeScreen._read_glance

    def noted(self: HomeScreen) -> None:
        frames_at_glance.append(list(app.frames))
        read_glance(self)

    monkeypatch.setattr(HomeScreen, "_read_glance", noted)
    app = Recording(Journal(db_path))
    app.frames = []
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen_stack[0]
        await wait_for(pilot, lambda: home.glance_ready, "the glance")
    assert frames_at_glance and 3 in frames_at_glance[0], frames_at_glance


async def test_a_read_slower_than_the_wait_shows_loading_then_the_entries(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal_of(db_path)
    started = slow_reads(monkeypatch)
    monkeypatch.setattr(home_module, "READ_AHEAD_WAIT", 0.0)
    app = Recording(Journal(db_path))
    app.frames = []
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen_stack[0]
        await wait_for(pilot, lambda: home.ready and home.glance_ready, "home to load")
        assert app.frames[0] == 0 and app.frames[-1] == 3, app.frames
    assert len(started) == 1  # the worker waited for the read ahead: the page was read once


async def test_a_journal_that_does_not_read_says_so_on_home(db_path: Path) -> None:
    journal = journal_of(db_path)
    month = sorted(journal.entries_dir.iterdir())[0]
    month.write_text("{not json", encoding="utf-8")
    app = ReflectApp(Journal(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen_stack[0]
        await wait_for(pilot, lambda: home.ready, "home to give up")
        status = str(home.query_one("#status").render())
        assert month.name in status or "damaged" in status or "corrupt" in status.casefold(), status


async def test_the_collector_is_back_once_the_first_frame_is_drawn(db_path: Path) -> None:
    import gc

    journal_of(db_path)
    app = Recording(Journal(db_path))
    app.frames = []
    gc.disable()  # as `reflect` starts the app (cli/opening.py app_starting)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            home = app.screen_stack[0]
            await wait_for(pilot, lambda: home.ready and gc.isenabled() and home.glance_ready, "the collector")
            assert app.frames and app.frames[0] == 3
    finally:
        gc.enable()


async def test_a_glance_read_after_home_started_closing_is_dropped(db_path: Path) -> None:
    """The glance now starts after the list is drawn; a quit meanwhile took its widgets
    down before it arrived (NoMatches from the worker, seen once in this file)."""
    from reflect.screens.home import Glance

    journal_of(db_path)
    app = ReflectApp(Journal(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: home.ready and home.glance_ready, "home to load")
        await home.query_one("#glance").remove()  # as the screen's teardown does
        home._show_glance(Glance([0] * 16, "Next supervision: …", 3, 0))


async def test_a_page_read_ahead_then_changed_on_disk_is_read_again(db_path: Path) -> None:
    """The app reads home's page as it is built; an entry saved between then and home's
    mount (another process, a script) is listed at once, not after the next poll."""
    journal_of(db_path)
    app = Recording(Journal(db_path))
    app.frames = []
    assert app.read_ahead is not None and app.read_ahead.wait(30.0) is not None
    Journal(db_path).save(Entry(occurred=now(), person="Late", listen=Listen(story="saved meanwhile")))
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen_stack[0]
        await wait_for(pilot, lambda: home.ready, "home to load")
        assert home.query_one(EntryList).option_count == 4
        assert "Late" in str(home.query_one(EntryList).get_option_at_index(0).prompt)
