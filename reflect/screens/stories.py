"""The story bank: parts of one's own recovery story, how often each was shared, how it landed.

Usage reads every entry (select.story_id with decision "share"), so it is counted in
a worker and filled in after the list appears.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Header, Input, Label, Static, TextArea

from reflect.domain import cycle
from reflect.domain.model import Story, ValidationError, clip
from reflect.screens.footer import Footer
from reflect.screens.context import host
from reflect.store import Journal, JournalError


@dataclass
class Usage:
    """How one story was used: times shared and the responses it met."""

    shared: int = 0
    landed: Counter = field(default_factory=Counter)

    def landed_text(self) -> str:
        return ", ".join(f"{n} {r}" for r in cycle.RESPONSES if (n := self.landed.get(r)))


def count_usage(docs: Iterable[dict[str, Any]]) -> dict[str, Usage]:
    """Entry dicts -> usage per story id (only entries that chose to share it)."""
    out: dict[str, Usage] = {}
    for doc in docs:
        select = doc.get("select") or {}
        story_id = select.get("story_id")
        if not story_id or select.get("decision") != "share":
            continue
        usage = out.setdefault(story_id, Usage())
        usage.shared += 1
        usage.landed[(doc.get("share") or {}).get("response", "unknown")] += 1
    return out


# Column widths that keep the table inside 80 columns (the editor shows everything whole).
TITLE_WIDTH = 22
LANDED_WIDTH = 22
THEMES_WIDTH = 12


def split_themes(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split(","):
        part = " ".join(part.split())
        if part and part.casefold() not in {t.casefold() for t in out}:
            out.append(part)
    return out


class StoryEditor(ModalScreen[Story | None]):
    """Write or edit one part of the story. Dismisses with the story, or None on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="story.save", tooltip="Save this story"),
        Binding("escape", "cancel", "Cancel", id="story.cancel", tooltip="Close without saving"),
    ]
    HELP_EXTRA = [("tab", "Next field")]

    def __init__(self, story: Story | None = None) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        story = self.story
        with Vertical(id="story-editor", classes="dialog"):
            yield Static("Edit story" if story else "New story", classes="dialog-title")
            yield Label("Title (a few words you will recognise)")
            yield Input(story.title if story else "", id="story-title", placeholder="e.g. The first year sober")
            yield Label("The part of your story")
            yield TextArea(story.text if story else "", id="story-text", soft_wrap=True, tab_behavior="focus")
            yield Label("Themes, separated by commas")
            yield Input(", ".join(story.themes) if story else "", id="story-themes", placeholder="e.g. hope, relapse, family")
            yield Static("", id="story-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#story-title", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        title = self.query_one("#story-title", Input).value.strip()
        if not title:
            self.query_one("#story-error", Static).update("A title is needed, so you can find this story again.")
            self.query_one("#story-title", Input).focus()
            return
        text = self.query_one("#story-text", TextArea).text
        themes = split_themes(self.query_one("#story-themes", Input).value)
        if self.story is None:
            story = Story(title=title, text=text, themes=themes)
        else:
            story = Story(
                title=title, text=text, themes=themes,
                id=self.story.id, created=self.story.created, retired=self.story.retired,
            )
        self.dismiss(story)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#story-title")
    def _next(self) -> None:
        self.query_one("#story-text", TextArea).focus()

    @on(Input.Submitted, "#story-themes")
    def _submit(self) -> None:
        self.action_save()


class StoryBankScreen(Screen[None]):
    """List, write, edit and retire the parts of one's story."""

    BINDINGS = [
        Binding("n", "new_story", "New", id="stories.new", tooltip="Write a new part of your story"),
        Binding("e", "edit_story", "Edit", id="stories.edit", tooltip="Edit the highlighted story"),
        Binding("r", "toggle_retired", "Retire/restore", id="stories.retire", tooltip="Retire the story, or bring it back"),
        # q as well, as on the entry view and help: nothing is typed on this screen.
        Binding("escape,q", "back", "Back", id="stories.back", tooltip="Back to home"),
    ]
    HELP_EXTRA = [("enter", "Edit the highlighted story")]

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[Story] = []
        self.stories_shown: list[str] = []
        self.usage: dict[str, Usage] | None = None
        self.ready = False

    @property
    def journal(self) -> Journal:
        return host(self).journal

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Story bank: the parts of your story you may share.", id="stories-status", markup=False)
        table: DataTable = DataTable(id="stories-table", cursor_type="row", zebra_stripes=True)
        table.add_column("Status", key="status")
        table.add_column("Title", key="title")
        table.add_column("Shared", key="shared", width=6)
        table.add_column("How it landed", key="landed")
        table.add_column("Themes", key="themes")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "story bank"
        self.query_one(DataTable).focus()
        self.load()

    # --- loading ---------------------------------------------------------------------

    def load(self, keep: str | None = None, *, recount: bool = True) -> None:
        self.run_worker(lambda: self._read(keep, recount), thread=True, group="stories", name="stories: read")

    def _read(self, keep: str | None, recount: bool) -> None:
        try:
            stories = self.journal.stories()
        except (JournalError, ValidationError) as exc:
            self.app.call_from_thread(self._status, f"Cannot read the story bank: {exc}")
            return
        self.app.call_from_thread(self._show, stories, keep)
        if not recount and self.usage is not None:
            return
        try:
            usage = count_usage(self.journal.entry_dicts())
        except JournalError as exc:
            self.app.call_from_thread(self._status, f"Cannot count how stories were used: {exc}")
            return
        self.app.call_from_thread(self._show_usage, usage)

    def _status(self, text: str) -> None:
        self.query_one("#stories-status", Static).update(text)

    def _show(self, stories: list[Story], keep: str | None) -> None:
        self.stories = stories
        table = self.query_one(DataTable)
        if keep is None and table.row_count and 0 <= table.cursor_row < len(self.stories_shown):
            keep = self.stories_shown[table.cursor_row]
        table.clear()
        for story in stories:
            table.add_row(*self._cells(story), key=story.id)
        self.stories_shown = [s.id for s in stories]
        if keep in self.stories_shown:
            table.move_cursor(row=self.stories_shown.index(keep))
        live = sum(1 for s in stories if not s.retired)
        if stories:
            self._status(f"{live} in use, {len(stories) - live} retired · n new · e edit · r retire/restore")
        else:
            self._status("No stories yet. Press n to write the first part of your story.")
        self.ready = True

    def _cells(self, story: Story) -> tuple[Text, ...]:
        """Rich Text cells (DataTable measures them); retired stories are dimmed."""
        usage = (self.usage or {}).get(story.id)
        if self.usage is None:
            shared, landed = "…", "…"
        else:
            shared = str(usage.shared) if usage else "0"
            landed = usage.landed_text() if usage else ""
        style = "dim" if story.retired else ""
        return (
            Text("retired" if story.retired else "in use", style="dim italic" if story.retired else ""),
            Text(clip(story.title, TITLE_WIDTH), style=style),
            Text(shared.rjust(6), style=style),
            Text(clip(landed, LANDED_WIDTH), style=style),
            Text(clip(", ".join(story.themes), THEMES_WIDTH), style=style),
        )

    def _show_usage(self, usage: dict[str, Usage]) -> None:
        self.usage = usage
        table = self.query_one(DataTable)
        for story in self.stories:
            cells = self._cells(story)
            if story.id in self.stories_shown:
                table.update_cell(story.id, "shared", cells[2])
                table.update_cell(story.id, "landed", cells[3], update_width=True)

    # --- actions ------------------------------------------------------------------------

    def _current(self) -> Story | None:
        table = self.query_one(DataTable)
        if not table.row_count or not (0 <= table.cursor_row < len(self.stories_shown)):
            return None
        sid = self.stories_shown[table.cursor_row]
        return next((s for s in self.stories if s.id == sid), None)

    def action_new_story(self) -> None:
        self.app.push_screen(StoryEditor(), self._save)

    def action_edit_story(self) -> None:
        story = self._current()
        if story is not None:
            self.app.push_screen(StoryEditor(story), self._save)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_story()

    def action_toggle_retired(self) -> None:
        story = self._current()
        if story is None:
            return
        story.retired = not story.retired
        self._save(story, message=f"“{story.title}” {'retired' if story.retired else 'back in use'}.")

    def _save(self, story: Story | None, message: str | None = None) -> None:
        if story is None:
            return

        def work() -> None:
            try:
                self.journal.save_story(story)
            except (JournalError, ValidationError) as exc:
                self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error")
                return
            self.app.call_from_thread(self.notify, message or f"Saved “{story.title}”.")
            self.app.call_from_thread(partial(self.load, story.id, recount=False))

        self.run_worker(work, thread=True, group="stories-write", name="stories: save")

    def action_back(self) -> None:
        self.dismiss()
