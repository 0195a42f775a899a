"""One entry, read-only and whole: every step, flags, crisis record and question.

The one entry view of the app: home opens it from the list, the review from an agenda
item's cited entries. `e` opens it in the encounter screen for editing (not from the
review, which reads the journal as it was); the view then shows the saved version.
Dismisses with True when the entry changed, so home knows to reload.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from reflect.domain import cycle
from reflect.domain.model import Entry, entry_labels
from reflect.screens.footer import Footer
from reflect.screens.context import host
from reflect.screens.widgets import MARKERS, flag_on, format_when
from reflect.store import JournalError

# Every label comes from the field declarations (the entry view reads differently from the export where declared).
L: dict[str, str] = entry_labels()


def _yes_no(value: bool | None) -> str:
    return "yes" if value else ("no" if value is False else "not asked")


class EntryView(Screen[bool]):
    """Read one encounter from top to bottom."""

    BINDINGS = [
        Binding("escape,backspace,q", "back", "Back", id="view.back", tooltip="Back to where you came from"),
        Binding("e", "edit", "Edit", id="view.edit", tooltip="Edit this entry"),
    ]
    HELP_EXTRA = [("up/down, pgup/pgdn", "Scroll the entry")]

    def __init__(self, entry: Entry, *, editable: bool = True) -> None:
        super().__init__()
        self.entry = entry
        self.editable = editable
        self.story_title: str | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-body"):
            yield Static(id="entry-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#entry-body").focus()
        self.show()
        if self.entry.select.story_id:
            self.run_worker(self._read_story, thread=True, group="view", name="view: story title")

    def _read_story(self) -> None:
        story_id = self.entry.select.story_id
        if not story_id:
            return
        try:
            title = host(self).journal.get_story(story_id).title
        except JournalError:
            title = "(a story no longer in the bank)"
        self.app.call_from_thread(self._set_story, title)

    def _set_story(self, title: str) -> None:
        self.story_title = title
        self.show()

    def show(self) -> None:
        self.query_one("#entry-text", Static).update(render_entry(self.entry, host(self).now(), self.story_title))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.editable if action == "edit" else True

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_edit(self) -> None:
        from reflect.screens.encounter import EncounterScreen

        if not self.editable:
            return
        self.app.push_screen(EncounterScreen(host(self).journal, entry=self.entry), self._edited)

    def _edited(self, saved: Entry | None) -> None:
        if saved is not None:
            self.entry = saved
            self.changed = True
            self.show()


def render_entry(entry: Entry, now: datetime, story_title: str | None = None) -> Content:
    """The whole entry as text: headings, then `label: value` lines; empty fields left out."""
    out: list[Content] = []

    def heading(text: str) -> None:
        close_section()
        out.append(Content(""))
        out.append(Content.styled(text, "bold $accent underline"))
        marks.append(len(out))

    def close_section() -> None:
        if marks and marks[-1] == len(out):
            out.append(Content.styled("(nothing written)", "italic $text-muted"))

    marks: list[int] = []

    def line(label: str, value: str) -> None:
        if value and value.strip():
            # A label that is a question ends in "?": no colon after it ("…role? yes", not "…role?: yes").
            sep = " " if label.endswith("?") else ": "
            out.append(Content.assemble((f"{label}{sep}", "bold"), value.strip()))

    head = [format_when(entry.occurred, now), entry.person or "(no pseudonym)", entry.setting]
    if entry.minutes:
        head.append(f"{entry.minutes} min")
    if entry.group is not None and entry.group.headcount:
        head.append(f"{entry.group.headcount} people")
    head.append("private" if entry.private else "shared")
    out.append(Content.styled(" · ".join(head), "bold"))
    flags = [(mark, label) for key, mark, label, _ in MARKERS if flag_on(entry, key)]
    if flags:
        line(L["flags"], ", ".join(f"{m} {label}" for m, label in flags))
    line(L["tags"], ", ".join(entry.tags))
    line(L["group.theme"], entry.group.theme if entry.group is not None else "")

    if entry.crisis is not None:
        heading(L["crisis"])
        line(L["crisis.actions"], "; ".join(cycle.CRISIS_ACTION_LABELS.get(a, a) for a in entry.crisis.actions) or "none recorded")
        if entry.crisis.supervisor_notified_at:
            line(L["crisis.supervisor_notified_at"], format_when(entry.crisis.supervisor_notified_at, now))
        line(L["crisis.notes"], entry.crisis.notes)

    heading(L["listen"])
    line(L["listen.story"], entry.listen.story)
    line(L["listen.matters"], entry.listen.matters)
    line(L["listen.themes"], ", ".join(entry.listen.themes))

    heading(L["reflect"])
    line(L["reflect.experience"], entry.reflect.experience)
    line(L["reflect.feelings"], entry.reflect.feelings)
    line(L["reflect.impact"], entry.reflect.impact)

    heading(L["select"])
    sel = entry.select
    line(L["select.decision"], cycle.DECISION_LABELS.get(sel.decision, sel.decision))
    if sel.story_id:
        line(L["select.story_id"], story_title or "…")
    line(L["select.part"], sel.part)
    line(L["select.purposes"], ", ".join(sel.purposes))
    line(L["select.held_back_because"], sel.held_back_because)
    asked = [(k, getattr(sel.checks, k)) for k in cycle.CHECK_KEYS if getattr(sel.checks, k) is not None]
    for key, value in asked:
        line(L[f"select.checks.{key}"], _yes_no(value))

    heading(L["share"])
    line(L["share.how"], entry.share.how)
    if entry.share.response != "unknown" or sel.decision == "share":
        line(L["share.response"], entry.share.response)
    line(L["share.next_steps"], entry.share.next_steps)
    line(L["share.differently"], entry.share.differently)

    if entry.competencies or entry.mi or entry.question:
        heading("For supervision")
    line(L["competencies"], "; ".join(f"{c} {cycle.COMPETENCY_TITLES.get(c, '')}" for c in entry.competencies))
    if entry.mi is not None:
        mi = entry.mi
        counts = ", ".join(f"{label.lower()} {getattr(mi, key)}" for key, label in cycle.OARS)
        line(L["mi"], counts)
        line(L["mi.change_talk"], ", ".join(mi.change_talk))
    line(L["question"], entry.question)

    close_section()
    out.append(Content(""))
    stamps = [f"recorded {format_when(entry.recorded, now)}" if entry.recorded else ""]
    if entry.updated and entry.recorded and entry.updated != entry.recorded:
        stamps.append(f"updated {format_when(entry.updated, now)}")
    stamps.append(f"id {entry.id[:8]}")
    out.append(Content.styled(" · ".join(s for s in stamps if s), "$text-muted"))
    return Content("\n").join(out)
