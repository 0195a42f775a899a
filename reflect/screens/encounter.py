"""A new or edited encounter: Listen, Reflect, Select, Share, then a wrap-up page.

The screen opens with the cursor in the person's story so typing starts at once.
Nothing typed is lost: every change is written as a draft within a second (by a
`DraftKeeper`, on a thread, so typing never waits on the disk; a failed write is said
and tried again), leaving keeps the draft, and saving discards it. Crisis comes first: one key from any step marks the encounter and
opens the crisis panel, and confirming it saves the entry at once.

Contract with the app: `EncounterScreen(journal, entry=..., draft=...)` dismisses
with the saved Entry, or None when the peer leaves without saving (the draft stays).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.text_area import Selection as TextSelection
from textual.worker import Worker, WorkerState

from reflect.domain import cycle
from reflect.domain import model
from reflect.domain.settings import CrisisLine, Settings
from reflect.domain.model import Crisis, Draft, Entry, Story, ValidationError, iso, parse_iso_datetime
from reflect.domain.privacy import Finding, scan_fields
from reflect.domain.years import in_future
from reflect.screens.footer import Footer
from reflect.screens.conflict import KEEP_COPY, OVERWRITE, TAKE_THEIRS, ConflictPrompt
from reflect.screens.context import host
from reflect.screens.crisis import CrisisPanel
from reflect.screens.drafts import DraftKeeper
from reflect.screens.editor import EditorError, edit_text
from reflect.screens.form_reading import ITEMS, is_empty, location, read_form, read_value, shown, show_for_decision
from reflect.screens.privacy import SAVE_ANYWAY, PrivacyPrompt
from reflect.screens.ahead import drop, mount_hidden
from reflect.screens.styled import StyledOnce, classes_for_size
from reflect.domain import fields
from reflect.screens.steps import (
    FUTURE_SLACK_MINUTES,
    resolved_when,
    value_at,
    FIELD_LABELS,
    FIELD_WIDGETS,
    FORM,
    NEW_PART,
    PAGE_CLASSES,
    PAGE_TITLES,
    PAGES,
    DateError,
    StepPage,
    Tristate,
    field_base,
    field_widget,
    parse_when,
    show_when,
    when_problem,
)

from reflect.store import EntryChanged

if TYPE_CHECKING:
    from reflect.store import Journal


# The page holding each form widget ("context" is the row above the pages, always built).
PAGE_OF: dict[str, str] = {item.id: page for page, items in FORM.items() for item in items} | {"story-text": "select"}
# The pages whose fields depend on the decision to share or hold back.
DECIDED_PAGES = ("select", "share")


class FormError(ValueError):
    """A field that cannot be saved as typed; `widget` is the id to focus."""

    def __init__(self, message: str, widget: str):
        super().__init__(message)
        self.widget = widget


class EncounterScreen(StyledOnce, Screen[Entry | None]):
    """Journal one encounter through the four steps; dismisses with the saved Entry or None."""

    DEFAULT_CSS = """
    EncounterScreen {
        layout: vertical;
    }
    EncounterScreen #progress {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    EncounterScreen #context {
        height: 1;
        padding: 0 1;
    }
    EncounterScreen #context Label {
        width: auto;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    EncounterScreen #context Input, EncounterScreen #context Select {
        margin-right: 1;
    }
    EncounterScreen #when {
        width: 18;
    }
    EncounterScreen #person {
        width: 12;
    }
    EncounterScreen #setting {
        width: 16;
    }
    EncounterScreen #minutes {
        width: 5;
        margin-right: 0;
    }
    /* Under 76 columns the context row takes two lines: at 60x20 the Min field was
       past the right edge (reachable by Tab, never seen). */
    EncounterScreen.-narrow #context {
        layout: grid;
        grid-size: 4;
        grid-columns: auto 1fr auto 1fr;
        height: 2;
    }
    EncounterScreen.-narrow StepPage > .guide {
        width: 20;
    }
    EncounterScreen.-narrow StepPage .fields > Label {
        width: 1fr;  /* a long question wraps rather than being cut */
    }
    EncounterScreen.-narrow WrapUpPage .mi-row {
        layout: grid;  /* one count a line: the second was past the right edge */
        grid-size: 2;
        grid-columns: 15 8;
        height: 2;
    }
    EncounterScreen #hint-row {
        height: 1;
        padding: 0 1;
        margin-bottom: 1;
    }
    EncounterScreen #when-hint {
        width: 1fr;
        color: $text-muted;
    }
    EncounterScreen #when-hint.-warning {
        color: $warning;
    }
    EncounterScreen #when-hint.-error {
        color: $error;
        text-style: bold;
    }
    EncounterScreen #status {
        width: auto;
        color: $text-muted;
    }
    EncounterScreen #pages {
        height: 1fr;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]

    # Nothing is focused until on_mount has put the values in place and chosen the field
    # (the app's "*" would give the When field the first keys). Keys typed before then
    # reach the screen in order and are handed to that field (see on_key).
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the entry and go back", id="encounter.save"),
        # Moving focus is a priority binding, so it happens the moment the key arrives:
        # the keys typed after it go to the new field, never the one being left.
        Binding("ctrl+n", "next_step", "Next", tooltip="Next step (nothing typed is lost)", id="encounter.next",
                priority=True),
        Binding("ctrl+b", "prev_step", "Back", tooltip="Previous step (nothing typed is lost)", id="encounter.back",
                priority=True),
        # Priority, so a Tab takes effect the moment it is pressed; help lists each once.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="encounter.tab"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True, id="encounter.shift_tab"),
        Binding(
            "ctrl+x",
            "crisis",
            "Crisis",
            tooltip="Mark a crisis: crisis lines, and record what was done",
            priority=True,
            id="encounter.crisis",
        ),
        Binding(
            "ctrl+e",
            "open_editor",
            "Editor",
            tooltip="Open this field in $VISUAL / $EDITOR",
            priority=True,
            id="encounter.editor",
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            tooltip="Leave without saving; the draft is kept to resume later",
            id="encounter.leave",
        ),
    ]

    HELP_EXTRA = [
        ("tab / shift+tab", "Next / previous field (the context row sits above the story)"),
        ("space", "Tick a purpose, competency or flag; cycle a disclosure check"),
        ("y / n / 0", "Answer a disclosure check yes, no, or not answered"),
        ("click a step", "Jump to that step in the progress line"),
    ]

    def __init__(self, journal: Journal, *, entry: Entry | None = None, draft: Draft | None = None) -> None:
        super().__init__()
        self.journal = journal
        self._entry_arg = entry
        self._draft_arg = draft
        self._page = "listen"
        self._base: Entry | None = None  # id, peer, recorded of the entry being written
        self._in_store = False  # does the entry already exist in the journal?
        # The version this edit started from (the stored `updated` as read; None for a new
        # entry): every save passes it, so a change or delete by another process is not undone.
        self._version: datetime | None = None
        self._saved: Entry | None = None  # what this screen last saved (dismissed on leave)
        self._crisis: Crisis | None = None
        self._when: datetime | None = None
        self._when_default: tuple[str, datetime] | None = None  # (shown text, exact time)
        self._latest: dict[str, Any] | None = None  # the form as last read
        self._keeper = DraftKeeper(
            self,
            journal,
            draft.id if draft is not None else model.new_id(),
            on_disk=draft is not None,
            on_status=self._update_status,
            held=lambda: bool(getattr(self.app, "locked", False)),
        )
        self._saving = False
        self._leave_after_save = True
        self._finished = False
        self._ready = False
        self._early = True  # keys reaching the screen itself were typed before it had focus
        self._page_focus: dict[str, str] = {}
        self._raw_when = ""  # what the When field opens with
        # Only the page the encounter opens on is built before the first frame; each other
        # page when it is first shown (building all five took most of the time to open,
        # and held up a ctrl+x typed just after). The form reads the items of a page not
        # built yet from the entry: nothing can have been typed there.
        self._opened_entry: Entry | None = None  # what every page is built from
        self._opened: Draft | None = None  # the form as it opened
        self._ready_pages: set[str] = set()  # mounted and filled
        self._page_built: dict[str, asyncio.Event] = {}  # set once building a page has ended
        self._after_build: dict[str, list[Callable[[], object]]] = {}
        self._widgets: dict[str, Widget] = {}  # the form's widgets by id, as found
        self._story_texts: dict[str, str] = {}
        self._crisis_marked = False  # ctrl+x ticked the crisis flag; its checkbox not yet
        self._spare_panel: CrisisPanel | None = None  # mounted ahead for ctrl+x (see mount_panel_ahead)
        self._status_shown: tuple[object, ...] = ()  # what the status line shows
        # Mounted ahead, off the stack (see mount_ahead): opens when it is shown, not at mount.
        self._waiting = False
        self._mounted = False
        self._mounted_ahead = False

    @property
    def built_pages(self) -> frozenset[str]:
        """The pages built so far (each is built when first shown)."""
        return frozenset(self._ready_pages)

    @property
    def kept_draft_id(self) -> str | None:
        """The id of the draft left on disk, or None (saved, or nothing typed)."""
        return self._keeper.draft_id if self._keeper.on_disk else None

    # --- time -------------------------------------------------------------------------

    def now(self) -> datetime:
        """The app's clock when it has one (snapshot tests freeze it)."""
        return host(self).now()

    # --- layout -----------------------------------------------------------------------

    def _story_options(self) -> list[Story]:
        try:
            stories = self.journal.stories(include_retired=False)
        except Exception:  # noqa: BLE001 - a story bank we cannot read must not block journaling
            return []
        return stories

    def mount_ahead(self) -> None:
        """Mount this new encounter now, hidden, in a quiet moment (screens/ahead.py):
        `n` then only shows it. It opens (its time, its draft) when shown: see `showing`."""
        self._waiting = self._mounted_ahead = True
        mount_hidden(self.app, self)

    def mount_panel_ahead(self) -> None:
        """Its crisis panel mounted too, hidden, so that ctrl+x only shows it (a step of its
        own: see ReflectApp.when_quiet). Not once the encounter has closed."""
        if self._spare_panel is None and not self._finished:
            self._spare_panel = CrisisPanel(self._crisis_lines(), self._crisis, clock=self.now)
            mount_hidden(self.app, self._spare_panel)

    def showing(self) -> None:
        """About to be pushed: a screen mounted ahead opens now, at this moment's time (its
        When field was filled when it was mounted). One still mounting opens at its mount."""
        if not self._waiting:
            return
        self._waiting = False
        classes_for_size(self)  # the terminal may have been resized since it was mounted
        if self._mounted:
            self._open()

    @property
    def built_ahead(self) -> bool:
        """Whether this screen was built and mounted before it was shown (see mount_ahead)."""
        return self._mounted_ahead

    def compose(self) -> ComposeResult:
        classes_for_size(self)
        entry = self._start()
        yield Static(id="progress")
        with Horizontal(id="context"):
            for item in FORM["context"]:
                yield Label(item.label)
                yield field_widget(item, self._raw_when if item.id == "when" else value_at(entry, item.path))
        with Horizontal(id="hint-row"):
            yield Static("", id="when-hint")
            yield Static("", id="status")
        self._page_built[self._page] = asyncio.Event()
        with ContentSwitcher(id="pages", initial=f"page-{self._page}"):
            yield self._build_page(self._page)
        yield Footer()

    def _build_page(self, page: str) -> Widget:
        assert self._opened_entry is not None
        stories = self._stories() if page == "select" else []
        return PAGE_CLASSES[page](self._opened_entry, stories)

    def _stories(self) -> list[tuple[str, str]]:
        """The story bank as (label, id); a retired story the entry uses stays listed."""
        stories = self._story_options()
        options = [(s.title, s.id) for s in stories]
        self._story_texts = {s.id: s.text for s in stories}
        used = self._start_entry_story_id()
        if used and used not in self._story_texts:
            try:
                story = self.journal.get_story(used)
                options.append((f"{story.title} (retired)", story.id))
                self._story_texts[story.id] = story.text
            except Exception:  # noqa: BLE001
                options.append(("(a story no longer in the bank)", used))
                self._story_texts[used] = ""
        return options

    def _start_entry_story_id(self) -> str | None:
        if self._draft_arg is not None:
            sel = self._draft_arg.entry.get("select") or {}
            return sel.get("story_id") if isinstance(sel, dict) else None
        if self._entry_arg is not None:
            return self._entry_arg.select.story_id
        return None

    # --- start --------------------------------------------------------------------------

    def _start(self) -> Entry:
        """The entry the form opens with (a draft, an entry to edit, or a new one at `now`)."""
        now = self.now()
        raw_when: str | None = None
        if self._draft_arg is not None:
            entry, raw_when = self._entry_from_draft(self._draft_arg, now)
            self._in_store = self._exists(self._draft_arg.entry_id or entry.id)
            self._page = self._draft_arg.step if self._draft_arg.step in PAGES else "listen"
            # A draft of a saved entry holds that entry as it was read, `updated` included.
            self._version = self._started_from(entry) if self._draft_arg.entry_id else None
        elif self._entry_arg is not None:
            entry = Entry.from_dict(self._entry_arg.to_dict())
            self._in_store = True
            self._version = self._started_from(entry)
        else:
            entry = Entry(occurred=now)
        self._base = entry
        self._opened_entry = entry
        self._crisis = entry.crisis
        self._when_default = (show_when(entry.occurred), entry.occurred)
        self._when = entry.occurred
        # A date the peer typed that could not be read is kept as typed.
        self._raw_when = show_when(entry.occurred) if raw_when is None else raw_when
        return entry

    def on_mount(self) -> None:
        assert self._base is not None and self._when_default is not None
        if self._raw_when != self._when_default[0]:
            self._read_when()
        self._fill(self)
        self._ready_pages.add(self._page)
        self._page_built[self._page].set()
        if self._page in DECIDED_PAGES:
            self._show_decision(self._base.select.decision, self)
        self._show_page(self._page, focus=True)
        self._mounted = True
        if not self._waiting:
            self._open()

    def _open(self) -> None:
        """The form as it opens: what the draft keeper compares with from now on."""
        if self._mounted_ahead:
            self._now_for_when()
        self._latest = self._form()
        self._opened = self._draft()
        self._keeper.start(self._opened)
        self._update_status()
        self._ready = True
        self.post_message(self._EarlyKeysDone())  # queued behind every key that came before focus
        self.call_after_refresh(self._prepare_crisis)

    def _now_for_when(self) -> None:
        """A new encounter mounted ahead happens now: When shows this moment, not the one it
        was mounted at."""
        self._start()
        when = self.query_one("#when", Input)
        with when.prevent(Input.Changed):
            when.value = self._raw_when
        when.cursor_position = len(self._raw_when)

    def _fill(self, within: Widget) -> None:
        """What a widget is not built with: the entry's radio choices; each text's cursor at its end."""
        assert self._opened_entry is not None
        for item in ITEMS.values():
            if item.widget == fields.RADIO:
                for button in within.query(f"#{item.id}-{value_at(self._opened_entry, item.path)}"):
                    if isinstance(button, RadioButton):
                        button.value = True
        for area in within.query(TextArea):  # carry on writing where the text ends
            area.move_cursor(area.document.end)

    def _build(self, page: str) -> asyncio.Event:
        """Build `page` (once) on a task of its own; the event is set when that has ended."""
        event = self._page_built.get(page)
        if event is None:
            event = self._page_built[page] = asyncio.Event()
            self.run_worker(self._mount_page(page, event), group="pages", name=f"encounter: {page}",
                            exit_on_error=False)  # fmt: skip
        return event

    async def _mount_page(self, page: str, event: asyncio.Event) -> None:
        try:
            switcher = self.query_one("#pages", ContentSwitcher)
            widget = self._build_page(page)
            widget.display = False
            later = [p for p in PAGES[PAGES.index(page) + 1 :] if p in self._page_built and p != page]
            following = next((c for c in switcher.children if c.id in {f"page-{p}" for p in later}), None)
            if following is not None:
                await switcher.mount(widget, before=following)
            else:
                await switcher.mount(widget)
            if not self._finished:
                self._page_mounted(page, widget)
        finally:
            event.set()

    def _page_mounted(self, page: str, widget: Widget) -> None:
        """A page is there: fill it, and read the form as it opened again."""
        assert self._opened is not None
        self._fill(widget)
        # Its items, as their widgets read them, over the form as it opened (that reading
        # took them from the entry): the draft keeper compares with this.
        entry = read_form(self._find_in(widget), copy.deepcopy(self._opened.entry), None, FORM[page])
        was = self._opened
        opened = Draft(entry=entry, id=was.id, step=was.step, entry_id=was.entry_id)
        self._keeper.reopened(self._opened, opened)
        self._opened = opened
        self._ready_pages.add(page)
        if page in DECIDED_PAGES:
            self._show_decision(str(self._value("select.decision")), widget)
        if self._crisis_marked:
            self._tick_crisis()
        for callback in self._after_build.pop(page, []):
            callback()
        self._schedule_draft()

    def _when_built(self, page: str, callback: Callable[[], object]) -> None:
        """Run `callback` once `page` is built (now, if it is)."""
        if page in self._ready_pages:
            callback()
        else:
            self._after_build.setdefault(page, []).append(callback)
            self._build(page)

    def _find_in(self, within: Widget) -> Callable[[str], Widget | None]:
        def find(wid: str) -> Widget | None:
            try:
                return within.query_one(f"#{wid}")
            except NoMatches:
                return None

        return find

    def _find(self, wid: str) -> Widget | None:
        """The form's widget `wid`, or None on a page not built yet."""
        widget = self._widgets.get(wid)
        if widget is None:
            page = PAGE_OF.get(wid)
            if page is not None and page != "context" and page not in self._ready_pages:
                return None
            try:
                widget = self.query_one(f"#{wid}")
            except NoMatches:
                return None
            if any(isinstance(node, StepPage) and node.page not in self._ready_pages for node in widget.ancestors):
                return None  # mounted, not yet filled
            self._widgets[wid] = widget
        return widget

    def _value(self, path: str) -> object:
        """One item's value: its widget's, or the entry's while its page is not built."""
        item = ITEMS[path]
        widget = self._find(item.id)
        if widget is None:
            assert self._base is not None
            return value_at(self._base, path)
        return read_value(widget, item)

    class _EarlyKeysDone(Message):
        """Every key typed before the form had focus has been handed on."""

    def on_key(self, event: events.Key) -> None:
        """A key typed before the form had focus goes, in order, to the field that has it now."""
        if not self._early or self.focused is None:
            return
        event.stop()
        event.prevent_default()
        key = events.Key(event.key, event.character)
        self.focused._forward_event(key)

    def on_encounter_screen__early_keys_done(self, _message: _EarlyKeysDone) -> None:
        self._early = False

    def _started_from(self, entry: Entry) -> datetime | None:
        """The version an edit of a saved entry starts from: its `updated` as read. An entry
        built in memory without one is taken as stored now (None when there is none)."""
        if entry.updated is not None:
            return entry.updated
        try:
            return self.journal.get(entry.id).updated
        except Exception:  # noqa: BLE001 - not stored (or unreadable): save it as new
            return None

    def _exists(self, entry_id: str) -> bool:
        try:
            return bool(self.journal.exists(entry_id))
        except Exception:  # noqa: BLE001
            return False

    def _entry_from_draft(self, draft: Draft, now: datetime) -> tuple[Entry, str | None]:
        """The draft's entry; an unreadable `when` comes back as the text typed."""
        data = dict(draft.entry)
        raw_when = None
        try:
            parse_iso_datetime(data.get("occurred"), "occurred")
        except ValidationError:
            raw = data.get("occurred")
            raw_when = raw if isinstance(raw, str) else ""
            data["occurred"] = iso(now)
        if draft.entry_id and not data.get("id"):
            data["id"] = draft.entry_id
        try:
            return Entry.from_dict(data), raw_when
        except ValidationError as exc:
            self.notify(f"Part of this draft could not be read ({exc}); the rest is here.", severity="warning")
            entry = Entry.from_dict({k: v for k, v in data.items() if k in ("id", "occurred")})
            for name, part in (("listen", model.Listen), ("reflect", model.Reflect), ("share", model.Share)):
                try:
                    setattr(entry, name, part.from_dict(data.get(name) or {}))
                except ValidationError:
                    pass
            return entry, raw_when

    # --- reading the form ----------------------------------------------------------------

    def _form(self) -> dict[str, Any]:
        """The form as an entry dict (the contract shape). An unreadable `when` is kept as typed."""
        assert self._base is not None
        when = iso(self._when) if self._when is not None else self.query_one("#when", Input).value
        d = read_form(self._find, self._base.to_dict(), when)
        if self._crisis_marked:
            d["flags"]["crisis"] = True
        d["crisis"] = None if self._crisis is None else self._crisis.to_dict()
        return d

    def _entry_from_form(self, *, lenient_when: bool = False) -> Entry:
        """The entry to save. Raises FormError for a date that cannot be read (never a guess)."""
        data = self._form()
        if self._when is None:
            if not lenient_when:
                raise FormError(
                    "When: the date cannot be read. Try 'now', 'yesterday 3pm' or 2025-03-14 15:00.", "when"
                )
            assert self._when_default is not None
            data["occurred"] = iso(self._when_default[1])
        return Entry.from_dict(data)

    # --- reacting to changes ---------------------------------------------------------------

    def _read_when(self) -> None:
        """Read the `when` field; show what it was read as, or why it cannot be read."""
        text = self.query_one("#when", Input).value
        hint = self.query_one("#when-hint", Static)
        assert self._when_default is not None
        if text == self._when_default[0]:
            self._when = self._when_default[1]
            hint.update("")
            hint.remove_class("-error", "-warning")
            return
        try:
            self._when = parse_when(text, now=self.now())
        except DateError:
            self._when = None
            hint.update(when_problem(text))
            hint.remove_class("-warning")
            hint.add_class("-error")
            return
        hint.remove_class("-error")
        now = self.now()
        future = self._when > now + timedelta(minutes=FUTURE_SLACK_MINUTES)
        shown = f"→ {resolved_when(self._when, now)}"
        # An encounter has happened: a time ahead of now (tomorrow 10am) is worth a word.
        hint.update(f"{shown} · in the future: is that right?" if future else shown)
        hint.set_class(future, "-warning")

    def _changed(self, widget: Widget | None) -> None:
        if not self._ready:
            return
        wid = widget.id if widget is not None else None
        if wid == "when":
            self._read_when()
        elif wid == "story-choice":
            value = self.query_one("#story-choice", Select).value
            self._show_story(None if value in (NEW_PART, Select.BLANK) else str(value))
        elif wid == "flag-discuss":
            self._show_question(self.query_one("#flag-discuss", Checkbox).value)
        elif wid == ITEMS["select.decision"].id:
            self._show_decision(str(self._value("select.decision")))
        self._update_status()
        self._schedule_draft()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self._changed(event.selection_list)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._changed(event.radio_set)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._changed(event.checkbox)

    def on_tristate_changed(self, event: Tristate.Changed) -> None:
        self._changed(event.tristate)

    def _show_story(self, story_id: str | None) -> None:
        text = self._story_texts.get(story_id, "") if story_id else ""
        text = " ".join(text.split())
        if len(text) > 160:
            text = text[:159].rstrip() + "…"
        preview = self._find("story-text")
        if not isinstance(preview, Static):
            return
        preview.update(text)
        preview.display = bool(text)

    def _show_decision(self, decision: str, within: Widget | None = None) -> None:
        """Show what fits the decision, on the pages built (`within` one page, just built)."""
        show_for_decision(within or self, decision)
        if decision == "hold":
            preview = self._find("story-text")
            if preview is not None:
                preview.display = False
        else:
            value = self._value("select.story_id")
            self._show_story(None if value in (NEW_PART, Select.BLANK, None) else str(value))

    def _show_question(self, show: bool) -> None:
        self.query_one("#question-box").set_class(not show, "-hidden")

    def _update_status(self) -> None:
        try:
            private = self._value("visibility") == "private"
            crisis = bool(self._value("flags.crisis")) or self._crisis_marked
        except NoMatches:
            return
        parts: list[str | tuple[str, str]] = []
        if crisis:
            parts += [("! crisis", "$error bold"), "  "]
        parts.append(("P private" if private else "shared", "$secondary bold" if private else ""))
        if self._keeper.failed is not None:
            parts += ["  ", ("draft NOT kept", "$error bold")]
        elif self._saved is not None:
            parts += ["  ", ("saved", "$success")]
        elif self._keeper.held:
            parts += ["  ", "kept when you save"]
        elif self._keeper.on_disk:
            parts += ["  ", "draft kept"]
        if tuple(parts) == self._status_shown:
            return  # unchanged: updating it anyway laid the whole screen out again
        try:
            self.query_one("#status", Static).update(Content.assemble(*parts))
        except NoMatches:  # the screen is being taken down
            return
        self._status_shown = tuple(parts)

    # --- drafts -------------------------------------------------------------------------

    def _schedule_draft(self) -> None:
        """Hand the form to the draft keeper, which writes it shortly (a throttle, not a debounce)."""
        if self._finished:
            return
        try:
            self._latest = self._form()
        except NoMatches:
            return
        self._keeper.want(self._draft())

    def _draft(self) -> Draft:
        """The form as last read, as a draft of this screen."""
        assert self._latest is not None and self._base is not None
        return Draft(
            entry=self._latest,
            id=self._keeper.draft_id,
            step=self._page_step(),
            entry_id=self._base.id if self._in_store else None,
        )

    def _page_step(self) -> str:
        return self._page if self._page in cycle.STEP_KEYS else cycle.STEP_KEYS[-1]

    def _flush_draft(self) -> bool:
        """Write any unwritten change now (leaving, quitting). True when a draft is on disk."""
        if self._finished:
            return False
        try:  # read the widgets themselves: the last keystrokes' Changed messages may still be queued
            self._latest = self._form()
        except Exception:  # noqa: BLE001 - widgets already gone (app exiting): keep the last reading
            pass
        return self._keeper.flush(self._draft() if self._latest is not None else None)

    def on_unmount(self) -> None:
        """Quitting the app mid-entry (or the screen going away) keeps what was typed."""
        if self._ready:  # a screen mounted ahead and never shown holds nothing typed
            self._flush_draft()
        self._keeper.close()
        self._finished = True
        panel, self._spare_panel = self._spare_panel, None
        drop(panel)

    # --- pages --------------------------------------------------------------------------

    def _show_page(self, page: str, *, focus: bool = True) -> None:
        if page not in self._ready_pages:
            self._when_built(page, lambda: self._show_page(page, focus=focus))
            return
        self._page = page
        self.query_one("#pages", ContentSwitcher).current = f"page-{page}"
        self._render_progress()
        self.refresh_bindings()
        if focus:
            self._focus_page(page)

    def _focus_page(self, page: str) -> None:
        container = self.query_one(f"#fields-{page}")
        remembered = self._page_focus.get(page)
        if remembered:
            try:
                self.set_focus(self.query_one(f"#{remembered}"))
                return
            except NoMatches:
                pass
        for widget in container.query("*"):
            if widget.focusable and shown(widget, container):  # a held-back share hides "how"
                self.set_focus(widget, scroll_visible=False)  # at once, so the next key typed reaches it
                container.scroll_home(animate=False)
                return

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget or self.focused
        if widget is None or not widget.id:
            return
        for page in PAGES:
            if any(a.id == f"fields-{page}" for a in widget.ancestors):
                self._page_focus[page] = widget.id
                break

    def _render_progress(self) -> None:
        current = PAGES.index(self._page)
        parts: list[str] = []
        for i, page in enumerate(PAGES):
            title = PAGE_TITLES[page]
            label = f" {i + 1} {title} " if page in cycle.STEP_KEYS else f" {title} "
            if i == current:
                parts.append(f"[@click=screen.goto('{page}')][b reverse]{label}[/][/]")
            elif i < current:
                parts.append(f"[@click=screen.goto('{page}')]{label}[/]")
            else:
                parts.append(f"[@click=screen.goto('{page}')][dim]{label}[/][/]")
        self.query_one("#progress", Static).update("›".join(parts))

    async def action_goto(self, page: str) -> None:
        if page in PAGES:
            if page not in self._ready_pages:
                # The keys typed after this one wait too, so they reach the page's field.
                await self._build(page).wait()
            self._show_page(page)
            self._schedule_draft()

    async def action_next_step(self) -> None:
        i = PAGES.index(self._page)
        if i < len(PAGES) - 1:
            await self.action_goto(PAGES[i + 1])

    async def action_prev_step(self) -> None:
        i = PAGES.index(self._page)
        if i > 0:
            await self.action_goto(PAGES[i - 1])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("next-"):
            event.stop()
            await self.action_next_step()
        elif button.startswith("back-"):
            event.stop()
            await self.action_prev_step()
        elif button.startswith("save-"):
            event.stop()
            self.action_save()

    # --- $EDITOR ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_editor":
            # Only a long field opens in the editor; elsewhere ctrl+e keeps its usual meaning.
            return True if isinstance(self.focused, TextArea) else None
        if action in ("next_step", "prev_step"):
            # Shown dimmed where there is no page to go to (next on Wrap-up, back on Listen).
            i = PAGES.index(self._page)
            return True if (i < len(PAGES) - 1 if action == "next_step" else i > 0) else None
        return True

    def action_open_editor(self) -> None:
        area = self.focused
        if not isinstance(area, TextArea):
            return
        try:
            text = edit_text(self.app, area.text)
        except EditorError as exc:
            self.notify(str(exc), severity="error")
            return
        if text != area.text:
            area.text = text
            area.move_cursor(area.document.end)
            self._changed(area)

    # --- leaving --------------------------------------------------------------------------------

    def action_leave(self) -> None:
        """Leave without saving. Asks nothing: the draft is kept and the peer is told."""
        kept = self._flush_draft()
        self._keeper.close()
        self._finished = True
        if kept:
            self.notify("Draft kept: resume it from home.", title="Not saved yet")
        self.dismiss(self._saved)

    # --- saving ---------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        try:
            entry = self._entry_from_form()
        except FormError as exc:
            self.notify(str(exc), severity="error")
            self._focus_widget(exc.widget)
            return
        findings = scan_fields(entry.text_fields())
        if findings:
            self.app.push_screen(PrivacyPrompt(findings), lambda choice: self._after_privacy(choice, entry, findings))
            return
        self._save_written(entry)

    def _save_written(self, entry: Entry, *, future_ok: bool = False) -> None:
        """Save, unless nothing about the encounter is written; a date ahead of now asks first."""
        if is_empty(entry):
            # An empty entry would list as "(no text)" and count in the workload: save nothing.
            self.notify(
                "Nothing to save yet: write what happened, or anything from the encounter, first. "
                "esc leaves without saving.",
                title="Not saved",
                severity="warning",
            )
            self._focus_widget("story")
            return
        if not future_ok and in_future(entry.occurred, self.now()):
            from reflect.screens.future_date import FutureDatePrompt

            prompt = FutureDatePrompt(resolved_when(entry.occurred, self.now()))
            self.app.push_screen(prompt, lambda choice: self._after_future(choice, entry))
            return
        self._start_save(entry, leave=True)

    def _after_future(self, choice: str | None, entry: Entry) -> None:
        from reflect.screens.future_date import CHANGE_DATE, SAVE_ANYWAY as SAVE_FUTURE

        if choice == SAVE_FUTURE:
            self._save_written(entry, future_ok=True)
        elif choice == CHANGE_DATE:
            self._focus_widget("when")

    def _after_privacy(self, choice: str | None, entry: Entry, findings: list[Finding]) -> None:
        if choice == SAVE_ANYWAY:
            self._save_written(entry)
        elif choice:
            self._go_to_field(choice, findings)

    def _go_to_field(self, field: str, findings: list[Finding]) -> None:
        """Show the field a finding is in, with the cursor on the text that looks identifying."""
        base = field_base(field)
        if base == "crisis.notes":
            self.action_crisis()
            return
        page, wid = FIELD_WIDGETS.get(base, (None, ""))
        if not wid:
            return
        if page is not None and page not in self._ready_pages:
            self._when_built(page, lambda: self._go_to_field(field, findings))
            return
        if page is not None:
            self._show_page(page, focus=False)
        widget = self.query_one(f"#{wid}")
        widget.focus()
        finding = next((f for f in findings if f.field == field), None)
        if finding is None:
            return
        if isinstance(widget, TextArea):
            start = location(widget.text, finding.start)
            end = location(widget.text, finding.end)
            widget.selection = TextSelection(start, end)
        elif isinstance(widget, Input) and "[" not in field:
            widget.cursor_position = finding.start

    def _focus_widget(self, wid: str) -> None:
        for name, (page, widget_id) in FIELD_WIDGETS.items():
            if widget_id == wid and page is not None and page not in self._ready_pages:
                self._when_built(page, lambda: self._focus_widget(wid))
                return
        for name, (page, widget_id) in FIELD_WIDGETS.items():
            if widget_id == wid and page is not None:
                self._show_page(page, focus=False)
        self.query_one(f"#{wid}").focus()

    def _start_save(self, entry: Entry, *, leave: bool, overwrite: bool = False) -> None:
        """Save on a thread, from the version this edit started from: a conflict saves nothing."""
        self._saving = True
        self._leave_after_save = leave
        keeper = self._keeper
        save_seq = keeper.saving(self._draft()) if self._latest is not None else 0
        expected = self._version

        def save() -> Entry:
            saved = self.journal.save(entry, expected, overwrite=overwrite)
            keeper.discard(upto=save_seq)
            return saved

        self.run_worker(save, thread=True, group="save", name="save", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "save":
            return
        if event.state == WorkerState.SUCCESS:
            self._saving = False
            saved = worker.result
            assert isinstance(saved, Entry)
            self._saved = saved
            self._base = saved
            self._in_store = True
            self._version = saved.updated  # saving again starts from what was just saved
            if self._leave_after_save:
                self._keeper.close()
                self._finished = True
                self.notify("Saved.", timeout=3)
                self.dismiss(saved)
            else:
                self._update_status()
                self.notify(
                    "Crisis recorded and the entry saved. Finish the reflection when you are ready: "
                    "ctrl+s saves again, esc leaves.",
                    title="Saved",
                    timeout=8,
                )
        elif event.state == WorkerState.ERROR:
            self._saving = False
            self._keeper.save_failed()  # what is on screen must now be kept as a draft
            self._schedule_draft()
            if isinstance(worker.error, EntryChanged):
                self._ask_conflict(worker.error)
                return
            self.notify(f"Could not save: {worker.error}. Your text is kept as a draft.", severity="error", timeout=10)

    def _ask_conflict(self, changed: EntryChanged) -> None:
        """Another process changed or deleted the entry: save nothing until the peer chooses."""
        deleted = changed.current is None and changed.expected is not None
        leave = self._leave_after_save
        self.app.push_screen(
            ConflictPrompt(deleted=deleted), lambda choice: self._after_conflict(choice, deleted, leave)
        )

    def _after_conflict(self, choice: str | None, deleted: bool, leave: bool) -> None:
        if choice is None:
            self.notify("Nothing saved; your text is kept as a draft.", title="Not saved")
            return
        if choice == TAKE_THEIRS:
            self._take_theirs(deleted)
            return
        try:
            entry = self._entry_from_form(lenient_when=not leave)
        except FormError as exc:
            self.notify(str(exc), severity="error")
            self._focus_widget(exc.widget)
            return
        if self._crisis is not None:
            entry.flags.crisis = True
        if choice == KEEP_COPY:
            entry = copy_of(entry)
            self._version = None  # the copy is new: no entry with its id may exist
            self._in_store = False
            self._start_save(entry, leave=leave)
        elif choice == OVERWRITE:
            self._start_save(entry, leave=leave, overwrite=True)

    def _take_theirs(self, deleted: bool) -> None:
        """Close the form without saving; what is typed here is dropped, draft included."""
        keeper = self._keeper
        keeper.close()
        self._finished = True
        seq = keeper.saving(self._draft()) if self._latest is not None else 0
        try:
            keeper.discard(upto=seq)
        except Exception:  # noqa: BLE001 - a draft that cannot be removed is only left behind
            pass
        if deleted:
            self.notify("The entry stays deleted; your changes were not saved.", title="Not saved")
        else:
            self.notify("The other version is kept; your changes were not saved.", title="Not saved")
        self.dismiss(None)

    # --- crisis ------------------------------------------------------------------------------------

    def action_crisis(self) -> None:
        """Mark a crisis and open the panel; safety first, never blocked by the form.

        The panel comes first: the flag is marked at once (the form reads it) and its
        checkbox ticked once the panel shows, since ticking it reads the form and asks for
        a draft, which had the panel wait."""
        if isinstance(self.app.screen, CrisisPanel):
            return
        self._crisis_marked = True
        lines = self._crisis_lines()
        panel, self._spare_panel = self._spare_panel, None
        if panel is None or not panel.shows(lines, self._crisis):
            drop(panel)
            panel = CrisisPanel(lines, self._crisis, clock=self.now)
        elif panel.is_running:
            classes_for_size(panel)  # mounted ahead: the terminal may have been resized since
        self.app.push_screen(panel, self._after_crisis)
        self.call_after_refresh(self._tick_crisis)

    def _crisis_lines(self) -> list[CrisisLine]:
        try:
            return self.journal.settings().crisis_lines
        except Exception:  # noqa: BLE001 - unreadable settings must not hide the crisis lines
            return Settings().crisis_lines

    def _prepare_crisis(self) -> None:
        """Mount the crisis panel ahead, once this screen is on show (an edit, a draft, or a
        new encounter whose panel was not mounted with it): ctrl+x then only shows it."""
        if self.app.screen is self:
            self.mount_panel_ahead()

    def _tick_crisis(self) -> None:
        """The crisis checkbox ticked as ctrl+x marked it (a Changed message: status, draft)."""
        flag = self._find("flag-crisis")
        if isinstance(flag, Checkbox):
            self._crisis_marked = False
            flag.value = True
        # else ticked when the wrap-up page is built; the form reads the mark till then
        self._update_status()
        self._schedule_draft()

    def _after_crisis(self, crisis: Crisis | None) -> None:
        if self._crisis_marked:
            self._tick_crisis()
        self.call_after_refresh(self._prepare_crisis)  # for a ctrl+x again, from what is saved now
        if crisis is None:
            self.notify("Crisis stays marked (untick it on Wrap-up if it was a mistake). ctrl+x reopens the panel.")
            return
        self._crisis = crisis
        try:
            self._latest = self._form()
        except NoMatches:
            pass
        entry = self._entry_from_form(lenient_when=True)
        entry.flags.crisis = True
        if self._when is None:
            self.notify("When could not be read, so the time the entry was opened is used; correct it later.",
                        severity="warning")
        findings = scan_fields(entry.text_fields())
        if findings:
            fields = sorted({FIELD_LABELS.get(field_base(f.field), f.field) for f in findings})
            self.notify(
                "Saved now because safety comes first, but some text looks identifying: " + "; ".join(fields),
                severity="warning",
                timeout=10,
            )
        if in_future(entry.occurred, self.now()):
            self.notify("Saved now because safety comes first, but When is after now: check the date.",
                        severity="warning", timeout=10)  # fmt: skip
        if not self._saving:
            self._start_save(entry, leave=False)


def copy_of(entry: Entry) -> Entry:
    """The entry as a new one: a new id, never saved (so `recorded` and `updated` are set afresh)."""
    data = entry.to_dict()
    data["id"] = model.new_id()
    data.pop("recorded", None)
    data.pop("updated", None)
    return Entry.from_dict(data)
