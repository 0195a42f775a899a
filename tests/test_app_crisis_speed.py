"""What makes the crisis panel and the next screens quick to appear (issue 9, item 18).

The figures are bench/bench_tmux.py's; these tests hold the two causes found, without a clock.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from typing import Any

import pytest
from textual import events
from textual.screen import Screen
from textual.app import App
from textual.widgets import SelectionList, Static, TextArea
from textual.widgets._footer import FooterKey

from encounter_helpers import SIZE, home_ready, new_app, settle, wait_for
from reflect.domain import cycle
from reflect.domain.settings import CrisisLine
from reflect.screens.app import ReflectApp
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.footer import Footer
from reflect.store import Journal

ROOT = Path(__file__).resolve().parent.parent


async def test_the_crisis_panel_is_opaque_so_the_form_beneath_is_not_redrawn() -> None:
    """A see-through modal makes Textual redraw the whole encounter beneath, dimmed."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EncounterScreen)
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, CrisisPanel)
        assert app.screen.styles.background.a == 1


def test_home_imports_the_next_screens_once_it_is_ready(tmp_path: Path) -> None:
    """A fresh interpreter (as `reflect` starts): after home shows its list, the encounter
    and the entry view are imported off the UI thread, not when the person presses a key."""
    code = textwrap.dedent(f"""
        import asyncio, sys
        sys.path.insert(0, {str(ROOT)!r})
        from reflect.store import Journal
        from reflect.screens.app import ReflectApp
        async def main():
            app = ReflectApp(Journal({str(tmp_path / "j.json")!r}))
            async with app.run_test(size=(80, 24)) as pilot:
                before = "reflect.screens.encounter" in sys.modules
                wanted = ("reflect.screens.encounter", "reflect.screens.entry_view", "reflect.screens.help")
                # Wait for the warm-up itself (its timer starts the worker a little after
                # home is ready, so "no worker running" was no sign that it had run).
                for _ in range(1500):
                    await pilot.pause(0.02)
                    if getattr(app.screen, "ready", False) and all(m in sys.modules for m in wanted):
                        break
                await app.workers.wait_for_complete()
                print(before, all(m in sys.modules for m in wanted))
        asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"REFLECT_CONFIG": str(tmp_path / "s.json"), "HOME": str(tmp_path),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["False", "True"], done.stdout


# --- first-use costs paid while the peer reads home, and each style applied once ---------------


def css_sources(app: ReflectApp) -> set[tuple[str, str]]:
    return set(app.stylesheet.source)


async def test_home_primes_the_styles_so_n_and_ctrl_x_add_no_css(tmp_path: Path) -> None:
    """The first `n` and ctrl+x of a session added a dozen widget classes' CSS to the
    stylesheet, each addition parsing it again while the peer waited: once home is ready,
    the warm-up adds them all, so opening the encounter and the panel adds none."""
    app = new_app(Journal(tmp_path / "j.json"), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        primed = ("EncounterScreen.DEFAULT_CSS", "CrisisPanel.DEFAULT_CSS")
        await wait_for(pilot, lambda: all(any(k[1] == name for k in css_sources(app)) for name in primed),
                       "the warm-up to prime the styles")  # fmt: skip
        before = css_sources(app)
        await pilot.press("n", "ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await settle(pilot)
        assert css_sources(app) - before == set()


def looks(screen: Screen[Any]) -> list[tuple[object, ...]]:
    """What styling decides for each widget of `screen`."""
    return [
        (w.id, w.styles.color, w.styles.background, w.styles.border, w.styles.height, w.styles.width,
         w.styles.padding, w.styles.display, w.styles.text_style)
        for w in screen.query("*")
    ]  # fmt: skip


async def test_a_new_screen_is_styled_once_as_it_first_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual styles a pushed screen's widgets as they mount, then all of them again as the
    screen first shows; the encounter and the crisis panel skip that second pass, and look
    exactly as they would have with it."""
    resumed: list[tuple[str, bool]] = []
    original = Screen._on_screen_resume

    def spy(self: Screen[Any], event: events.ScreenResume) -> None:
        resumed.append((type(self).__name__, event.refresh_styles))
        original(self, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", spy)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        encounter = app.screen
        assert isinstance(encounter, EncounterScreen)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await settle(pilot)
        assert ("EncounterScreen", False) in resumed and ("CrisisPanel", False) in resumed, resumed
        for screen in (encounter, app.screen):
            shown = looks(screen)
            screen.update_node_styles(animate=False)  # the pass skipped
            assert looks(screen) == shown


async def test_the_panel_built_ahead_is_the_one_shown(tmp_path: Path) -> None:
    """Once the encounter is on screen it builds its crisis panel ahead, so ctrl+x only mounts it."""
    app = new_app(Journal(tmp_path / "j.json"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        encounter = app.screen
        assert isinstance(encounter, EncounterScreen)
        await wait_for(pilot, lambda: encounter._spare_panel is not None, "the panel built ahead")
        spare = encounter._spare_panel
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        assert app.screen is spare


async def test_a_panel_built_ahead_shows_the_crisis_lines_as_they_are_now(tmp_path: Path) -> None:
    """Crisis lines changed (another process, `reflect config`) after the panel was built
    ahead: ctrl+x shows the lines as they are now, not as they were."""
    journal = Journal(tmp_path / "j.json")
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        encounter = app.screen
        assert isinstance(encounter, EncounterScreen)
        await wait_for(pilot, lambda: encounter._spare_panel is not None, "the panel built ahead")
        settings = journal.settings()
        settings.crisis_lines = [CrisisLine("Night line Qzx", "call 0800 000 000")]
        journal.save_settings(settings)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        lines = str(app.screen.query_one("#crisis-lines", Static).render())
        assert "Night line Qzx" in lines


async def test_ctrl_x_again_shows_what_was_saved_the_first_time(tmp_path: Path) -> None:
    """The panel built ahead for a second ctrl+x is built from the crisis just saved."""
    journal = Journal(tmp_path / "j.json")
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+x", "down", "space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter again")
        await settle(pilot)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        ticked = list(app.screen.query_one("#crisis-actions", SelectionList).selected)
        assert ticked == [cycle.CRISIS_ACTION_KEYS[1]]
        await settle(pilot)
    saved = journal.recent(5)
    assert [e.crisis.actions for e in saved if e.crisis] == [[cycle.CRISIS_ACTION_KEYS[1]]]


async def test_a_hidden_screens_footer_is_not_rebuilt_and_is_right_when_it_shows_again(tmp_path: Path) -> None:
    """Home's footer was rebuilt as an encounter opened over it (and the encounter's as the
    crisis panel opened), 15 to 30 ms each just after the new screen appeared; a hidden
    footer now waits, and is brought up to date when its screen shows again."""
    app = new_app(Journal(tmp_path / "j.json"), start="home")
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        await settle(pilot)
        footer = home.query_one(Footer)
        keys = list(footer.query(FooterKey))
        shown = [k.description for k in keys]
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        encounter = app.screen
        await settle(pilot)
        assert list(footer.query(FooterKey)) == keys  # the same widgets: not rebuilt while hidden
        own = list(encounter.query_one(Footer).query(FooterKey))
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await settle(pilot)
        assert list(encounter.query_one(Footer).query(FooterKey)) == own
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is encounter, "the encounter again")
        await settle(pilot)
        assert "Save" in [k.description for k in encounter.query_one(Footer).query(FooterKey)]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is home, "home again")
        await settle(pilot)
        assert [k.description for k in footer.query(FooterKey)] == shown
        assert footer._shown == footer._keys()  # up to date with home's keys


@pytest.mark.parametrize(("size", "wanted"), [((60, 20), "-narrow"), ((80, 24), "-wide")])
async def test_the_first_frame_is_laid_out_for_the_terminals_width(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], wanted: str
) -> None:
    """The encounter's -narrow/-wide class came from the Resize after its first frame: at 60
    columns the first frame was laid out for a wide terminal, then every widget restyled."""
    first: dict[str, set[str]] = {}
    display = App._display

    def spy(self: App[Any], screen: Screen[Any], renderable: object) -> None:
        first.setdefault(type(screen).__name__, set(screen.classes))
        display(self, screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "_display", spy)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert wanted in first["EncounterScreen"]
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await settle(pilot)
        assert ("-short" if size[1] < 24 else "-tall") in first["CrisisPanel"]


async def test_a_new_screen_is_not_laid_out_again_at_the_size_it_was_laid_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual followed a pushed screen's first layout with a Resize at the same size, and laid
    the whole screen out again (60 ms of CPU for the encounter, ahead of the next key); a real
    resize afterwards still lays it out for the new size."""
    resized: list[tuple[str, tuple[int, int]]] = []
    original = Screen._screen_resized

    def spy(self: Screen[Any], size: Any) -> None:
        resized.append((type(self).__name__, tuple(size)))
        original(self, size)

    monkeypatch.setattr(Screen, "_screen_resized", spy)
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await settle(pilot)
        encounter = app.screen
        assert isinstance(encounter, EncounterScreen)
        assert ("EncounterScreen", SIZE) not in resized, resized
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert ("EncounterScreen", (60, 20)) in resized
        assert "-narrow" in encounter.classes
        assert encounter.query_one("#context").region.height == 2  # the row in two lines


async def test_typing_does_not_lay_the_whole_screen_out_at_each_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key updated the status line with what it already said, and Static.update lays the
    screen out again: 11 keys, 13 layouts of the whole encounter."""
    layouts: list[str] = []
    original = Screen._refresh_layout

    def spy(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", spy)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        layouts.clear()
        await pilot.press(*"hello there")
        await settle(pilot)
        assert layouts.count("EncounterScreen") <= 3, layouts
        area = app.screen.query_one("#story", TextArea)
        assert area.text == "hello there"
