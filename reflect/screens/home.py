"""Home: unfinished drafts, recent encounters, search, and the week at a glance.

The list is one OptionList (virtualised: it renders only visible lines) over a window of
at most WINDOW entries. Moving past either edge of the window reads the next page from a
cursor (the time and id of the edge row), one or two month files whatever the depth, and
drops as many rows from the far edge, so memory stays bounded; End reads the oldest page
directly. Those page reads run inside the key's own action, so keys typed in a burst all
land in order; the first page and the glance are read in thread workers, so the screen
paints first and the rows arrive a moment later.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Callable, NamedTuple, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from reflect.domain import dates
from reflect.domain.model import Draft, Entry, EntryFilter, Meeting, ValidationError
from reflect.screens import memory
from reflect.screens.footer import Footer
from reflect.screens.query import SYNTAX, QueryError, describe, is_empty, parse_query
from reflect.screens.widgets import ConfirmDialog, clip, entry_markers, format_when
from reflect.screens.context import host
from reflect.store import Journal, JournalError
from reflect.usecases import browsing, first_page
from reflect.usecases.browsing import EntryPage

if TYPE_CHECKING:
    from reflect.usecases.browsing import Browser, Key, Stamp

if TYPE_CHECKING:
    from reflect.screens.encounter import EncounterScreen

POLL = 1.0  # seconds between looks for other processes' changes (a listing and a few stats)
PAGE = first_page.PAGE
# How long home's mount waits for the page read ahead (usecases/first_page.py), to list it
# in its first frame; past this (a journal locked by another process's long write) it draws
# "Loading…" and lists the entries when the read ends.
READ_AHEAD_WAIT = 0.25
PREPARE_AFTER = 0.5  # seconds after an encounter closes before the next is built ahead
STEP_GAP = 0.1  # seconds between the steps of that (each also waits for a quiet moment)
SETTLE_ALL_QUIET = 5.0  # seconds without a key before memory is settled whole (screens/memory.py)
WINDOW = 4 * PAGE  # entry rows held in memory and in the list, at any depth
WEEKS = 16
NEAR_END = 10

SETTING_SHORT = {"text-or-chat": "text/chat"}
NO_SCHEDULE = 'No supervision schedule: reflect config schedule "every other tuesday 10am"'


WHEN_WIDTH = 15
PERSON_WIDTH = 8
# Cells a row takes before "What was shared": when, flags, person, setting and their gaps.
ROW_PREFIX = WHEN_WIDTH + 1 + 6 + 1 + PERSON_WIDTH + 1 + 10 + 1
SHARED_MAX = 200  # characters of "What was shared" a row holds on the widest terminal


def list_when(dt: datetime, now: datetime) -> str:
    """format_when, without the clock beyond yesterday: the day is what tells rows apart."""
    label = format_when(dt, now)
    if label.startswith(("today", "yesterday", "tomorrow")):
        return label
    head, _, tail = label.rpartition(" ")
    return head if ":" in tail else label


def entry_prompt(entry: Entry, now: datetime, shared: int = SHARED_MAX) -> Content:
    """One row: when, flag markers, pseudonym, setting, what was shared (at most `shared`
    characters of it: see `shared_room`)."""
    cell = shared_cell(entry)
    return Content.assemble(
        clip(list_when(entry.occurred, now), WHEN_WIDTH),
        " ",
        entry_markers(entry),
        " ",
        (clip(entry.person or "—", PERSON_WIDTH), "bold"),
        " ",
        clip(setting_cell(entry), 10),
        " ",
        cell[:shared] if len(cell) > shared else cell,
    )


def setting_cell(entry: Entry) -> str:
    """The setting; a group encounter says so whatever its setting, with its headcount
    ("group 8"), as `reflect list` does."""
    if entry.in_group:
        n = entry.group.headcount if entry.group is not None else 0
        return f"group {n}" if n else "group"
    return SETTING_SHORT.get(entry.setting, entry.setting)


def shared_room(width: int) -> int:
    """Characters of "What was shared" a row needs on a terminal `width` cells wide: the
    cells left after the other columns, and a few more, so the list still cuts the row
    (with its "…") where it did when the row held SHARED_MAX characters.

    Each row's text is measured and cut by the list as it is drawn. Text that is not all
    single-cell characters (an "…", a dash, a curly quote) is measured a character at a
    time, in Python: 50 rows of 250 characters took about 10 ms of the start."""
    return min(max(width - ROW_PREFIX, 0) + 8, SHARED_MAX)


def shared_cell(entry: Entry) -> Content:
    """The "What was shared" column: the part of the peer's story shared, or "held back";
    the person's story only after it, labelled as what was heard, never as if shared."""
    heard = entry.summary(SHARED_MAX)
    if entry.select.decision == "hold":
        head: Content = Content.styled("held back", "italic bold")
    else:
        part = " ".join((entry.select.part or entry.share.how).split())
        if part:
            return Content(part[:SHARED_MAX])
        head = Content("")
    if not heard:
        return head if head.plain else Content.styled("(no text)", "italic $text-muted")
    tail = Content.styled(f"heard: {heard}", "$text-muted")
    return Content.assemble(head, " · ", tail) if head.plain else tail


def draft_prompt(draft: Draft, now: datetime, shared: int = SHARED_MAX) -> Content:
    """A draft row in the same columns: when it was saved, "draft", pseudonym, first words
    (at most `shared` characters of them)."""
    person = draft.entry.get("person") if isinstance(draft.entry.get("person"), str) else ""
    label = "edit" if draft.entry_id else "draft"
    return Content.assemble(
        (clip(f"✎ {format_when(draft.saved, now)}", WHEN_WIDTH), "$warning"),
        " ",
        (clip(label, 6), "$warning bold"),
        " ",
        (clip(person or "—", PERSON_WIDTH), "bold"),
        " ",
        draft.preview(SHARED_MAX)[:shared],
    )


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the week holding `now`, in `now`'s zone."""
    day = now - timedelta(days=now.weekday())
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


class Glance(NamedTuple):
    weeks: list[int]
    meeting: str
    total: int | None = None  # entries in the whole journal (None: could not be read)
    groups: int = 0  # of this week's, group encounters (shown apart from individual work)


class Pager(Protocol):
    """Who fills the list past its edges (the home screen)."""

    def more_below(self, need: int) -> None: ...
    def more_above(self, need: int) -> None: ...
    def to_oldest(self) -> None: ...
    def to_newest(self) -> None: ...


class EntryList(OptionList):
    """The home list. Before a key moves past the rows it holds, its pager reads more;
    mouse scrolling near the end posts NearEnd (read in a worker)."""

    class NearEnd(Message):
        pass

    pager: Pager | None = None

    def _rows(self) -> int:
        return max(self.scrollable_content_region.height, 1)

    def action_cursor_down(self) -> None:
        if self.pager is not None:
            self.pager.more_below(1)
        super().action_cursor_down()

    def action_page_down(self) -> None:
        if self.pager is not None:
            self.pager.more_below(self._rows())
        super().action_page_down()

    def action_cursor_up(self) -> None:
        if self.pager is not None:
            self.pager.more_above(1)
        super().action_cursor_up()

    def action_page_up(self) -> None:
        if self.pager is not None:
            self.pager.more_above(self._rows())
        super().action_page_up()

    def action_last(self) -> None:
        if self.pager is not None:
            self.pager.to_oldest()
        super().action_last()

    def action_first(self) -> None:
        if self.pager is not None:
            self.pager.to_newest()
        super().action_first()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.max_scroll_y and new_value >= self.max_scroll_y - NEAR_END:
            self.post_message(self.NearEnd())


class HomeScreen(Screen[None]):
    """Where every session starts: resume a draft, find an entry, or start a new one."""

    BINDINGS = [
        # priority: `n` opens the encounter before the keys typed after it are read, so
        # they land in the story, never in home's list (issue 9, item 2)
        Binding("n", "new_encounter", "New", id="home.new", tooltip="Journal a new encounter", priority=True),
        # priority, as `n`: enter opens the row before the keys typed after it are read, so
        # they reach the entry view (an `e` right after enter edited from home, under it).
        Binding("enter", "open", "Open", id="home.open", show=False, priority=True,
                tooltip="Open the highlighted entry, or resume the highlighted draft"),
        Binding("slash", "search", "Search", id="home.search", key_display="/", tooltip="Search and filter entries", priority=True),
        Binding("e", "edit", "Edit", id="home.edit", show=False, tooltip="Edit the highlighted entry"),
        Binding("d,delete", "discard_draft", "Discard", id="home.discard", show=False, tooltip="Discard the highlighted draft"),
        Binding("x", "delete_entry", "Delete", id="home.delete", show=False, tooltip="Delete the highlighted entry (asks first)"),
        Binding("D", "discard_drafts", "Discard all drafts", id="home.discard_all", show=False, tooltip="Discard every unfinished draft (asks first)"),
        Binding("s", "stories", "Stories", id="home.stories", tooltip="Your story bank"),
        Binding("r", "review", "Review", id="home.review", tooltip="Review the agenda; record the supervision meeting"),
        # Priority (as n), so the keys typed right after reach the new screen; not in the search line.
        Binding("c", "rate", "Rate competencies", id="home.rate", show=False, priority=True, tooltip="Rate yourself on the twelve SAMHSA competencies (prompts, not scores)"),
        Binding("g", "goals", "Goals", id="home.goals", show=False, priority=True, tooltip="Your development goals: add, check in, mark met"),
        Binding("p", "growth", "Growth", id="home.growth", show=False, priority=True, tooltip="Your growth: competencies by month, ratings side by side, training, goals"),
        Binding("ctrl+r", "reload", "Reload", id="home.reload", show=False, tooltip="Read the journal again"),
        Binding("escape", "clear_search", "Clear search", id="home.clear", show=False, tooltip="Clear the search"),
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Quit reflect"),
        Binding("ctrl+e", "encrypt", "Encrypt the journal", id="home.encrypt", show=False,
                tooltip="Encrypt the journal at rest with a passphrase (asks first)"),  # fmt: skip
    ]
    HELP_EXTRA = [
        ("enter", "Open the highlighted entry, or resume the highlighted draft"),
        ("up/down, pgup/pgdn", "Move through the list; more entries load as you go"),
        ("tab", "Move between the search line and the list"),
        ("x", "Delete the highlighted entry (asks first)"),
        ("D", "Discard every unfinished draft (asks first)"),
        ("enter (in search)", "Search now and go to the list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ready = False  # the first page is listed
        self.shown = False  # ... and drawn: the glance and the app's warm-up start after it
        self.glance_ready = False
        self._generation = 0
        self._filter: EntryFilter | None = None
        self._entries: list[Entry] = []  # the window, newest first, at most WINDOW
        self._keys: list[Key] = []  # each entry's place (the cursors either side)
        self._drafts: list[Draft] = []
        self._exhausted = False  # the window reaches the oldest entry
        self._at_newest = True  # the window starts at the newest entry (drafts show above it)
        self._browser: Browser | None = None
        self._stamp: Stamp | None = None  # the journal's files as last seen (other processes' changes)
        self._polling = False
        self._loading_more = False
        self._debounce: Timer | None = None
        self._reviewing = False  # a review round is open (r again does nothing)
        self._next_encounter: EncounterScreen | None = None  # mounted ahead for `n` (see prepare_encounter)
        self._settle_all_asked = False  # a whole settle waits for a long quiet (see prepare_encounter)
        self._rows_for = 0  # the terminal width the rows were cut for (shared_room)

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="glance"):
            with Horizontal(id="week-row"):
                yield Label(f"A week, last {WEEKS} ", id="week-label")
                yield Sparkline([0] * WEEKS, id="week-chart")
                yield Label("", id="week-summary", markup=False)
            yield Static("Next supervision: …", id="next-meeting", markup=False)
        yield Input(
            placeholder=f"/ search: {SYNTAX}",
            id="search",
            compact=True,
            select_on_focus=False,
        )
        yield Static("Loading…", id="status", markup=False)
        yield Static(
            Content.assemble(
                clip("When", WHEN_WIDTH), " ", clip("Flags", 6), " ", clip("Person", PERSON_WIDTH), " ",
                clip("Setting", 10), " ", "What was shared",
            ),
            id="columns",
        )
        yield EntryList(id="entries", markup=False)
        yield Footer()

    def on_resize(self) -> None:
        """Wider than the rows were cut for: cut them again, so they fill the new width."""
        if self.ready and shared_room(self.app.size.width) > shared_room(self._rows_for):
            self._rebuild()

    def on_mount(self) -> None:
        lst = self.query_one(EntryList)
        lst.pager = self
        lst.focus()
        self.set_interval(POLL, self._poll, name="home: poll")
        self.load()  # the glance follows the first page: the list is what the peer needs first

    # --- thread-side helpers ----------------------------------------------------------

    def _post(self, callback: Callable[..., object], *args: object) -> None:
        """Run `callback` on the event loop; quietly drop it if the app has gone."""
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    @property
    def journal(self) -> Journal:
        return host(self).journal

    @property
    def browser(self) -> Browser:
        if self._browser is None:
            self._browser = browsing.browser(self.journal)
        return self._browser

    def now(self) -> datetime:
        return host(self).now()

    # --- loading the list ---------------------------------------------------------------

    def load(self, keep: str | None = None) -> None:
        """Read drafts and the first page again (after a search, a save, a discard). The
        first time, the page the app read ahead is listed at once when it is there."""
        if getattr(self.app, "locked", False):
            return  # an encrypted journal before its passphrase: read once it is unlocked
        self._generation += 1
        ahead = self._take_read_ahead() if self._filter is None and keep is None else None
        if ahead is not None:
            try:
                first = ahead.wait(READ_AHEAD_WAIT)
                # Read as the app was built: taken only if the journal has not changed since.
                current = first is not None and first.stamp == browsing.stamp(self.journal)
            except (JournalError, ValidationError, OSError) as exc:
                self._show_error(self._generation, str(exc))
                return
            if first is not None and current:
                self._show_first(self._generation, first.drafts, first.page, keep, first.stamp)
                return
            if first is not None:
                ahead = None  # out of date: read afresh
        self.run_worker(
            partial(self._read_first, self._generation, self._filter, keep, ahead),
            thread=True, group="home-list", name="home: first page",
        )

    def _take_read_ahead(self) -> first_page.ReadAhead | None:
        """The app's read-ahead of this page, used once (later loads read afresh)."""
        ahead = getattr(self.app, "read_ahead", None)
        if ahead is not None:
            self.app.read_ahead = None  # type: ignore[attr-defined]  # ReflectApp's, when there
        return ahead if isinstance(ahead, first_page.ReadAhead) else None

    def _read_first(
        self, gen: int, flt: EntryFilter | None, keep: str | None, ahead: first_page.ReadAhead | None = None
    ) -> None:
        try:
            first = ahead.wait(None) if ahead is not None else None
            first = first or first_page.read_first(self.journal, flt, self.browser)
        except (JournalError, ValidationError, OSError) as exc:
            self._post(self._show_error, gen, str(exc))
            return
        self._post(self._show_first, gen, first.drafts, first.page, keep, first.stamp)

    def _show_error(self, gen: int, message: str) -> None:
        if gen != self._generation or not self.query("#status"):
            return
        self.query_one("#status", Static).update(message)
        self.notify(message, title="Cannot read the journal", severity="error", timeout=10)
        self._mark_ready()

    def _show_first(self, gen: int, drafts: list[Draft], page: EntryPage, keep: str | None, stamp: Stamp) -> None:
        if gen != self._generation or not self.query(EntryList):
            return  # a newer read, or the screen is closing (quit while the page was read)
        self._stamp = stamp
        self._drafts = drafts
        self._entries, self._keys = page.entries, page.keys
        self._at_newest, self._exhausted = True, page.oldest
        self._loading_more = False
        self._rebuild(keep)
        self._update_status()
        self._mark_ready()

    def action_encrypt(self) -> None:
        from reflect.screens.encrypt_offer import offer

        offer(self, on_done=self.load)

    def _mark_ready(self) -> None:
        if not self.ready:
            self.ready = True
            self.call_after_refresh(self._first_drawn)

    def _first_drawn(self) -> None:
        """The list is on screen: now the glance (a thread reading 16 weeks), which would
        otherwise compete with drawing the list the peer is waiting for."""
        self.shown = True
        self.load_glance()

    def _rebuild(self, keep: str | None = None) -> None:
        """Fill the list from the drafts and entries in memory, keeping the highlight."""
        lst = self.query_one(EntryList)
        if keep is None and lst.highlighted_option is not None:
            keep = lst.highlighted_option.id
        now = self.now()
        self._rows_for = self.app.size.width
        room = shared_room(self._rows_for)
        options: list[Option] = []
        drafts = self._shown_drafts()
        if drafts and self._at_newest:
            options.append(Option(Content.styled("Unfinished drafts: enter resumes, d discards", "bold $warning"), disabled=True))
            options += [Option(draft_prompt(d, now, room), id=f"draft:{d.id}") for d in drafts]
            options.append(Option(Content.styled("Encounters", "bold"), disabled=True))
        options += [Option(entry_prompt(e, now, room), id=f"entry:{e.id}") for e in self._entries]
        if not self._entries:
            text = (
                "Nothing matches this search. Esc clears it."
                if self._filter
                else "No encounters yet. Press n to journal your first one."
            )
            options.append(Option(Content.styled(text, "italic"), disabled=True))
            if not self._filter and not drafts:
                from reflect.screens.encrypt_offer import notice

                options += notice(self.journal)
        lst.set_options(options)
        index = None
        if keep is not None:
            try:
                index = lst.get_option_index(keep)
            except Exception:  # noqa: BLE001 - the row went away (discarded, filtered out)
                index = None
        if index is None:
            index = next((i for i, o in enumerate(options) if not o.disabled), None)
        lst.highlighted = index

    def _shown_drafts(self) -> list[Draft]:
        """The drafts the list shows: all of them, or while searching those that match."""
        return [d for d in self._drafts if browsing.draft_matches(d.entry, self._filter)]

    def _update_status(self) -> None:
        shown = len(self._entries)
        more = "" if self._exhausted else "+"
        if self._filter:
            text = f"{shown}{more} matching {describe(self._filter)}  (esc clears)"
        else:
            n = len(self._drafts)
            drafts = f"{n} unfinished draft{'s' if n > 1 else ''} · " if n else ""
            text = f"{drafts}Recent encounters, newest first · ? help"
        self.query_one("#status", Static).update(text)

    # --- paging past the window's edges -------------------------------------------------------

    def _fetch(self, read: Callable[[Browser], EntryPage]) -> EntryPage | None:
        """One page, read now (one or two month files, whatever the depth)."""
        try:
            return read(self.browser)
        except (JournalError, ValidationError, OSError) as exc:
            self._show_error(self._generation, str(exc))
            return None

    def _first_entry_row(self) -> int:
        lst = self.query_one(EntryList)
        try:
            return lst.get_option_index(f"entry:{self._entries[0].id}") if self._entries else 0
        except Exception:  # noqa: BLE001 - no such row
            return 0

    def more_below(self, need: int) -> None:
        """Before moving `need` rows down: read the next older page if the window ends sooner."""
        lst = self.query_one(EntryList)
        if self._exhausted or not self._keys or not self.ready:
            return
        if (lst.highlighted or 0) + need < lst.option_count - 1:
            return
        page = self._fetch(lambda b: browsing.older(b, self._keys[-1], PAGE, self._filter))
        if page is not None:
            self._append(page)

    def more_above(self, need: int) -> None:
        """Before moving `need` rows up: read the next newer page if the window starts sooner."""
        lst = self.query_one(EntryList)
        if self._at_newest or not self._keys or not self.ready:
            return
        if (lst.highlighted or 0) - need > self._first_entry_row():
            return
        page = self._fetch(lambda b: browsing.newer(b, self._keys[0], PAGE, self._filter))
        if page is not None:
            self._prepend(page)

    def to_oldest(self) -> None:
        """End: the oldest page, read directly (the rows between are not read)."""
        if self._exhausted or not self._keys or not self.ready:
            return
        gap = self._fetch(lambda b: browsing.older(b, self._keys[-1], WINDOW, self._filter))
        if gap is None:
            return
        if gap.oldest:  # the rest fits in the window: keep it contiguous
            self._append(gap)
            return
        page = self._fetch(lambda b: browsing.newer(b, None, PAGE, self._filter))
        if page is not None:
            self._entries, self._keys = page.entries, page.keys
            self._at_newest, self._exhausted = page.newest, True
            self._rebuild()
            self._update_status()

    def to_newest(self) -> None:
        """Home: the newest page again, with the drafts above it."""
        if self._at_newest or not self.ready:
            return
        page = self._fetch(lambda b: browsing.older(b, None, PAGE, self._filter))
        if page is not None:
            self._entries, self._keys = page.entries, page.keys
            self._at_newest, self._exhausted = True, page.oldest
            self._rebuild()
            self._update_status()

    def _append(self, page: EntryPage) -> None:
        have = {e.id for e in self._entries}
        rows = [(e, k) for e, k in zip(page.entries, page.keys) if e.id not in have]
        self._entries += [e for e, _ in rows]
        self._keys += [k for _, k in rows]
        self._exhausted = page.oldest or not rows
        if len(self._entries) > WINDOW:
            cut = len(self._entries) - WINDOW
            del self._entries[:cut], self._keys[:cut]
            self._at_newest = False
        self._rebuild()
        self._update_status()

    def _prepend(self, page: EntryPage) -> None:
        have = {e.id for e in self._entries}
        rows = [(e, k) for e, k in zip(page.entries, page.keys) if e.id not in have]
        self._entries[:0] = [e for e, _ in rows]
        self._keys[:0] = [k for _, k in rows]
        self._at_newest = page.newest or not rows
        if len(self._entries) > WINDOW:
            del self._entries[WINDOW:], self._keys[WINDOW:]
            self._exhausted = False
        self._rebuild()
        self._update_status()

    @on(EntryList.NearEnd)
    def load_more(self) -> None:
        """Scrolled near the end with the mouse: the next page, in a worker."""
        if self._exhausted or self._loading_more or not self.ready or not self._keys:
            return
        self._loading_more = True
        last = self._keys[-1]
        self.run_worker(
            partial(self._read_more, self._generation, self._filter, last),
            thread=True, group="home-more", name="home: next page",
        )

    def _read_more(self, gen: int, flt: EntryFilter | None, last: Key) -> None:
        try:
            page = browsing.older(self.browser, last, PAGE, flt)
        except (JournalError, ValidationError, OSError) as exc:
            self._post(self._show_error, gen, str(exc))
            return
        self._post(self._show_more, gen, last, page)

    def _show_more(self, gen: int, last: Key, page: EntryPage) -> None:
        self._loading_more = False
        if gen != self._generation or not self._keys or self._keys[-1] != last:
            return  # the window moved meanwhile
        self._append(page)

    # --- other processes' changes -------------------------------------------------------------

    def _poll(self) -> None:
        """Every POLL seconds while home is on top: if a month file, the drafts, the meetings
        or the settings changed on disk, read the shown window and the glance again."""
        if self._polling or not self.ready or self.app.screen is not self:
            return
        self._polling = True
        self.run_worker(self._look, thread=True, group="home-poll", name="home: poll")

    def _look(self) -> None:
        try:
            stamp = browsing.stamp(self.journal)
        except OSError:
            stamp = None
        self._post(self._looked, stamp)

    def _looked(self, stamp: Stamp | None) -> None:
        self._polling = False
        if stamp is None or stamp == self._stamp:
            return
        self._stamp = stamp
        self.refresh_window()
        self.load_glance()

    def refresh_window(self) -> None:
        """Read the shown rows again from the top of the window (as many as are shown)."""
        self._generation += 1
        top = None if self._at_newest or not self._keys else self._keys[0]
        size = max(len(self._entries), PAGE)
        self.run_worker(
            partial(self._read_window, self._generation, self._filter, top, size),
            thread=True, group="home-list", name="home: window",
        )

    def _read_window(self, gen: int, flt: EntryFilter | None, top: Key | None, size: int) -> None:
        try:
            drafts = self.journal.drafts()
            page = browsing.older(self.browser, top, size, flt, inclusive=True)
        except (JournalError, ValidationError, OSError) as exc:
            self._post(self._show_error, gen, str(exc))
            return
        self._post(self._show_window, gen, drafts, page)

    def _show_window(self, gen: int, drafts: list[Draft], page: EntryPage) -> None:
        if gen != self._generation:
            return
        lst = self.query_one(EntryList)
        index = lst.highlighted
        keep = lst.highlighted_option.id if lst.highlighted_option is not None else None
        self._drafts = drafts
        self._entries, self._keys = page.entries, page.keys
        self._exhausted = page.oldest
        self._loading_more = False
        self._rebuild()
        now = lst.highlighted_option
        if index is not None and keep is not None and (now is None or now.id != keep) and lst.option_count:
            lst.highlighted = min(index, lst.option_count - 1)  # its row went: stay about there
            if lst.highlighted_option is not None and lst.highlighted_option.disabled:
                lst.action_cursor_down()
        self._update_status()

    # --- the glance line -----------------------------------------------------------------

    def load_glance(self) -> None:
        self.run_worker(self._read_glance, thread=True, group="home-glance", name="home: glance")

    def _read_glance(self) -> None:
        now = self.now()
        start = week_start(now) - timedelta(weeks=WEEKS - 1)
        weeks = [0] * WEEKS
        groups = 0
        try:
            for doc in self.journal.entry_dicts(since=start):
                when = datetime.fromisoformat(doc["occurred"])
                when = when.astimezone(now.tzinfo) if when.tzinfo else when.replace(tzinfo=now.tzinfo)
                index = (when - start).days // 7
                if 0 <= index < WEEKS:
                    weeks[index] += 1
                    groups += index == WEEKS - 1 and (bool(doc.get("group")) or doc.get("setting") == "group")
            meeting = self._meeting_line(now)
            total: int | None = browsing.total(self.journal)
        except (JournalError, ValidationError) as exc:
            meeting, total = f"Cannot read the journal: {exc}", None
        self._post(self._show_glance, Glance(weeks, meeting, total, groups))

    def _meeting_line(self, now: datetime) -> str:
        schedule = self.journal.settings().schedule
        if not schedule.strip():
            return NO_SCHEDULE
        try:
            nxt = dates.next_meeting(schedule, after=now)
            described = dates.describe_schedule(schedule)
        except ValueError as exc:
            return f"Supervision schedule unreadable ({exc}): reflect config schedule …"
        if nxt is None:
            return f"No supervision meeting left in the schedule ({described})"
        return f"Next supervision: {format_when(nxt, now)} ({described})"

    def _show_glance(self, glance: Glance) -> None:
        if not self.query("#week-chart"):
            return  # the screen is closing (quit while the glance was read)
        self.query_one("#week-chart", Sparkline).data = glance.weeks
        recent = sum(glance.weeks)
        whole = f" · {glance.total} in all" if glance.total is not None else ""
        groups = f" ({glance.groups} in groups)" if glance.groups else ""
        self.query_one("#week-summary", Label).update(
            f" {glance.weeks[-1]} this week{groups} · {recent} in {WEEKS} weeks{whole}"
        )
        self.query_one("#next-meeting", Static).update(glance.meeting)
        self.glance_ready = True

    # --- what is highlighted -----------------------------------------------------------------

    def _highlighted(self) -> tuple[str, Entry | Draft] | None:
        option = self.query_one(EntryList).highlighted_option
        if option is None or option.id is None:
            return None
        kind, _, ident = option.id.partition(":")
        pool: list[Draft] | list[Entry] = self._drafts if kind == "draft" else self._entries
        for item in pool:
            if item.id == ident:
                return kind, item
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":  # from the list only: in the search line enter searches
            return isinstance(self.focused, EntryList) and self.app.screen is self
        if action in ("discard_draft", "edit", "delete_entry"):
            found = self._highlighted() if self.is_mounted else None
            want = "draft" if action == "discard_draft" else "entry"
            return True if found and found[0] == want else None
        if action == "discard_drafts":
            return True if self._drafts else None
        if action in ("rate", "goals", "search", "growth"):  # typed in the search line, they are letters
            return not isinstance(self.focused, Input)
        return True

    @on(EntryList.OptionHighlighted)
    def _highlight_moved(self) -> None:
        self.refresh_bindings()

    # --- actions -----------------------------------------------------------------------

    def open_encounter(self, *, entry: Entry | None = None, draft: Draft | None = None) -> None:
        """Push the encounter screen; when it closes, show what changed."""
        from reflect.screens.encounter import EncounterScreen  # on first use: keeps start-up light

        screen: EncounterScreen | None = None
        if entry is None and draft is None:  # the one mounted ahead waits for the next `n` otherwise
            screen, self._next_encounter = self._next_encounter, None
        if screen is None:
            screen = EncounterScreen(self.journal, entry=entry, draft=draft)
        screen.showing()
        self.app.push_screen(screen, partial(self._after_encounter, screen))

    def prepare_encounter(self) -> None:
        """Build and mount the next new encounter in a quiet moment (the app calls
        this once the warm-up has imported the encounter, and again after each one closes),
        so that `n` only shows it (screens/ahead.py); then, each in a quiet moment of its
        own, its crisis panel, and memory settled. On the UI thread, once; in a quiet
        moment, whichever screen is on top (an entry being read)."""
        if self._next_encounter is not None or not self.shown or self._closing:
            return
        from reflect.screens.encounter import EncounterScreen

        screen = EncounterScreen(self.journal)
        screen.mount_ahead()
        self._next_encounter = screen
        host(self).when_quiet(screen.mount_panel_ahead, after=STEP_GAP)
        host(self).when_quiet(memory.settle, after=2 * STEP_GAP)
        if not self._settle_all_asked:  # once, however many encounters close before a long quiet
            self._settle_all_asked = True
            host(self).when_quiet(self._settle_all, after=2 * STEP_GAP, quiet=SETTLE_ALL_QUIET)

    def _settle_all(self) -> None:
        self._settle_all_asked = False
        memory.settle_all()

    def _after_encounter(self, screen: EncounterScreen, saved: Entry | None) -> None:
        """Highlight what the peer just left: the saved entry, or the draft kept to resume."""
        kept = screen.kept_draft_id
        if saved is not None:
            keep = f"entry:{saved.id}"
        elif kept:
            keep = f"draft:{kept}"
        else:
            keep = None
        self.load(keep=keep)
        self.load_glance()
        host(self).when_quiet(self.prepare_encounter, after=PREPARE_AFTER)  # once home has drawn again

    def action_new_encounter(self) -> None:
        self.open_encounter()

    def action_edit(self) -> None:
        found = self._highlighted()
        if found and found[0] == "entry":
            self.open_encounter(entry=found[1])  # type: ignore[arg-type]

    @on(EntryList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        """A row clicked."""
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted row: the entry, or the draft to resume."""
        found = self._highlighted()
        if found is None:
            return
        kind, item = found
        if kind == "draft":
            self.open_encounter(draft=item)  # type: ignore[arg-type]
        else:
            from reflect.screens.entry_view import EntryView

            self.app.push_screen(EntryView(item), self._after_view)  # type: ignore[arg-type]

    def _after_view(self, changed: bool | None) -> None:
        if changed:
            self.load()
            self.load_glance()
        else:  # only drafts may have changed (an edit left unfinished): keep the paged list
            self.reload_drafts()

    def reload_drafts(self) -> None:
        gen = self._generation

        def work() -> None:
            try:
                drafts = self.journal.drafts()
            except (JournalError, ValidationError) as exc:
                self._post(self._show_error, gen, str(exc))
                return
            self._post(self._show_drafts, gen, drafts)

        self.run_worker(work, thread=True, group="home-drafts", name="home: drafts")

    def _show_drafts(self, gen: int, drafts: list[Draft]) -> None:
        if gen != self._generation or [d.to_dict() for d in drafts] == [d.to_dict() for d in self._drafts]:
            return
        self._drafts = drafts
        self._rebuild()
        self._update_status()

    def action_discard_draft(self) -> None:
        found = self._highlighted()
        if not found or found[0] != "draft":
            return
        draft: Draft = found[1]  # type: ignore[assignment]
        question = f"Discard the draft “{draft.preview(40)}”?\nIts text will be gone for good."
        self.app.push_screen(ConfirmDialog(question, yes="Discard", no="Keep"), partial(self._discard, draft))

    def _discard(self, draft: Draft, yes: bool | None) -> None:
        if not yes:
            return

        def work() -> None:
            try:
                self.journal.discard_draft(draft.id)
            except JournalError as exc:
                self._post(partial(self.notify, str(exc), severity="error"))
                return
            self._post(self.notify, "Draft discarded.")
            self._post(self.load)

        self.run_worker(work, thread=True, group="home-write", name="home: discard draft")

    def action_delete_entry(self) -> None:
        """Delete the highlighted entry, after a yes that names it only as its row does."""
        found = self._highlighted()
        if not found or found[0] != "entry":
            return
        entry: Entry = found[1]  # type: ignore[assignment]
        question = (
            f"Delete the entry of {format_when(entry.occurred, self.now())}"
            f" with {entry.person or 'no one named'}?\nIt will be gone for good."
        )
        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), partial(self._delete, entry))

    def _delete(self, entry: Entry, yes: bool | None) -> None:
        if not yes:
            return

        def work() -> None:
            try:
                self.journal.delete(entry.id)
            except JournalError as exc:
                self._post(partial(self.notify, str(exc), severity="error"))
                return
            self._post(self.notify, "Entry deleted.")
            self._post(self.load)
            self._post(self.load_glance)

        self.run_worker(work, thread=True, group="home-write", name="home: delete entry")

    def action_discard_drafts(self) -> None:
        """Discard every draft at once, after one yes (no draft's text is shown)."""
        n = len(self._drafts)
        if not n:
            return
        question = f"Discard all {n} unfinished draft{'s' if n > 1 else ''}?\nTheir text will be gone for good."
        drafts = list(self._drafts)
        self.app.push_screen(ConfirmDialog(question, yes="Discard all", no="Keep"), partial(self._discard_all, drafts))

    def _discard_all(self, drafts: list[Draft], yes: bool | None) -> None:
        if not yes:
            return

        def work() -> None:
            try:
                for draft in drafts:
                    self.journal.discard_draft(draft.id)
            except JournalError as exc:
                self._post(partial(self.notify, str(exc), severity="error"))
            else:
                self._post(self.notify, f"{len(drafts)} draft{'s' if len(drafts) > 1 else ''} discarded.")
            self._post(self.load)

        self.run_worker(work, thread=True, group="home-write", name="home: discard drafts")

    def action_stories(self) -> None:
        from reflect.screens.stories import StoryBankScreen

        self.app.push_screen(StoryBankScreen())

    def action_rate(self) -> None:
        from reflect.screens.ratings import RatingScreen

        self.app.push_screen(RatingScreen())

    def action_goals(self) -> None:
        from reflect.screens.goals import GoalsScreen

        self.app.push_screen(GoalsScreen())

    def action_growth(self) -> None:
        from reflect.screens.growth import GrowthScreen

        self.app.push_screen(GrowthScreen())

    def action_review(self) -> None:
        """The review screens, one per peer's agenda; home is back when they are done."""
        from reflect.screens.review_round import ReviewOptions, ReviewRound

        if self._reviewing:  # the agendas are still being read
            return
        self._reviewing = True
        ReviewRound(self, ReviewOptions(), done=self._after_review, failed=self._review_failed).start()

    def _after_review(self, recorded: list[Meeting]) -> None:
        self._reviewing = False
        if not recorded:
            self.notify("No meeting recorded.")
        self.load_glance()

    def _review_failed(self, reason: str) -> None:
        self._reviewing = False
        self.notify(f"The agenda cannot be built: {reason}", title="Review", severity="error", timeout=10)

    def action_reload(self) -> None:
        self.load()
        self.load_glance()

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        # At once (a priority key): the letters typed next are the search, not home's keys.
        self.set_focus(self.query_one("#search", Input))

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            self._apply_search()
        self.query_one(EntryList).focus()

    @on(Input.Changed, "#search")
    def _search_typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.35, self._apply_search)

    @on(Input.Submitted, "#search")
    def _search_now(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._apply_search()
        self.query_one(EntryList).focus()

    def _apply_search(self) -> None:
        text = self.query_one("#search", Input).value
        try:
            parsed = parse_query(text, now=self.now())
        except QueryError as exc:
            self.query_one("#status", Static).update(f"Search: {exc}")
            return
        flt = None if is_empty(parsed) else parsed
        if flt == self._filter:
            return
        self._filter = flt
        self.query_one("#status", Static).update("Searching…")
        self.load()

    def key_down(self) -> None:
        """Down from the search line goes to the list."""
        if self.focused is self.query_one("#search", Input):
            self.query_one(EntryList).focus()
