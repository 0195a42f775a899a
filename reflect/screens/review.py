"""The review screen: walk the agenda in a supervision meeting and record it.

Sections come in the agenda's order (safety first); each item can be marked
discussed and its cited entries opened in full. Notes and action items (owner,
due date in plain words) are kept on the screen until "Record meeting" saves a
`Meeting` holding the window, notes, actions, the items discussed and the agenda
as it was; the next review starts where this window ended, and open actions come
back under Follow-ups. Marking an earlier action done is saved at once.
"""

from __future__ import annotations

from datetime import datetime
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.widgets import Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reflect.domain.agenda import NOTHING, Agenda, Item, when
from reflect.domain.model import ActionItem, Meeting, now


def _short(dt: datetime) -> str:
    local = dt.astimezone()
    return f"{local.day} {local:%b}"


def _window(agenda: Agenda) -> str:
    return f"{_short(agenda.since)} to {_short(agenda.until)}"


class EntryView(ModalScreen[None]):
    """One entry in full, read only: the same view as the journal's, dates in words."""

    DEFAULT_CSS = """
    EntryView { align: center middle; }
    EntryView > VerticalScroll {
        width: 78; max-width: 100%; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q", "close", "Close", id="review.entry.close")]

    def __init__(self, entry: Any, stories: list[Any]) -> None:
        super().__init__()
        self.entry = entry
        self.stories = stories

    def compose(self) -> ComposeResult:
        from reflect.screens.entry_view import render_entry

        story_id = self.entry.select.story_id
        title = next((s.title for s in self.stories if s.id == story_id), None) if story_id else None
        if story_id and title is None:
            title = "(a story no longer in the bank)"
        clock = getattr(self.app, "now", None)
        at = clock() if callable(clock) else now()
        with VerticalScroll():
            yield Static(render_entry(self.entry, at, title), id="entry-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ItemPrompt:
    """An agenda item as a list row: the mark in its own column, so wrapped text hangs under the text."""

    def __init__(self, mark: str, text: str, extra: str = "", cites: str = "") -> None:
        self.mark, self.text, self.extra, self.cites = mark, text, extra, cites

    def __str__(self) -> str:
        return f"{self.mark} {self.text}{self.extra}{self.cites}".strip()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=5, no_wrap=True)
        grid.add_column(ratio=1)
        body = Text(self.text, style="italic dim" if not self.mark else "")
        body.append(self.extra, style="bold")
        body.append(self.cites, style="dim")
        grid.add_row(Text(f"  {self.mark}"), body)
        yield grid


class PickEntry(ModalScreen[str | None]):
    """Choose one of the entries an item cites."""

    DEFAULT_CSS = """
    PickEntry { align: center middle; }
    PickEntry > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PickEntry OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="review.pick.close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Which entry?")
            yield OptionList(*(Option(Content(label), id=eid) for eid, label in self.rows), id="pick")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


class NotesDialog(ModalScreen[str | None]):
    """The meeting's notes; ctrl+s keeps them, escape leaves them as they were."""

    DEFAULT_CSS = """
    NotesDialog { align: center middle; }
    NotesDialog > Vertical {
        width: 76; max-width: 100%; height: 16;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NotesDialog TextArea { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep notes", id="review.notes.keep"),
        Binding("escape", "cancel", "Cancel", id="review.notes.cancel"),
    ]

    def __init__(self, notes: str) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Meeting notes (ctrl+s to keep)")
            yield TextArea(self.notes, id="notes-text")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ActionDialog(ModalScreen[ActionItem | None]):
    """A new action item: what, who, and when it is due (plain words: "next friday")."""

    DEFAULT_CSS = """
    ActionDialog { align: center middle; }
    ActionDialog > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ActionDialog .row { height: 3; }
    ActionDialog .row Label { width: 8; padding-top: 1; }
    ActionDialog .row Input { width: 1fr; }
    ActionDialog #action-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "add", "Add action", id="review.action.add"),
        Binding("escape", "cancel", "Cancel", id="review.action.cancel"),
    ]

    def __init__(self, owner: str = "") -> None:
        super().__init__()
        self.owner = owner

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New action item (enter moves on; ctrl+s adds)")
            with Horizontal(classes="row"):
                yield Label("What")
                yield Input(id="action-text", placeholder="what was agreed")
            with Horizontal(classes="row"):
                yield Label("Owner")
                yield Input(self.owner, id="action-owner", placeholder="who does it")
            with Horizontal(classes="row"):
                yield Label("Due")
                yield Input(id="action-due", placeholder='e.g. "next friday", "in 2 weeks" (optional)')
            yield Static("", id="action-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#action-text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "action-due":
            self.action_add()
        else:
            self.focus_next()

    def _error(self, message: str) -> None:
        self.query_one("#action-error", Static).update(Content(message))

    def action_add(self) -> None:
        text = self.query_one("#action-text", Input).value.strip()
        if not text:
            self._error("Write what was agreed.")
            self.query_one("#action-text", Input).focus()
            return
        due_text = self.query_one("#action-due", Input).value.strip()
        due = None
        if due_text:
            from reflect.domain.dates import DateError, parse_when

            try:
                due = parse_when(due_text, end=True, future=True).date()
            except DateError as exc:
                self._error(f"Due: {exc}")
                self.query_one("#action-due", Input).focus()
                return
        owner = self.query_one("#action-owner", Input).value.strip()
        self.dismiss(ActionItem(text=text, owner=owner, due=due))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewScreen(Screen[Meeting | None]):
    """Walk one peer's agenda; dismisses with the recorded Meeting, or None on leaving."""

    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-head {
        height: auto; padding: 0 1; background: $boost; text-style: bold;
    }
    ReviewScreen #review-agenda { height: 1fr; border: none; }
    ReviewScreen #review-status {
        height: auto; max-height: 5; padding: 0 1; color: $text-muted;
        border-top: solid $primary;
    }
    """
    BINDINGS = [
        Binding("space", "toggle_discussed", "Discussed", id="review.discussed", tooltip="Mark the item discussed (or not)"),
        Binding("o", "open_entry", "Open", id="review.open", tooltip="Open a cited entry in full (enter too)"),
        Binding("right_square_bracket", "next_section", "Section", id="review.next_section", tooltip="Next section"),
        Binding("left_square_bracket", "previous_section", "Previous section", id="review.previous_section", show=False),
        Binding("n", "notes", "Notes", id="review.notes", tooltip="Write the meeting's notes"),
        Binding("a", "add_action", "Action", id="review.add_action", tooltip="Add an action item: owner and due date"),
        Binding("x", "action_done", "Done", id="review.action_done", tooltip="Mark an earlier action item done"),
        Binding("ctrl+r", "record", "Record meeting", id="review.record", tooltip="Save the meeting record"),
        Binding("escape", "leave", "Leave", id="review.leave", show=False, tooltip="Leave without recording"),
    ]

    def __init__(self, journal: Any, agenda: Agenda, *, supervisor: str = "") -> None:
        super().__init__()
        self.journal = journal
        self.agenda = agenda
        self.supervisor = supervisor
        self.discussed: set[str] = set()  # option ids
        self.done: set[tuple[str, str]] = set()
        self.notes = ""
        self.actions: list[ActionItem] = []
        self._items: dict[str, Item] = {}
        self._leave_armed = False

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        a = self.agenda
        nxt = "none scheduled" if a.next_meeting is None else when(a.next_meeting)
        yield Static(
            Content(f"Review: {a.peer or '(no peer)'} · {_window(a)} · next meeting {nxt}"),
            id="review-head",
        )
        options: list[Option] = []
        for n, section in enumerate(a.sections, 1):
            options.append(Option(Content.styled(f"{n}. {section.title}", "bold $accent"), id=f"s:{section.key}", disabled=True))
            for j, item in enumerate(section.items):
                oid = f"i:{section.key}:{j}"
                self._items[oid] = item
                options.append(Option(self._prompt(oid), id=oid))
        yield OptionList(*options, id="review-agenda")
        yield Static(self._status(), id="review-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        agenda = self.query_one("#review-agenda", OptionList)
        agenda.focus()
        for i, opt in enumerate(agenda.options):
            if not opt.disabled:
                agenda.highlighted = i
                break

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
        lines = [f"{head}   [ back a section · esc leaves"]
        for act in self.actions[-3:]:
            due = f", due {act.due.isoformat()}" if act.due else ""
            owner = f" ({act.owner}{due})" if act.owner or due else ""
            lines.append(f"  + {act.text}{owner}")
        return Content("\n".join(lines))

    def _refresh(self, oid: str | None = None) -> None:
        if oid is not None:
            self.query_one("#review-agenda", OptionList).replace_option_prompt(oid, self._prompt(oid))
        self.query_one("#review-status", Static).update(self._status())

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
                except Exception:  # noqa: BLE001 - an id from an old agenda may be gone
                    rows.append((eid, f"{eid[:8]}  (not in this journal)"))
                    continue
                rows.append((eid, f"{when(e.occurred)}  {e.summary(50)}"))
            self.app.push_screen(PickEntry(rows), lambda eid: eid and self._show(eid))

    def _show(self, entry_id: str) -> None:
        from reflect.store import JournalError

        try:
            entry = self.journal.get(entry_id)
        except JournalError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.push_screen(EntryView(entry, self.journal.stories()))

    def action_notes(self) -> None:
        def keep(notes: str | None) -> None:
            if notes is not None:
                self.notes = notes
                self._refresh()

        self.app.push_screen(NotesDialog(self.notes), keep)

    def action_add_action(self) -> None:
        def add(action: ActionItem | None) -> None:
            if action is not None:
                self.actions.append(action)
                self._refresh()
                self.notify(f"Action added: {action.text}")

        self.app.push_screen(ActionDialog(self.agenda.peer), add)

    def action_action_done(self) -> None:
        oid = self._current()
        item = self._items.get(oid or "")
        if item is None or item.action is None:
            self.notify("Choose a follow-up (an action from an earlier meeting) to mark done.", severity="warning")
            return
        meeting_id, action_id = item.action
        done = item.action not in self.done
        if not self._write(lambda: self.journal.set_action_done(meeting_id, action_id, done), "Not marked"):
            return
        self.done ^= {item.action}
        self._refresh(oid)
        self.notify("Marked done." if done else "Marked not done.")

    def action_record(self) -> None:
        agenda_items = [(oid, self._items[oid]) for oid in self._items]
        clock = getattr(self.app, "now", None)
        meeting = Meeting(
            held=clock() if callable(clock) else now(),
            since=self.agenda.since,
            until=self.agenda.until,
            peer=self.agenda.peer,
            supervisor=self.supervisor,
            notes=self.notes,
            actions=list(self.actions),
            discussed=[item.text for oid, item in agenda_items if oid in self.discussed],
            agenda=self.agenda.to_dict(),
        )
        if not self._write(lambda: self.journal.save_meeting(meeting), "Not recorded (notes and actions kept; try ctrl+r again)"):
            return
        n = len(meeting.actions)
        self.notify(f"Meeting recorded ({n} action{'' if n == 1 else 's'}).")
        self.dismiss(meeting)

    def _write(self, write: Callable[[], object], failed: str) -> bool:
        """Run a journal write; on failure (locked, damaged, disk full) say so and keep the
        screen as it is, so notes and actions typed in the meeting are not lost."""
        from reflect.store import JournalError

        try:
            write()
        except JournalError as exc:
            self.notify(f"{failed}: {exc}", severity="error", timeout=10)
            return False
        return True

    def action_leave(self) -> None:
        unsaved = bool(self.discussed or self.notes.strip() or self.actions)
        if unsaved and not self._leave_armed:
            self._leave_armed = True
            self.notify("Not recorded yet: ctrl+r records the meeting; escape again leaves without it.", severity="warning")
            return
        self.dismiss(None)


class ReviewApp(App[list[Meeting]]):
    """`reflect review` on its own: one review screen per peer, in turn."""

    TITLE = "reflect review"

    def __init__(
        self,
        db: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        peer: str | None = None,
        include_private: bool = False,
    ) -> None:
        super().__init__()
        from reflect.root import open_journal

        self.journal = open_journal(db)
        self.options = dict(since=since, until=until, peer=peer, include_private=include_private)
        self.recorded: list[Meeting] = []
        self._queue: list[Agenda] = []

    def on_mount(self) -> None:
        from reflect.usecases.agendas import journal_agendas

        self._queue = journal_agendas(self.journal, **self.options)
        self._next()

    def _next(self, result: Meeting | None = None) -> None:
        if result is not None:
            self.recorded.append(result)
        if not self._queue:
            self.exit(self.recorded)
            return
        agenda = self._queue.pop(0)
        self.push_screen(ReviewScreen(self.journal, agenda, supervisor=self.journal.settings().supervisor), self._next)


def run_review(db: str | None = None, **options: Any) -> list[Meeting]:
    """Open the review screen(s); returns the meetings recorded."""
    return ReviewApp(db, **options).run() or []
