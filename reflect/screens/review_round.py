"""A round of reviews: the agendas are read off the UI thread, then one review screen per
peer, in turn. Home starts one with `r`; `reflect review` starts the app on one.
"""

from __future__ import annotations

from pathlib import Path

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from reflect.domain.agenda import Agenda
from reflect.domain.model import Meeting
from reflect.domain.settings import Settings
from reflect.screens.context import host
from reflect.screens.footer import Footer  # rebuilt only when its keys change; narrow, ^x Crisis leads
from reflect.screens.review_screen import ReviewScreen
from reflect.usecases.meetings import owner_settings
from reflect.usecases.reviewing import ReviewDraft, load_draft


@dataclass(frozen=True)
class ReviewOptions:
    """Which agendas to build: the window, one peer or all, and whether private entries count."""

    since: datetime | None = None
    until: datetime | None = None
    peer: str | None = None
    include_private: bool = False


class ReviewRound:
    """Reads the agendas on a worker, then shows one review screen per agenda in turn and
    hands the recorded meetings to `done`; `failed` gets the reason when nothing could be read."""

    def __init__(
        self,
        screen: Screen[Any],  # home, or the screen beneath a review started on its own
        options: ReviewOptions,
        *,
        done: Callable[[list[Meeting]], None],
        failed: Callable[[str], None],
        quit: Callable[[list[Meeting]], None] | None = None,
    ) -> None:
        self._screen = screen
        self._options = options
        self._done = done
        self._failed = failed
        self._quit = quit  # quitting from a review: the app ends (with the meetings recorded so far)
        self._queue: list[Agenda] = []
        self._drafts: dict[str, ReviewDraft] = {}
        self._supervisor = ""
        self._settings: Settings | None = None
        self.recorded: list[Meeting] = []

    def start(self) -> None:
        self._screen.run_worker(self._read, thread=True, group="review-read", name="review: agendas")

    def _read(self) -> None:
        # The agenda use case still lives with the command line; it moves to reflect.usecases.
        from reflect.usecases.agendas import journal_agendas

        journal = host(self._screen).journal
        try:
            # A damaged file costs its part (the agenda says which), never Safety first; but
            # over a damaged meetings file no meeting could be recorded: said up front.
            damaged: list[Path] = []
            agendas = journal_agendas(journal, damaged=damaged, **asdict(self._options))
            if journal.meetings_path in damaged:
                journal.review_meetings()  # raises, naming the file
            settings = owner_settings(journal)  # its peer is whose credential settings hold
        except Exception as exc:  # noqa: BLE001 - a journal that cannot be read is said, not crashed on
            self._post(self._failed, str(exc) or type(exc).__name__)
            return
        drafts: dict[str, ReviewDraft] = {}
        for agenda in agendas:
            try:
                draft = load_draft(journal, agenda.peer)
            except Exception:  # noqa: BLE001 - an unreadable draft must not stop the review
                draft = None
            if draft is not None:
                drafts[agenda.peer] = draft
        self._post(self._begin, agendas, settings, drafts)

    def _post(self, callback: Callable[..., object], *args: object) -> None:
        try:
            self._screen.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app has gone
            pass

    def _begin(self, agendas: list[Agenda], settings: Settings, drafts: dict[str, ReviewDraft] | None = None) -> None:
        self._queue = list(agendas)
        self._settings = settings
        self._supervisor = settings.supervisor
        self._drafts = dict(drafts or {})
        self._next()

    def quit(self) -> None:
        """Quit reflect from a review: the app ends with the meetings recorded so far."""
        if self._quit is not None:
            self._quit(list(self.recorded))
        else:
            self._screen.app.exit()

    def _next(self, result: Meeting | None = None) -> None:
        if result is not None:
            self.recorded.append(result)
        if not self._queue:
            self._done(list(self.recorded))
            return
        agenda = self._queue.pop(0)
        journal = host(self._screen).journal
        screen = ReviewScreen(
            journal, agenda, supervisor=self._supervisor, draft=self._drafts.pop(agenda.peer, None), on_quit=self.quit,
            settings=self._settings,
        )
        self._screen.app.push_screen(screen, self._next)


class ReviewStart(Screen[None]):
    """Beneath the reviews when the app starts on them (`reflect review`): says what it is
    doing, and why when the journal cannot be read. The app ends when the reviews do."""

    BINDINGS = [Binding("escape,q", "app.quit", "Quit", id="review.start.quit")]

    def __init__(self, options: ReviewOptions) -> None:
        super().__init__()
        self.options = options
        self.round: ReviewRound | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Building the agenda…", id="review-start-status")
        yield Footer()

    def on_mount(self) -> None:
        self.round = ReviewRound(self, self.options, done=self.app.exit, failed=self._cannot, quit=self.app.exit)
        self.round.start()

    def _cannot(self, reason: str) -> None:
        self.query_one("#review-start-status", Static).update(f"The agenda cannot be built: {reason}\n\nq quits.")
        self.notify(reason, title="Cannot read the journal", severity="error", timeout=10)
