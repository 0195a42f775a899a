"""The caseload screen: one row per peer, whoever most needs attention first; enter opens
that peer's agenda, built from the packet their row was read from.

`reflect caseload --from FILE... --app` starts the app on it, after the packets are opened
(the passphrase is asked on the terminal, before the screen). The agenda is built on a
worker from the texts already read (a packet is not opened twice) and shown read-only: the
meeting is recorded in the peer's own journal, from their review screen, not from a
packet. ctrl+x opens the crisis panel here as on every screen (the app's priority key).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from reflect.domain.caseload import ATTENTION_TEXT, Case, Caseload
from reflect.domain.caseload_render import COLUMNS, cells, fit
from reflect.screens.context import host

if TYPE_CHECKING:
    from reflect.domain.agenda import Agenda


def _cell(value: str, width: int, right: bool) -> str:
    cell = fit(value, width)
    return (cell.rjust(width) if right else cell.ljust(width)) + " "


class CaseloadScreen(Screen[None]):
    """The rows of a caseload; enter opens the highlighted peer's agenda."""

    DEFAULT_CSS = """
    CaseloadScreen #caseload-head { height: auto; padding: 0 1; background: $boost; text-style: bold; }
    CaseloadScreen #caseload-table { height: 1fr; }
    CaseloadScreen #caseload-why { height: auto; max-height: 3; padding: 0 1; color: $text-muted; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("enter", "open_agenda", "Agenda", id="caseload.agenda", tooltip="Open the highlighted peer's agenda"),
        Binding("escape,q", "app.quit", "Quit", id="caseload.quit", tooltip="Leave reflect"),
    ]
    HELP_EXTRA = [
        ("!", "Needs attention; rows sort by an untold crisis, an overdue meeting, late actions, crises, hours short"),
        ("(n!)", "Crises the supervisor was not told of; nP: private crises (counted, never shown)"),
    ]

    def __init__(self, caseload: Caseload, paths: Sequence[str], read: Callable[[str], str]) -> None:
        super().__init__()
        self.caseload = caseload
        self.paths = list(paths)
        self.read = read
        self.rows = caseload.ordered()

    def compose(self) -> ComposeResult:
        c = self.caseload
        rules = f"rules {c.rules}" if c.rules else "no rules"
        head = f"Caseload {c.today.isoformat()} · {len(self.rows)} peers · hours {c.since.isoformat()} to {c.until.isoformat()} · {rules}"
        yield Static(Content(fit(head, 78)), id="caseload-head")
        # No cell padding: each cell carries its one space, so the table is 78 columns wide.
        table: DataTable[str] = DataTable(id="caseload-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        table.add_column(" ", key="mark", width=2)
        for title, width, right in COLUMNS:
            table.add_column(_cell(title, width, right), key=title, width=width + 1)
        for i, case in enumerate(self.rows):
            mark = "! " if case.attention else "  "
            table.add_row(mark, *(_cell(v, w, r) for v, (_, w, r) in zip(cells(case), COLUMNS, strict=True)), key=str(i))
        yield table
        yield Static("", id="caseload-why")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#caseload-table", DataTable)
        table.focus()
        self._explain()

    def highlighted(self) -> Case | None:
        table = self.query_one("#caseload-table", DataTable)
        if not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def _explain(self) -> None:
        case = self.highlighted()
        if case is None:
            text = "No peers in the packets."
        else:
            reasons = [ATTENTION_TEXT[a] for a in case.attention]
            due = f"next due {case.next_due.isoformat()} ({case.due_by})" if case.next_due else "nothing says when the next meeting is due"
            text = f"{case.peer}: " + ("; ".join(reasons) if reasons else "nothing urgent") + f" · {due}"
        self.query_one("#caseload-why", Static).update(Content(fit(text, 300)))

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self._explain()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_agenda()

    def action_open_agenda(self) -> None:
        case = self.highlighted()
        if case is not None:
            self.notify(f"Building {case.peer}'s agenda…", timeout=2)
            self._build(case)

    @work(thread=True, exclusive=True, group="caseload-agenda", exit_on_error=False)
    def _build(self, case: Case) -> None:
        from reflect.usecases.agendas import export_agendas
        from reflect.usecases.caseload import source_of

        try:
            agendas = export_agendas(
                [source_of(case, self.paths)], host(self).journal, peer=case.peer, until=self.caseload.made, read=self.read
            )
        except Exception as exc:  # noqa: BLE001 - said on the screen, which stays
            self.app.call_from_thread(self.notify, f"The agenda cannot be built: {exc}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self.app.push_screen, AgendaScreen(agendas[0]))


class AgendaScreen(Screen[None]):
    """One peer's agenda from their packet, read-only; esc goes back to the caseload."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-head { height: auto; padding: 0 1; background: $boost; text-style: bold; }
    AgendaScreen #agenda-body { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="caseload.agenda.back", tooltip="Back to the caseload"),
    ]
    HELP_EXTRA = [("up/down, pgup/pgdn", "Scroll the agenda")]

    def __init__(self, agenda: Agenda) -> None:
        super().__init__()
        self.agenda = agenda

    def compose(self) -> ComposeResult:
        from reflect.domain import agenda_render
        from reflect.domain.terminal import escape

        yield Static(Content(fit(f"Agenda: {self.agenda.peer} (from their packet; record the meeting in their journal)", 78)), id="agenda-head")
        with VerticalScroll(id="agenda-body"):
            yield Static(Content(escape(agenda_render.text(self.agenda))), id="agenda-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#agenda-body", VerticalScroll).focus()


def run_caseload(db: str | None, caseload: Caseload, paths: Sequence[str], read: Callable[[str], str]) -> None:
    """Open the app on the caseload screen until the supervisor quits."""
    from reflect.root import open_journal
    from reflect.screens.app import ReflectApp

    ReflectApp(open_journal(db), first=lambda: CaseloadScreen(caseload, paths, read)).run()
