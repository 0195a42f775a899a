"""The caseload screen: one row per peer at 80x24, enter opens that peer's agenda from
their packet, esc comes back, ctrl+x opens the crisis panel as on every screen. Keys go in
as a terminal sends them (`burst`: no pause between them)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import DataTable, Static

from caseload_helpers import NOW, SECRET_STORY, files, key  # noqa: F401 - fixtures
from encounter_helpers import SIZE, burst, wait_for
from reflect.screens.app import ReflectApp
from reflect.screens.caseload import AgendaScreen, CaseloadScreen
from reflect.screens.crisis import CrisisPanel
from reflect.store import Journal, identity
from reflect.usecases import packets
from reflect.usecases.caseload import caseload


def _app(files: list[str], key: tuple[Path, str]) -> tuple[ReflectApp, list[str]]:
    opened = identity.from_secret(key[0].read_text())
    texts: dict[str, str] = {}

    def read(path: str) -> str:
        if path not in texts:
            texts[path] = packets.read_document(path, opened)
        return texts[path]

    journal = Journal(os.environ["REFLECT_DB"])
    built = caseload(files, journal, rules="dc", read=read, now=NOW)
    app = ReflectApp(journal, first=lambda: CaseloadScreen(built, files, read), clock=lambda: NOW)
    return app, list(texts)


async def test_rows_fit_80x24_and_enter_opens_the_peers_agenda(files: list[str], key: tuple[Path, str]) -> None:
    app, _ = _app(files, key)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CaseloadScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 4
        assert [str(table.get_row_at(i)[1]).strip() for i in range(4)] == ["ann", "bob", "cat", "dan"]
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        assert screen.query_one("#caseload-why", Static).region.bottom <= SIZE[1]
        why = str(screen.query_one("#caseload-why", Static).render())
        assert "not told" in why and SECRET_STORY not in why
        await burst(pilot, "down", "enter")  # bob: read from the sealed packet, the newer of his two
        await wait_for(pilot, lambda: isinstance(app.screen, AgendaScreen), "the agenda")
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen) and agenda.agenda.peer == "bob"
        shown = str(agenda.query_one("#agenda-text", Static).render())
        assert "Safety first" in shown
        await burst(pilot, "escape")
        assert app.screen is screen


async def test_a_private_crisis_is_counted_on_the_agenda_never_quoted(files: list[str], key: tuple[Path, str]) -> None:
    app, _ = _app(files, key)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "enter")  # ann, first: a private crisis nobody was told of
        await wait_for(pilot, lambda: isinstance(app.screen, AgendaScreen), "the agenda")
        shown = str(app.screen.query_one("#agenda-text", Static).render())
        assert "private" in shown and "not notified" in shown
        assert SECRET_STORY not in shown


async def test_ctrl_x_opens_the_crisis_panel_from_the_caseload(files: list[str], key: tuple[Path, str]) -> None:
    """The app's priority key: no table or screen binding takes it (the agenda screen binds
    only esc and q, so the same holds there)."""
    app, _ = _app(files, key)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "down", "ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
