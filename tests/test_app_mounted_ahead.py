"""The next new encounter and its crisis panel are mounted while the peer reads home
(screens/ahead.py), so `n` and ctrl+x only show them. A screen mounted ahead must act as
one built at `n`: this moment's time, the theme and size of now, nothing written until it
is shown, nothing left behind when it closes or the app quits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from textual.color import Color
from textual.widgets import Input, TextArea

from encounter_helpers import FROZEN, SIZE, burst, home_ready, settle, wait_for
from reflect.screens.ahead import hidden_screens
from reflect.screens.app import ReflectApp
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.steps import show_when
from reflect.store import Journal

ROOT = Path(__file__).resolve().parent.parent


def clocked() -> tuple[ReflectApp, list]:
    now = [FROZEN]
    return ReflectApp(Journal(), start="home", clock=lambda: now[0]), now


async def mounted_ahead(pilot, home) -> EncounterScreen:
    await wait_for(pilot, lambda: home._next_encounter is not None and home._next_encounter._mounted,
                   "the next encounter to be mounted ahead")  # fmt: skip
    screen = home._next_encounter
    await wait_for(pilot, lambda: screen._spare_panel is not None and screen._spare_panel.is_mounted,
                   "its crisis panel to be mounted ahead")  # fmt: skip
    return screen


async def test_n_and_ctrl_x_show_screens_already_mounted() -> None:
    app, now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        ahead = await mounted_ahead(pilot, home)
        panel = ahead._spare_panel
        assert app.screen is home  # mounted, not shown: home still takes the keys
        now[0] = FROZEN + timedelta(minutes=50)
        await burst(pilot, "n", *"typed at once", "ctrl+x", "down", "space", "ctrl+s")
        await settle(pilot)
        assert app.screen is ahead
        assert ahead.query_one("#story", TextArea).text == "typed at once"
        assert ahead.query_one("#when", Input).value == show_when(now[0])
        assert not panel.is_running  # shown, saved and closed
        [saved] = Journal().recent()
        assert saved.occurred == now[0] and saved.flags.crisis and saved.crisis is not None
        assert saved.crisis.actions and saved.listen.story == "typed at once"


async def test_quitting_with_screens_mounted_ahead_writes_nothing() -> None:
    """A screen mounted ahead was never opened: quitting keeps no draft of it."""
    app, _now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        await mounted_ahead(pilot, home)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert Journal().drafts() == [] and Journal().recent() == []


def test_quitting_while_the_screens_are_mounting_does_not_crash(tmp_path: Path) -> None:
    """The app quits the moment the next screens are imported, as they start to mount (a
    select list mounted after its parts were taken down, and the app crashed as it quit)."""
    code = textwrap.dedent(f"""
        import asyncio, sys
        sys.path.insert(0, {str(ROOT)!r})
        from reflect.store import Journal
        from reflect.screens.app import ReflectApp
        async def main():
            app = ReflectApp(Journal({str(tmp_path / "j.json")!r}))
            async with app.run_test(size=(80, 24)) as pilot:
                for _ in range(1500):
                    await pilot.pause(0.01)
                    if app.screen_stack[0]._next_encounter is not None:
                        break
                print("mounting", app.screen_stack[0]._next_encounter is not None)
        asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"REFLECT_CONFIG": str(tmp_path / "s.json"), "HOME": str(tmp_path),
                               "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["mounting", "True"], done.stdout


async def test_a_theme_changed_while_it_waited_reaches_the_encounter() -> None:
    app, _now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        ahead = await mounted_ahead(pilot, home)
        before = ahead.styles.background
        app.action_toggle_theme()
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is ahead
        assert ahead.styles.background != before
        assert ahead.styles.background == Color.parse(app.current_theme.background)


async def test_a_resize_while_they_waited_reaches_the_encounter_and_its_panel() -> None:
    """Mounted ahead at 80x24 (-wide, -tall), shown at 60x20: each has the small terminal's
    layout (-narrow, -short)."""
    app, _now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        ahead = await mounted_ahead(pilot, home)
        panel = ahead._spare_panel
        assert ahead.has_class("-wide") and panel.has_class("-tall")
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is ahead
        assert ahead.has_class("-narrow") and not ahead.has_class("-wide")
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert app.screen is panel
        assert panel.has_class("-short") and not panel.has_class("-tall")


async def test_an_encounter_closed_leaves_no_screen_mounted_behind() -> None:
    """Its crisis panel, mounted ahead and never shown, goes with it."""
    app, _now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        first = await mounted_ahead(pilot, home)
        old_panel = first._spare_panel
        await burst(pilot, "n", *"one", "escape")
        await settle(pilot)
        await wait_for(pilot, lambda: home._next_encounter not in (None, first), "the next one to be built")
        second = await mounted_ahead(pilot, home)
        await settle(pilot)
        assert set(map(id, hidden_screens(app))) == {id(second), id(second._spare_panel)}
        assert not old_panel.is_running and old_panel not in app._registry
        assert isinstance(second._spare_panel, CrisisPanel)


def test_settling_memory_frees_what_a_closed_encounter_held(tmp_path: Path) -> None:
    """Started as `reflect` starts it (the collector off until the first frame): once an
    encounter mounted ahead has been shown and closed, the next whole settle frees it,
    though an earlier settle froze it while it waited."""
    code = textwrap.dedent(f"""
        import asyncio, gc, sys, weakref
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from reflect.cli.opening import app_starting
        from reflect.store import Journal
        from reflect.screens.app import ReflectApp
        from encounter_helpers import wait_for, home_ready
        import reflect.screens.home as home_module
        home_module.SETTLE_ALL_QUIET = 0.3  # the whole settle after a quiet of 0.3 s, not 5
        async def main():
            app = ReflectApp(Journal({str(tmp_path / "j.json")!r}))
            async with app.run_test(size=(80, 24)) as pilot:
                home = await home_ready(pilot)
                await wait_for(pilot, lambda: home._next_encounter is not None and home._next_encounter._mounted, "ahead")
                first = weakref.ref(home._next_encounter)
                await pilot.pause(0.8)  # settled: the screen waiting is frozen
                frozen = gc.get_freeze_count()
                await pilot.press("n")
                await pilot.pause(0.3)
                await pilot.press("escape")
                await wait_for(pilot, lambda: home._next_encounter not in (None, first()), "the next one")
                try:  # settled whole again, once 0.3 s pass without a key (longer on a loaded machine)
                    await wait_for(pilot, lambda: first() is None, "the first encounter freed", seconds=10)
                except AssertionError:
                    pass
                print("frozen", frozen > 0, "freed", first() is None)
        with app_starting():
            asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"REFLECT_CONFIG": str(tmp_path / "s.json"), "HOME": str(tmp_path),
                               "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-4:] == ["frozen", "True", "freed", "True"], done.stdout


async def test_work_done_ahead_waits_while_keys_come() -> None:
    """A step asked for while the peer types runs only once the keys have stopped for a
    moment (it would hold up the screen a key opens), and then it does run. (A quiet of
    a second here, so that the test's own pace between keys cannot pass for a pause.)"""
    from time import monotonic

    app, _now = clocked()
    ran: list[float] = []
    quiet = 1.0
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await pilot.press("slash")
        typed = app._last_key  # when the app took that key
        app.when_quiet(lambda: ran.append(monotonic()), quiet=quiet)
        for ch in "housing":
            await pilot.press(ch)
            assert app._last_key > typed
            typed = app._last_key
            await pilot.pause(quiet / 4)
            assert not ran, "ran between keys typed a quarter of the quiet apart"
        await wait_for(pilot, lambda: bool(ran), "the step to run once the keys stop")
    assert ran[0] - typed >= quiet


async def test_edits_and_drafts_leave_the_encounter_mounted_ahead_for_the_next_n() -> None:
    """An edit or a resumed draft opens a screen of its own: the one mounted ahead waits
    for the next `n` (it was forgotten, still mounted: each edit left two more screens)."""
    from reflect.domain.model import Entry

    Journal().save(Entry(occurred=FROZEN - timedelta(days=1)))
    app, _now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        ahead = await mounted_ahead(pilot, home)
        for _ in range(3):
            await burst(pilot, "e", "escape")  # edit the newest entry, leave it unchanged
            await settle(pilot)
        await burst(pilot, "n", *"a draft", "escape")
        await settle(pilot)
        assert app.screen is home and ahead.is_running is False  # shown, then closed
        await wait_for(pilot, lambda: home._next_encounter not in (None, ahead), "the next one")
        second = await mounted_ahead(pilot, home)
        await burst(pilot, "home", "enter", "escape")  # resume the draft, leave it
        await settle(pilot)
        assert home._next_encounter is second
        assert set(map(id, hidden_screens(app))) == {id(second), id(second._spare_panel)}


async def test_a_whole_settle_is_asked_for_once_however_many_encounters_close() -> None:
    """Counted as asked for, with a quiet no test reaches: counted as run, it depended on
    whether the machine was slow enough for a quiet of its own to pass mid-test (then a
    second one was rightly asked for, and the test failed under load)."""
    import reflect.screens.home as home_module
    import reflect.screens.memory as memory_module

    app, _now = clocked()
    asked: list[int] = []
    runs: list[int] = []
    when_quiet = app.when_quiet

    def spy(step, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(step, "__name__", "") == "_settle_all" and kwargs.get("after", 0) > 0:
            asked.append(1)  # asked for (its own waiting calls again, with no `after`)
        when_quiet(step, **kwargs)

    app.when_quiet = spy  # type: ignore[method-assign]
    # From the start: the warm-up's own request is made before home is ready.
    quiet, home_module.SETTLE_ALL_QUIET = home_module.SETTLE_ALL_QUIET, 3600.0
    try:
        async with app.run_test(size=SIZE) as pilot:
            original, memory_module.settle_all = memory_module.settle_all, lambda: runs.append(1)
            try:
                home = await home_ready(pilot)
                await mounted_ahead(pilot, home)
                await pilot.pause(2 * home_module.STEP_GAP + 0.3)
                assert runs == []  # no key yet is not a quiet of an hour: the app has just started
                for _ in range(3):
                    ahead = await mounted_ahead(pilot, home)
                    await burst(pilot, "n", "escape")
                    await wait_for(pilot, lambda: home._next_encounter not in (None, ahead), "the next one")
                await mounted_ahead(pilot, home)
                assert asked == [1] and runs == []
                home._settle_all()  # as the long quiet would: the next encounter closed asks again
                ahead = home._next_encounter
                await burst(pilot, "n", "escape")
                await wait_for(pilot, lambda: home._next_encounter not in (None, ahead), "the next one")
                await mounted_ahead(pilot, home)
            finally:
                memory_module.settle_all = original
    finally:
        home_module.SETTLE_ALL_QUIET = quiet
    assert asked == [1, 1] and runs == [1]
