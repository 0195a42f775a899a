"""Development goals: set one, check in on it, mark it met (a win on the next agenda) or drop it.

The two lines at the foot are always there: `a` puts the cursor in "New goal" and `c` in
"Check-in", at once, so what is typed right after the key lands there. Enter saves the
line; every text is checked for identifiers first (the field and the kind are said, never
the value; enter again keeps it as typed).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reflect.domain import cycle
from reflect.domain.growth import Goal
from reflect.domain.model import clip
from reflect.screens.context import host
from reflect.store import JournalError


def goal_line(g: Goal) -> str:
    """One row: status, category, due date, the goal and its last check-in."""
    parts = [] if g.status == "open" else [g.status.upper()]
    if g.competency:
        parts.append(g.competency)
    if g.due is not None:
        parts.append(f"due {g.due:%d %b}")
    head = f"[{' · '.join(parts)}] " if parts else ""
    last = g.last_check_in
    tail = f" — {last.at:%d %b}: {clip(last.note, 24)}" if last else " — no check-in yet"
    return clip(head + g.text, 44) + tail


class GoalsScreen(Screen[None]):
    """The peer's development goals, open ones first (`A` shows met and dropped too)."""

    DEFAULT_CSS = """
    GoalsScreen {
        layout: vertical;
    }
    GoalsScreen #goals-title {
        height: 1;
        background: $panel;
        padding: 0 1;
        text-style: bold;
    }
    GoalsScreen #goals-hint {
        padding: 0 1;
        color: $text-muted;
    }
    GoalsScreen #goal-list {
        height: 1fr;
    }
    GoalsScreen .goal-line {
        height: 1;
        padding: 0 1;
    }
    GoalsScreen .goal-line Label {
        width: 11;
        color: $text-muted;
    }
    GoalsScreen #goal-text, GoalsScreen #goal-note {
        width: 1fr;
    }
    GoalsScreen #goal-competency {
        width: 7;
        margin-left: 1;
    }
    GoalsScreen #goal-due {
        width: 14;
        margin-left: 1;
    }
    """
    # Priority, so the app applies each key as it reads it, in the order typed: after `a` the
    # next letters are already in the new goal's line. In a line the letters are typed
    # (`check_action`) and tab moves on at once; enter reaches the line behind what was
    # typed in it, and saves it.
    BINDINGS = [
        Binding("a", "add", "Add", id="goals.add", tooltip="Write a new goal (enter saves it)", priority=True),
        Binding("c", "check_in", "Check in", id="goals.check_in", tooltip="Note how the highlighted goal is going",
                priority=True),
        Binding("m", "met", "Met", id="goals.met", tooltip="Mark the highlighted goal met: a win for the agenda",
                priority=True),
        Binding("d", "drop", "Drop", id="goals.drop", show=False, tooltip="Drop the highlighted goal", priority=True),
        Binding("A", "toggle_all", "All", id="goals.all", show=False, tooltip="Show met and dropped goals too",
                priority=True),
        Binding("escape", "back", "Back", id="goals.back", tooltip="Back (from a line: to the list)", priority=True),
        Binding("tab", "app.focus_next", "Next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False, priority=True),
    ]  # fmt: skip
    LIST_KEYS = {"a": "add", "c": "check_in", "m": "met", "d": "drop", "A": "toggle_all"}
    HELP_EXTRA = [("enter (in a line)", "Save the new goal or the check-in")]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.goals: list[Goal] = []
        self._anyway: set[str] = set()  # lines whose identifier warning was seen: enter keeps them
        self._ready = False  # the keys typed before the list had focus have all been applied

    def compose(self) -> ComposeResult:
        yield Static("Development goals", id="goals-title")
        yield Static("a new goal (tab: its category I..XII, then a due date) · c check in · m met (a win) · "
                     "d drop · A all", id="goals-hint", markup=False)  # fmt: skip
        yield OptionList(id="goal-list")
        with Horizontal(classes="goal-line"):
            yield Label("New goal")
            yield Input(id="goal-text", compact=True, placeholder="what you want to grow in")
            yield Input(id="goal-competency", compact=True, placeholder="I..XII", max_length=4)
            yield Input(id="goal-due", compact=True, placeholder="due (optional)")
        with Horizontal(classes="goal-line"):
            yield Label("Check-in")
            yield Input(id="goal-note", compact=True, placeholder="how the highlighted goal is going")
        yield Footer()

    class _EarlyKeysDone(Message):
        """Every key typed before the list had focus has been applied."""

    def on_mount(self) -> None:
        self.refresh_goals()
        self.set_focus(self.query_one(OptionList))
        self.post_message(self._EarlyKeysDone())  # queued behind every key typed before

    def on_goals_screen__early_keys_done(self, _message: _EarlyKeysDone) -> None:
        self._ready = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.LIST_KEYS.values():
            return self._ready and not isinstance(self.focused, Input)
        if action in ("back", "focus_next", "focus_previous"):
            return self._ready
        return True

    def on_key(self, event: events.Key) -> None:
        """A key typed before the screen was ready: applied in order, as its binding would."""
        if self._ready or self.focused is None:
            return
        event.stop()
        event.prevent_default()
        in_line = isinstance(self.focused, Input)
        if event.key in self.LIST_KEYS and not in_line:
            getattr(self, f"action_{self.LIST_KEYS[event.key]}")()
        elif event.key == "escape":
            self.action_back()
        elif event.key in ("tab", "shift+tab"):
            (self.focus_next if event.key == "tab" else self.focus_previous)()
        else:
            self.focused._forward_event(events.Key(event.key, event.character))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a line: save the new goal, or the check-in."""
        event.stop()
        if event.input.id == "goal-note":
            self._check_in()
        else:
            self._add()

    # --- the list -------------------------------------------------------------------------------

    def refresh_goals(self, keep: str | None = None) -> None:
        from reflect.usecases import growth

        try:
            found = growth.goals(host(self).journal, include_closed=self.show_all)
        except JournalError as exc:
            self.notify(f"Cannot read the goals: {exc}", severity="error", markup=False)
            found = []
        self.goals = sorted(found, key=lambda g: (g.status != "open", g.created))
        listing = self.query_one(OptionList)
        listing.clear_options()
        if not self.goals:
            closed = not self.show_all and bool(self._closed_count())
            empty = "No open goals: A shows the met and dropped ones, a writes a new one." if closed else (
                "No goals yet: press a to write one.")  # fmt: skip
            listing.add_option(Option(empty, id="none", disabled=True))
            return
        listing.add_options([Option(goal_line(g), id=g.id) for g in self.goals])
        ids = [g.id for g in self.goals]
        listing.highlighted = ids.index(keep) if keep in ids else 0

    def _closed_count(self) -> int:
        from reflect.usecases import growth

        try:
            return sum(1 for g in growth.goals(host(self).journal, include_closed=True) if g.status != "open")
        except JournalError:
            return 0

    def highlighted(self) -> Goal | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not self.goals:
            return None
        return self.goals[listing.highlighted]

    # --- actions --------------------------------------------------------------------------------

    def action_add(self) -> None:
        self.set_focus(self.query_one("#goal-text", Input))  # at once: the keys typed next go there

    def action_check_in(self) -> None:
        if self.highlighted() is None:
            self.notify("No goal to check in on: press a to write one.", severity="warning")
            return
        self.set_focus(self.query_one("#goal-note", Input))

    def action_met(self) -> None:
        self._close("met")

    def action_drop(self) -> None:
        self._close("dropped")

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.refresh_goals()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(OptionList))
            return
        self.dismiss(None)

    def _close(self, status: str) -> None:
        """Ask first (a goal closed stays closed), then mark the highlighted goal."""
        from functools import partial

        from reflect.screens.widgets import ConfirmDialog

        goal = self.highlighted()
        if goal is None:
            return
        if goal.status != "open":
            self.notify(f"This goal is {goal.status} already: a closed goal stays as it was closed.", severity="warning")
            return
        verb = "Mark this goal met (a win for the next agenda)" if status == "met" else "Drop this goal"
        question = f"{verb}?\n{clip(goal.text, 60)}\nA closed goal stays closed."
        yes = "Met" if status == "met" else "Drop"
        self.app.push_screen(ConfirmDialog(question, yes=yes, no="Keep open"), partial(self._close_answered, goal, status))

    def _close_answered(self, goal: Goal, status: str, yes: bool | None) -> None:
        from reflect.usecases import growth

        if not yes:
            return
        try:
            done = growth.close_goal(host(self).journal, goal.id, status, at=host(self).now())
        except (JournalError, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.notify("Goal met: a win for the next agenda." if status == "met" else f"Goal {status}.")
        self.refresh_goals(keep=done.goal.id)

    def _add(self) -> None:
        from reflect.domain.dates import DateError, parse_when
        from reflect.usecases import growth

        text = self.query_one("#goal-text", Input).value
        competency = self.query_one("#goal-competency", Input).value.strip().upper()
        due_text = self.query_one("#goal-due", Input).value.strip()
        if competency and competency not in cycle.COMPETENCY_KEYS:
            self._refuse("Category: give a SAMHSA numeral I to XII, or leave it empty.", "#goal-competency")
            return
        due = None
        if due_text:
            try:
                due = parse_when(due_text, now=host(self).now(), end=True).date()
            except DateError:
                self._refuse("Due: that date cannot be read (try: in 2 weeks, 2026-12-01).", "#goal-due")
                return
        try:
            goal = growth.add_goal(
                host(self).journal, text, competency=competency, due=due, anyway="add" in self._anyway
            )  # fmt: skip
        except growth.LooksIdentifying as exc:
            self._anyway.add("add")
            self._refuse(f"The goal's {exc}: reword it, or press enter again to keep it.", "#goal-text")
            return
        except (JournalError, ValueError) as exc:
            self._refuse(f"Not saved: {exc}", "#goal-text")
            return
        self._anyway.discard("add")
        for wid in ("#goal-text", "#goal-competency", "#goal-due"):
            self.query_one(wid, Input).value = ""
        self.notify("Goal set.")
        self.refresh_goals(keep=goal.id)
        self.set_focus(self.query_one(OptionList))

    def _check_in(self) -> None:
        from reflect.usecases import growth

        goal = self.highlighted()
        note = self.query_one("#goal-note", Input)
        if goal is None:
            return
        try:
            growth.check_in(host(self).journal, goal.id, note.value, at=host(self).now(), anyway="note" in self._anyway)
        except growth.LooksIdentifying as exc:
            self._anyway.add("note")
            self._refuse(f"The check-in's {exc}: reword it, or press enter again to keep it.", "#goal-note")
            return
        except (JournalError, ValueError) as exc:
            self._refuse(f"Not saved: {exc}", "#goal-note")
            return
        self._anyway.discard("note")
        note.value = ""
        self.notify("Checked in.")
        self.refresh_goals(keep=goal.id)
        self.set_focus(self.query_one(OptionList))

    def _refuse(self, message: str, widget: str) -> None:
        self.notify(message, severity="warning", markup=False)
        self.set_focus(self.query_one(widget, Input))
