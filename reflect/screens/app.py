"""The journaling app: home first, straight into a new encounter with `reflect new`, or
into the review of each peer's agenda with `reflect review` (its screens are also `r` on home).

Every screen reaches the store through `app.journal` and reads the time through
`app.now()`, so snapshot tests can freeze the clock. Every binding on the app and its
screens is also a command in the palette (ctrl+p), so nothing depends on remembering keys.
"""

from __future__ import annotations

import sys
import threading
from time import monotonic
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.theme import BUILTIN_THEMES, Theme
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from reflect.domain import model
from reflect.root import journal_locked, open_journal
from reflect.screens.bindings import screen_bindings
from reflect.screens.home import HomeScreen
from reflect.screens.memory import collect_from_now_on
from reflect.store import Journal, JournalError
from reflect.usecases.first_page import ReadAhead

if TYPE_CHECKING:
    from reflect.domain.model import Meeting
    from reflect.screens.encounter import EncounterScreen
    from reflect.screens.review_round import ReviewOptions
    from reflect.screens.warm import Parsed

DARK = "textual-dark"
LIGHT = "textual-light"
# Drafts, boundaries and celebrations are drawn in $warning; textual-light's orange on its
# light grey was 1.5:1. This dark amber is above 5:1 on every light-theme background.
LIGHT_WARNING = "#7a4100"
STARTS = ("home", "new", "review")


RELEASE_AFTER = 0.3  # seconds: keys held after an esc no node passed back up go on regardless
QUIET = 0.1  # seconds without a key before work done ahead runs (see when_quiet)


class ReflectApp(App["list[Meeting] | None"]):
    """A journal for peer support workers: listen, reflect, select, share.

    The one App: home, the encounter, the story bank and the review are its screens.
    Started on the review, it ends with the list of meetings recorded.
    """

    TITLE = "reflect"
    SUB_TITLE = "listen · reflect · select · share"
    CSS_PATH = "reflect.tcss"
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help", key_display="?", tooltip="Keys and markers"),
        # Off the footer (help and the palette list it) to leave room for the crisis key.
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.theme", show=False, tooltip="Switch between light and dark"),
        # Safety first, from every screen: a priority binding, so no screen or field can take it.
        Binding(
            "ctrl+x",
            "crisis",
            "Crisis",
            id="app.crisis",
            priority=True,
            tooltip="Crisis: the crisis lines, and record what was done (a new encounter, or this one)",
        ),
    ]

    def __init__(
        self,
        journal: Journal,
        *,
        start: str = "home",
        clock: Callable[[], datetime] | None = None,
        review: ReviewOptions | None = None,
        first: Callable[[], Screen[Any]] | None = None,  # a screen to start on instead (the caseload)
    ) -> None:
        if start not in STARTS:
            raise ValueError(f"start must be one of {', '.join(STARTS)}, not {start!r}")
        super().__init__()
        self.register_theme(replace(BUILTIN_THEMES[LIGHT], warning=LIGHT_WARNING))
        self.journal = journal
        self.start = start
        self.locked = journal_locked(journal)  # encrypted, key not unlocked: the passphrase first
        # Home's first page, read while Textual starts (home takes it on mount).
        self.read_ahead = ReadAhead(journal) if start != "review" and first is None and not self.locked else None
        self.review = review
        self.first = first
        self._clock = clock
        self._theme_lock = threading.Lock()
        self._warm_timer: Timer | None = None
        self._last_key = monotonic()  # when the last key came, or the app started (see when_quiet)
        self._held: list[events.Key] | None = None  # keys typed after an esc that may be leaving
        self._holding_for: events.Key | None = None  # that esc
        self._wanted_theme = ""
        try:
            self._saved_theme = journal.settings().theme
        except JournalError:
            self._saved_theme = ""

    def now(self) -> datetime:
        """The current time (frozen in snapshot tests)."""
        return self._clock() if self._clock is not None else model.now()

    def when_quiet(self, step: Callable[[], object], *, after: float = 0.0, quiet: float = QUIET) -> None:
        """Run `step` on the UI thread `after` seconds from now, or later: once no key has
        come for `quiet` seconds and none is waiting. The work done ahead (styles primed,
        the next screens mounted, memory settled) takes 10 to 80 ms a step; run at once,
        a step begun just before a key held up the screen that key opens."""
        if after > 0:
            self.set_timer(after, partial(self.when_quiet, step, quiet=quiet))
            return
        waited = monotonic() - self._last_key
        if waited < quiet or not self._message_queue.empty():
            self.set_timer(max(quiet - waited, QUIET), partial(self.when_quiet, step, quiet=quiet))
        else:
            step()

    def get_default_screen(self) -> Screen[Any]:
        if self.first is not None:
            return self.first()
        if self.start == "review":
            from reflect.screens.review_round import ReviewOptions, ReviewStart

            return ReviewStart(self.review or ReviewOptions())
        return HomeScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(collect_from_now_on)
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.locked:  # the passphrase first; home reads once it is unlocked
            from reflect.screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen(), lambda _unlocked: self._unlocked())
            self._warm_timer = self.set_interval(0.05, self._warm_when_home_is_ready)
            return
        self._begin()

    def _unlocked(self) -> None:
        home = self.screen_stack[0] if self.screen_stack else None
        if isinstance(home, HomeScreen):
            home.load()  # it skipped its first read while the journal was locked
        self._begin()

    def _begin(self) -> None:
        if self.start == "new":
            home = self.screen
            if isinstance(home, HomeScreen):
                home.action_new_encounter()
        else:
            self._warm_timer = self.set_interval(0.05, self._warm_when_home_is_ready)

    # --- start-up -----------------------------------------------------------------------

    def _warm_when_home_is_ready(self) -> None:
        """Once home shows its list, import the screens a person opens next, off the UI thread.

        Home imports none of them (start-up stays light), so the first `n`, enter or ctrl+x
        paid for importing them (the privacy patterns, the five steps) while the person waited.
        """
        if not (getattr(self.screen, "ready", True) and getattr(self.screen, "shown", True)):
            return
        if self._warm_timer is not None:
            self._warm_timer.stop()
        self.run_worker(
            partial(_import_next_screens, self), thread=True, group="warm", name="import the next screens",
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The next screens imported and their styles parsed: the styles are filed, then the
        next encounter mounted, each in a quiet moment, rather than at the first `n` or
        ctrl+x (see screens/warm.py and screens/ahead.py)."""
        if event.worker.group == "warm" and event.state == WorkerState.SUCCESS and event.worker.result:
            from reflect.screens.warm import next_screen_classes, prime_styles

            self.when_quiet(partial(prime_styles, self, next_screen_classes(), event.worker.result))
            home = self.screen_stack[0] if self.screen_stack else None
            if isinstance(home, HomeScreen):
                self.when_quiet(home.prepare_encounter, after=QUIET)

    # --- themes -------------------------------------------------------------------------

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self._saved_theme:
            return
        with self._theme_lock:
            self._wanted_theme = theme.name
        self.run_worker(self._save_theme, thread=True, group="settings", name="save theme")

    def _save_theme(self) -> None:
        """Write the newest choice; a slower earlier worker then writes the same value."""
        with self._theme_lock:
            try:
                settings = self.journal.settings()
                if settings.theme != self._wanted_theme:
                    settings.theme = self._wanted_theme
                    self.journal.save_settings(settings)
                self._saved_theme = self._wanted_theme
            except JournalError as exc:
                self.call_from_thread(self.notify, f"Theme not saved: {exc}", severity="warning")

    # --- crisis ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On the crisis panel itself ctrl+x is left to its fields (cut in the notes)."""
        if action == "crisis":
            # Not imported (or still being imported by the warm-up): no panel is showing.
            panel = getattr(sys.modules.get("reflect.screens.crisis"), "CrisisPanel", None)
            return panel is None or not isinstance(self.screen, panel)
        return True

    async def action_crisis(self) -> None:
        """Open the crisis panel at once: on the encounter being written, else on a new one.

        Awaited to the end (the encounter, then the panel, mounted and focused) before the
        app reads another key, so keys typed right after ctrl+x land in the panel.
        """
        from reflect.screens.crisis import CrisisPanel
        from reflect.screens.encounter import EncounterScreen
        from reflect.screens.help import HelpScreen

        if isinstance(self.screen, CrisisPanel):
            return
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        encounter = self._open_encounter_beneath(EncounterScreen)
        if encounter is None:
            encounter = self._push_new_encounter(EncounterScreen)
            await AwaitMount(encounter, [encounter])  # composed and filled: it can take the panel
        encounter.action_crisis()
        if isinstance(self.screen, CrisisPanel):
            await AwaitMount(self.screen, [self.screen])

    def _open_encounter_beneath(self, kind: type[EncounterScreen]) -> EncounterScreen | None:
        """The encounter on top, or under dialogs only (the panel opens over those)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, kind):
                return screen
            if not isinstance(screen, ModalScreen):
                return None
        return None

    def _push_new_encounter(self, kind: type[EncounterScreen]) -> EncounterScreen:
        """A new encounter over whatever is showing; home (when beneath) hears how it ends."""
        home = self.screen_stack[0] if self.screen_stack else None
        if isinstance(home, HomeScreen):
            home.open_encounter()
        else:
            self.push_screen(kind(self.journal))
        encounter = self.screen
        assert isinstance(encounter, kind)
        return encounter

    # --- keys typed after esc -----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys typed right after an esc that leaves an encounter belong to the screen beneath.

        Textual hands each key to the focused field as it arrives, and an esc reaches the
        encounter's binding only after it has bubbled back up: the keys typed after it were
        by then in the field's queue ("first", esc, "n", "second" gave "firstnsecond"). So the
        keys after such an esc are held until the esc has been handled, then given, in order,
        to whichever screen is on top."""
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        self._last_key = monotonic()
        if not event.is_forwarded:
            if self._held is not None:
                self._held.append(event)
                return
            if event.key == "escape" and self._escape_may_leave():
                self._held = []
                self._holding_for = event
                await super().on_event(event)
                target = self.focused or self.screen
                target.call_later(self._release_if_stopped, event)  # used up by the field itself
                self.set_timer(RELEASE_AFTER, partial(self._release_held, event))  # stopped on its way up
                return
        await super().on_event(event)
        if event is self._holding_for:  # back up at the app: the screen's bindings have run
            self._release_held(event)

    def _escape_may_leave(self) -> bool:
        from reflect.screens.encounter import EncounterScreen  # imported by then, if on screen

        return isinstance(self.screen, EncounterScreen)

    def _release_if_stopped(self, esc: events.Key) -> None:
        if esc._stop_propagation:
            self._release_held(esc)

    def _release_held(self, esc: events.Key) -> None:
        """The keys held after `esc`, in order, to the app's queue as if typed now (once)."""
        if self._holding_for is not esc:
            return
        held, self._held, self._holding_for = self._held or [], None, None
        for key in held:  # queued as typed: each handled as a fresh key, after the esc's own work
            self.post_message(events.Key(key.key, key.character))

    # --- leaving ------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit (ctrl+q anywhere, q on home), keeping what is being typed.

        ctrl+q is a priority key, handled before the field has taken the keys typed just
        before it: quitting waits behind them in the field's own queue. Then an encounter
        on top leaves as esc does, writing its draft while its fields still exist (the
        draft was written as the app took the fields down, and missed that text).
        """
        if self.focused is not None:
            self.focused.call_later(self._quit_keeping_drafts)
        else:
            self._quit_keeping_drafts()

    def _quit_keeping_drafts(self) -> None:
        ask = getattr(self.screen, "ask_before_quit", None)  # a screen with unsaved work warns first
        if ask is not None and not ask():
            return
        encounter = sys.modules.get("reflect.screens.encounter")
        kind = getattr(encounter, "EncounterScreen", None)
        if kind is not None and isinstance(self.screen, kind):
            self.screen.action_leave()
        self.exit()

    async def _shutdown(self) -> None:
        """The screens mounted ahead are taken down first, each from the screen down, while
        the app still runs (see screens/ahead.py); then Textual's own shutdown."""
        from reflect.screens.ahead import hidden_screens, take_down

        for screen in hidden_screens(self):
            await take_down(screen)
        await super()._shutdown()

    def copy_to_clipboard(self, text: str) -> None:
        """Copy and cut stay inside reflect: never to the system clipboard (OSC 52), where
        other programs and the terminal's history would keep an entry's text."""
        self._clipboard = text

    # --- help and the command palette -----------------------------------------------------

    def action_help(self) -> None:
        from reflect.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_key_display(self, binding: Binding) -> str:
        """In a text field "?" is typed, not a key: there the footer names f1 for help."""
        if binding.action == "help" and _is_text_field(self.focused):
            return "f1"
        return super().get_key_display(binding)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = {"quit", "app.quit", "command_palette", "change_theme"}
        for node, binding in screen_bindings(screen):
            if binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            help_text = f"{binding.tooltip or binding.description} (key: {key})"
            yield SystemCommand(binding.description, help_text, partial(self.run_action, binding.action, node))


def _is_text_field(widget: object) -> bool:
    """An Input or a TextArea. TextArea is not imported for home (a slower start): until a
    screen has imported it, no widget can be one."""
    # getattr: the warm-up thread may be importing it now (in sys.modules, not yet filled).
    area = getattr(sys.modules.get("textual.widgets._text_area"), "TextArea", None)
    return isinstance(widget, Input) or (isinstance(area, type) and isinstance(widget, area))


def _import_next_screens(app: ReflectApp) -> Parsed | None:
    """Import the next screens (then cached in sys.modules) and parse their widgets' styles
    (screens/warm.py), off the UI thread. A failure here is left for the real import (on
    the UI thread) to report. None when not all were imported."""
    try:
        import reflect.screens.encounter
        import reflect.screens.entry_view
        import reflect.screens.help  # noqa: F401
        from reflect.screens.warm import next_screen_classes, parse_ahead

        return parse_ahead(app, next_screen_classes())
    except Exception:  # noqa: BLE001 - a warm-up only
        return None


def run_app(db: str | None = None, *, start: str = "home") -> None:
    """Open the journal and run the app until the peer quits. The app's return code is the
    process's exit status (three wrong passphrases: 2), so a script sees the failure."""
    app = ReflectApp(journal=open_journal(db), start=start)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)
