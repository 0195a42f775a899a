"""The review screen: walk the agenda in a supervision meeting and record it.

Sections come in the agenda's order (safety first); each item can be marked
discussed and its cited entries opened in full. Notes and action items (owner,
due date in plain words) are kept on the screen until "Record meeting" saves a
`Meeting` holding the window, notes, actions, the items discussed and the agenda
as it was; the next review starts where this window ended, and open actions come
back under Follow-ups. Recording asks for what a board wants of the record (length,
prefilled from the time the screen was open; kind; delivery; observed; summary;
competence; areas to grow: `review_record.py`), checks its free text for identifiers with
the privacy prompt, and takes the credential numbers from settings. An earlier action marked done (`x`) is closed by recording
the meeting, which says so; leaving without recording leaves it open.

Until it is recorded, the review is kept as a draft (`usecases.reviewing`): every change
is written within moments, so a crash or a quit loses nothing, and the next review of the
same peer offers it back. Every way out (esc, q, ctrl+q, ctrl+c) warns first while
something is not recorded.

Every write runs on a worker thread (the meeting reports back as a typed message), so a
slow or locked journal never freezes the meeting; a write that fails keeps the screen and
what was written on it, and says why.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reflect.domain.agenda import NOTHING, WHOLE, Agenda, Item, clip_words, when
from reflect.domain.model import ActionItem, Meeting, ValidationError
from reflect.screens.context import host
from reflect.screens.entry_view import EntryView
from reflect.screens.footer import Footer  # rebuilt only when its keys change; narrow, ^x Crisis leads
from reflect.screens.privacy import SAVE_ANYWAY, PrivacyPrompt
from reflect.screens.review_dialogs import (
    ActionDialog,
    ConfirmRecord,
    ItemPrompt,
    NotesDialog,
    PickEntry,
    ResumeDraft,
)
from reflect.screens.review_record import LABELS, Given, RecordDialog
from reflect.store import JournalError
from reflect.usecases.meetings import Details, identifier_findings, record_details, rounded_minutes
from reflect.usecases.reviewing import ActionRef, ReviewDraft, keep_draft, record_meeting

if TYPE_CHECKING:
    from reflect.domain.settings import Settings
    from reflect.store import Journal

ActionKey = ActionRef  # (meeting id, action id)
QUIT_KEYS = ("ctrl+q", "ctrl+c", "q")


def _short(dt: datetime) -> str:
    local = dt.astimezone()
    return f"{local.day} {local:%b}"


def _window(agenda: Agenda) -> str:
    return f"{_short(agenda.since)} to {_short(agenda.until)}"


class ReviewScreen(Screen[Meeting | None]):
    """Walk one peer's agenda; dismisses with the recorded Meeting, or None on leaving."""

    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-head {
        height: auto; padding: 0 1; background: $boost; text-style: bold;
    }
    ReviewScreen #review-section {
        height: 1; padding: 0 1; color: $accent; text-style: bold; background: $surface;
    }
    ReviewScreen #review-agenda { height: 1fr; border: none; }
    ReviewScreen #review-status {
        height: auto; max-height: 5; padding: 0 1; color: $text-muted;
        border-top: solid $primary;
    }
    """
    BINDINGS = [
        Binding("space", "toggle_discussed", "Discussed", id="review.discussed", tooltip="Mark the item discussed (or not)"),
        Binding("o", "open_entry", "Open", id="review.open", show=False, tooltip="Open a cited entry in full (enter too)"),
        Binding("right_square_bracket", "next_section", "Section", id="review.next_section", tooltip="Next section"),
        Binding("left_square_bracket", "previous_section", "Previous section", id="review.previous_section", show=False),
        Binding("n", "notes", "Notes", id="review.notes", tooltip="Write the meeting's notes"),
        Binding("a", "add_action", "Action", id="review.add_action", tooltip="Add an action item: owner and due date"),
        Binding("x", "action_done", "Done", id="review.action_done", tooltip="Mark an earlier action item done (closed when the meeting is recorded)"),
        Binding("s", "supervisor_rating", "Supervisor's rating", id="review.rating", show=False, priority=True, tooltip="Record the supervisor's competency ratings (prompts, not scores)"),
        Binding("ctrl+r", "record", "Record meeting", id="review.record", tooltip="Save the meeting record (asks its length, kind, summary)"),
        Binding("escape", "leave", "Leave", id="review.leave", show=False, tooltip="Leave without recording (asks first; kept as a draft)"),
        # Quitting asks first while something is not recorded; the app's own ctrl+q would not.
        Binding("ctrl+q", "quit_review('ctrl+q')", "Quit", id="review.quit", show=False, tooltip="Quit reflect (asks first; kept as a draft)"),
        Binding("ctrl+c", "quit_review('ctrl+c')", show=False, id="review.quit_c"),
        Binding("q", "quit_review('q')", show=False, id="review.quit_q"),
        Binding("ctrl+p", "app.command_palette", "Commands", id="review.palette", show=False, tooltip="Every command of this screen, searchable"),
        # The app's keys, kept out of this footer (it is full at 80 columns); the status line names "? help".
        Binding("f1,question_mark", "app.help", "Help", id="review.help", key_display="?", show=False, tooltip="Keys and markers"),
        Binding("ctrl+t", "app.toggle_theme", "Theme", id="review.theme", show=False, tooltip="Switch between light and dark"),
    ]

    class Recorded(Message):
        """The meeting is in the journal (posted from the write's worker thread)."""

        def __init__(self, meeting: Meeting) -> None:
            super().__init__()
            self.meeting = meeting

    HELP_EXTRA = [
        ("[x]", "Discussed in this meeting; [ ] not yet (ctrl+r asks before recording with items not discussed)"),
        ("(done)", "An earlier action marked done: it is closed when the meeting is recorded"),
        ("draft", "Until recorded, the review is kept as a draft and offered back next time"),
    ]

    class WriteFailed(Message):
        """A write did not happen: `failed` says what, `reason` why (locked, damaged, disk full)."""

        def __init__(self, failed: str, reason: str) -> None:
            super().__init__()
            self.failed = failed
            self.reason = reason

    class DraftFailed(Message):
        """The draft review could not be kept (the screen still holds everything)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(
        self,
        journal: Journal,
        agenda: Agenda,
        *,
        supervisor: str = "",
        draft: ReviewDraft | None = None,
        on_quit: Callable[[], None] | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        from reflect.domain.settings import Settings

        self.journal = journal
        self.agenda = agenda
        self.supervisor = supervisor
        self.settings = settings or Settings(supervisor=supervisor)  # credentials come from here
        self.details: Details | None = None  # the record's details as last typed
        self._opened: datetime | None = None  # when the screen opened: the meeting's length
        self.discussed: set[str] = set()  # option ids
        self.done: set[ActionKey] = set()  # earlier actions to close when the meeting is recorded
        self.notes = ""
        self.actions: list[ActionItem] = []
        self._items: dict[str, Item] = {}
        self._titles: dict[str, str] = {}  # section key -> "3. Questions to discuss"
        self._offered = draft if draft is not None and not draft.empty else None
        self._on_quit = on_quit
        self._notes_typed: str | None = None  # the notes dialog's text while it is open
        self._armed: str | None = None  # the way out pressed once: a second press takes it
        self._recording = False  # a record write is under way
        self._draft_error = ""
        # The draft keeper: the newest snapshot waits in `_pending`; one worker writes in turn.
        self._state_lock = threading.Lock()
        self._pending: ReviewDraft | None = None
        self._keeping = False
        self._write_lock = threading.Lock()  # one journal write at a time: draft or record
        self._finished = False  # recorded: no draft may be written after it

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        a = self.agenda
        nxt = "none scheduled" if a.next_meeting is None else when(a.next_meeting)
        yield Static(
            Content(f"Review: {a.peer or '(no peer)'} · {_window(a)} · next meeting {nxt}"),
            id="review-head",
        )
        yield Static("", id="review-section")
        options: list[Option] = []
        for n, section in enumerate(a.sections, 1):
            self._titles[section.key] = f"{n}. {section.title}"
            options.append(Option(self._heading(section.key), id=f"s:{section.key}", disabled=True))
            for j, item in enumerate(section.items):
                oid = f"i:{section.key}:{j}"
                self._items[oid] = item
                options.append(Option(self._prompt(oid), id=oid))
        yield OptionList(*options, id="review-agenda")
        yield Static(self._status(), id="review-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._opened = host(self).now()
        agenda = self.query_one("#review-agenda", OptionList)
        agenda.focus()
        for i, opt in enumerate(agenda.options):
            if not opt.disabled:
                agenda.highlighted = i
                break
        self.watch(agenda, "scroll_y", lambda _y: self._pin_section(), init=False)
        self._refresh()  # the headings' tallies
        self.call_after_refresh(self._pin_section)  # the list's lines are known once laid out
        if self._offered is not None:
            self.app.push_screen(ResumeDraft(self.agenda.peer, self._offered), self._resume)

    def on_resize(self) -> None:
        self.call_after_refresh(self._pin_section)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """ctrl+q is this screen's (it asks first), so the app's quit-at-once never sees it."""
        return key == "ctrl+q" or super().check_consume_key(key, character)

    # --- the draft review ----------------------------------------------------------------

    def _resume(self, resume: bool | None) -> None:
        """Take back the kept review, or (declined) drop it."""
        draft, self._offered = self._offered, None
        if draft is None:
            return
        if not resume:
            self._changed()  # an empty review: the kept draft goes
            self.notify("The unrecorded review was discarded.")
            return
        by_text = {(oid.split(":")[1], item.text): oid for oid, item in self._items.items()}
        self.discussed = {by_text[ref] for ref in draft.discussed if ref in by_text}
        actions = {item.action for item in self._items.values() if item.action is not None}
        self.done = {ref for ref in draft.done if ref in actions}
        self.notes = draft.notes
        self.actions = list(draft.actions)
        self.details = draft.details
        agenda = self.query_one("#review-agenda", OptionList)
        for oid in self._items:
            agenda.replace_option_prompt(oid, self._prompt(oid))
        self._refresh()
        self.notify(f"The unrecorded review is back: {draft.summary()}.")

    def _snapshot(self) -> ReviewDraft:
        order = list(self._items)
        return ReviewDraft(
            peer=self.agenda.peer,
            notes=self.notes if self._notes_typed is None else self._notes_typed,
            discussed=[(oid.split(":")[1], self._items[oid].text) for oid in order if oid in self.discussed],
            actions=list(self.actions),
            done=sorted(self.done),
            details=self.details,
        )

    def _unsaved(self) -> bool:
        return not self._snapshot().empty

    def _changed(self) -> None:
        """Something on the screen changed: keep it as the draft, off the UI thread."""
        self._armed = None
        with self._state_lock:
            self._pending = self._snapshot()
            start = not self._keeping
            self._keeping = True
        if start:  # on the app, so leaving the screen never cancels the last write
            self.app.run_worker(self._keep_drafts, thread=True, group="review-draft", name="review: keep draft", exit_on_error=False)

    def _keep_drafts(self) -> None:
        """Write the newest snapshot until none is waiting (a burst of keys is one or two writes)."""
        while True:
            with self._state_lock:
                draft, self._pending = self._pending, None
                if draft is None:
                    self._keeping = False
                    return
            with self._write_lock:
                if self._finished:  # recorded meanwhile: the meeting holds it all
                    continue
                try:
                    keep_draft(self.journal, draft)
                except Exception as exc:  # noqa: BLE001 - said on the screen, which still holds it all
                    self.post_message(self.DraftFailed(str(exc) or type(exc).__name__))

    @on(DraftFailed)
    def _draft_failed(self, event: DraftFailed) -> None:
        if event.reason != self._draft_error:
            self._draft_error = event.reason
            self.notify(f"Not kept as a draft (record the meeting to keep it): {event.reason}", severity="warning", timeout=10)

    @staticmethod
    def _placeholder(item: Item) -> bool:
        """An empty section's one line: nothing to tick, nothing to open."""
        return item.text == NOTHING and not item.entries and item.action is None

    def _prompt(self, oid: str) -> ItemPrompt:
        item = self._items[oid]
        text = " ".join(item.text.split())
        if self._placeholder(item):
            return ItemPrompt("", text)
        mark = "[x]" if oid in self.discussed else "[ ]"
        extra = ""
        if item.action is not None and item.action in self.done:
            extra = "  (done)"
        cites = f"  ({len(item.entries)} entr{'y' if len(item.entries) == 1 else 'ies'})" if item.entries else ""
        return ItemPrompt(mark, text, extra, cites)

    def _status(self) -> Content:
        n_notes = len(self.notes.strip().splitlines())
        notes = "no notes" if not n_notes else f"notes: {n_notes} line{'s' if n_notes > 1 else ''}"
        n_actions = len(self.actions)
        actions = "no actions" if not n_actions else f"{n_actions} action{'s' if n_actions > 1 else ''}"
        head = f"{len(self.discussed)} discussed · {notes} · {actions}"
        lines = [f"{head}   [ back a section · ? help · esc leaves"]
        for act in self.actions[-3:]:
            due = f", due {act.due.isoformat()}" if act.due else ""
            owner = f" ({act.owner}{due})" if act.owner or due else ""
            lines.append(f"  + {act.text}{owner}")
        return Content("\n".join(lines))

    def _refresh(self, oid: str | None = None) -> None:
        agenda = self.query_one("#review-agenda", OptionList)
        if oid is not None:
            agenda.replace_option_prompt(oid, self._prompt(oid))
        for key in self._titles:  # their tallies
            agenda.replace_option_prompt(f"s:{key}", self._heading(key))
        self.query_one("#review-status", Static).update(self._status())
        self._pin_section()

    def _heading(self, key: str) -> Content:
        """A section's heading with how far the meeting got in it:
        "3. Questions to discuss · 1 of 3 discussed"."""
        items = [o for o, it in self._items.items() if o.split(":")[1] == key and not self._placeholder(it)]
        done = sum(1 for o in items if o in self.discussed)
        tally = f" · {done} of {len(items)} discussed" if items else ""
        return Content.styled(f"{self._titles[key]}{tally}", "bold $accent")

    def _current_heading(self) -> int | None:
        """The index of the heading row of the section the highlight is in."""
        agenda = self.query_one("#review-agenda", OptionList)
        opts = agenda.options
        index = agenda.highlighted or 0
        for i in range(min(index, len(opts) - 1), -1, -1):
            oid = opts[i].id
            if oid is not None and oid.startswith("s:"):
                return i
        return None

    def _section_line(self) -> Content:
        """The heading of the section the highlight is in (see `_heading`)."""
        i = self._current_heading()
        if i is None:
            return Content("")
        oid = self.query_one("#review-agenda", OptionList).options[i].id
        assert oid is not None
        return self._heading(oid[2:])

    def _row_in_view(self, index: int) -> bool:
        """Whether option `index` is on the list's visible lines (false when unsure)."""
        agenda = self.query_one("#review-agenda", OptionList)
        line = getattr(agenda, "_index_to_line", {}).get(index)  # Textual's map of option to line
        if line is None:
            return False
        top = round(agenda.scroll_y)
        return top <= line < top + agenda.scrollable_content_region.height

    @on(OptionList.OptionHighlighted, "#review-agenda")
    def _pin_section(self) -> None:
        """The current section's heading stays in view: its own row in the list, or, once
        that has scrolled away, a copy pinned above the list (both at 60x20 read as the
        heading twice, one above the other)."""
        pinned = self.query_one("#review-section", Static)
        i = self._current_heading()
        pinned.update(self._section_line())
        pinned.display = i is None or not self._row_in_view(i)

    def _current(self) -> str | None:
        opt = self.query_one("#review-agenda", OptionList).highlighted_option
        return opt.id if opt is not None and opt.id and opt.id.startswith("i:") else None

    # --- actions ---------------------------------------------------------------------------

    def action_toggle_discussed(self) -> None:
        oid = self._current()
        if oid is None or self._placeholder(self._items[oid]):
            return
        self.discussed ^= {oid}
        self._refresh(oid)
        self._changed()

    def _jump(self, step: int) -> None:
        """Move to the first item of the next (step 1) or previous (step -1) section."""
        agenda = self.query_one("#review-agenda", OptionList)
        opts = agenda.options
        here = agenda.highlighted or 0
        heads = [i for i, o in enumerate(opts) if o.id and o.id.startswith("s:")]
        current = max((h for h in heads if h < here), default=heads[0])
        targets = [h for h in heads if (h > current if step > 0 else h < current)]
        if targets:
            agenda.highlighted = (targets[0] if step > 0 else targets[-1]) + 1

    def action_next_section(self) -> None:
        self._jump(1)

    def action_previous_section(self) -> None:
        self._jump(-1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_entry()

    def action_open_entry(self) -> None:
        oid = self._current()
        if oid is None:
            return
        ids = self._items[oid].entries
        if not ids and self._placeholder(self._items[oid]):
            return
        if not ids:
            self.notify("This item cites no entry.", severity="warning")
        elif len(ids) == 1:
            self._show(ids[0])
        else:
            rows = []
            for eid in ids:
                try:
                    e = self.journal.get(eid)
                except (JournalError, ValidationError):  # an id from an old agenda may be gone
                    rows.append((eid, f"{eid[:8]}  (not in this journal)"))
                    continue
                rows.append((eid, f"{when(e.occurred)}  {clip_words(e.summary(WHOLE), 50)}"))
            self.app.push_screen(PickEntry(rows), self._picked)

    def _picked(self, entry_id: str | None) -> None:
        if entry_id:
            self._show(entry_id)

    def _show(self, entry_id: str) -> None:
        try:
            entry = self.journal.get(entry_id)
        except JournalError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.push_screen(EntryView(entry, editable=False))

    def action_notes(self) -> None:
        def typed(text: str) -> None:
            if text != (self.notes if self._notes_typed is None else self._notes_typed):
                self._notes_typed = text
                self._changed()

        def keep(notes: str | None) -> None:
            self._notes_typed = None
            if notes is not None:
                self.notes = notes
                self._refresh()
            self._changed()

        self.app.push_screen(NotesDialog(self.notes, on_change=typed, on_quit=self._quit), keep)

    def action_add_action(self) -> None:
        def add(action: ActionItem | None) -> None:
            if action is not None:
                self.actions.append(action)
                self._refresh()
                self._changed()
                self.notify(f"Action added: {action.text}")

        self.app.push_screen(ActionDialog(self.agenda.peer, on_quit=self._quit), add)

    def action_supervisor_rating(self) -> None:
        from reflect.screens.ratings import RatingScreen  # issue 12: ratings live in their own module

        self.app.push_screen(RatingScreen(by="supervisor", rater=self.supervisor))

    def action_action_done(self) -> None:
        """Mark (or unmark) an earlier action done: it is closed when the meeting is recorded."""
        oid = self._current()
        item = self._items.get(oid or "")
        if item is None or item.action is None:
            self.notify("Choose a follow-up (an action from an earlier meeting) to mark done.", severity="warning")
            return
        key = item.action
        self.done ^= {key}
        for other, it in self._items.items():
            if it.action == key:
                self._refresh(other)
        self._refresh()
        self._changed()
        if key in self.done:
            self.notify("Marked done: closed when the meeting is recorded.")
        else:
            self.notify("Marked not done.")

    def _not_discussed(self) -> list[tuple[str, Item]]:
        """The items not marked discussed (an action marked done counts as discussed), in
        agenda order, so safety comes first."""
        out = []
        for oid, item in self._items.items():
            if self._placeholder(item) or oid in self.discussed:
                continue
            if item.action is not None and item.action in self.done:
                continue
            out.append((oid.split(":")[1], item))
        return out

    def action_record(self) -> None:
        if self._recording:
            self.notify("Recording the meeting…")
            return
        left = self._not_discussed()
        if left:
            total = sum(1 for item in self._items.values() if not self._placeholder(item))
            titles = {s.key: s.title for s in self.agenda.sections}
            rows = [(titles.get(key, key), item.text) for key, item in left]
            self.app.push_screen(ConfirmRecord(total, rows), self._confirmed)
            return
        self._ask_details()

    def _confirmed(self, record: bool | None) -> None:
        if record:
            self._ask_details()

    def _ask_details(self, focus: str | None = None) -> None:
        """The record's details: as last typed, or the length so far and the usual kind."""
        details = self.details
        if details is None:
            opened = self._opened or host(self).now()
            details = Details(minutes=rounded_minutes(host(self).now() - opened))
        self.app.push_screen(
            RecordDialog(details, focus=focus, on_change=self._details_typed, on_quit=self._quit), self._given
        )

    def _details_typed(self, details: Details) -> None:
        self.details = details
        self._changed()

    def _given(self, given: Given | None) -> None:
        if given is None:
            return
        self.details = given.details
        self._changed()
        if not given.record:
            return
        findings = identifier_findings(
            {"summary": given.details.summary, "competence": given.details.competence,
             "growth_areas": given.details.growth_areas}
        )  # fmt: skip
        if findings:
            self.app.push_screen(PrivacyPrompt(findings, labels=LABELS, what="meeting record"), self._privacy_answer)
            return
        self._record()

    def _privacy_answer(self, answer: str | None) -> None:
        """"Save anyway" records; otherwise back to the details (on the field to edit)."""
        if answer == SAVE_ANYWAY:
            self._record()
        else:
            self._ask_details(focus=answer)

    def _record(self) -> None:
        agenda_items = [(oid, self._items[oid]) for oid in self._items]
        closed = {it.action: it.text for _, it in agenda_items if it.action is not None and it.action in self.done}
        meeting = Meeting(
            held=host(self).now(),
            since=self.agenda.since,
            until=self.agenda.until,
            peer=self.agenda.peer,
            supervisor=self.supervisor,
            notes=self.notes,
            actions=list(self.actions),
            discussed=[item.text for oid, item in agenda_items if oid in self.discussed],
            agenda=self.agenda.to_dict(),
        )
        if self.details is not None:
            meeting = record_details(meeting, self.details, self.settings)
        self._recording = True
        self._write(
            lambda: record_meeting(self.journal, meeting, closed),
            self.Recorded(meeting),
            self.WriteFailed("Not recorded (notes and actions kept; try ctrl+r again)", ""),
        )

    @on(Recorded)
    def _recorded(self, event: Recorded) -> None:
        self._recording = False
        n = len(event.meeting.actions)
        self.notify(f"Meeting recorded ({n} action{'' if n == 1 else 's'}).")
        self.dismiss(event.meeting)

    @on(WriteFailed)
    def _write_failed(self, event: WriteFailed) -> None:
        """Say why, and keep the screen as it is, so notes and actions typed in the meeting are not lost."""
        self._recording = False
        self.notify(f"{event.failed}: {event.reason}", severity="error", timeout=10)

    @work(thread=True, group="review-write", exit_on_error=False)
    def _write(self, write: Callable[[], object], done: Message, failed: WriteFailed) -> None:
        """Record the meeting off the UI thread; post `done`, or `failed` with the reason.
        No draft is written after a record that succeeded (both hold the write lock)."""
        with self._write_lock:
            try:
                write()
            except Exception as exc:  # noqa: BLE001 - any failure is said; the screen must never be stuck
                failed.reason = str(exc) or type(exc).__name__
                self.post_message(failed)
                return
            self._finished = True
        self.post_message(done)

    def _ask_first(self, key: str, what: str) -> bool:
        """True when the way out may be taken now; else say what is not recorded, once."""
        if self._recording:
            self.notify("Recording the meeting… a moment.")
            return False
        if not self._unsaved() or self._armed == key:
            return True
        self._armed = key
        self.notify(
            f"Not recorded yet: ctrl+r records the meeting; {key} again {what} "
            "(kept as a draft review, offered next time).",
            severity="warning",
        )
        return False

    def action_leave(self) -> None:
        if self._ask_first("esc", "leaves without it"):
            self.dismiss(None)

    def action_quit_review(self, key: str = "ctrl+q") -> None:
        if self._ask_first(key, "quits reflect"):
            self._quit()

    def _quit(self) -> None:
        if self._on_quit is not None:
            self._on_quit()
        else:
            self.app.exit()
