"""Rating the twelve SAMHSA competencies: one row per category, each 1 to 5 or not rated.

The peer rates themselves from home (`c`); the supervisor's rating is taken in the review
(`s`). The scale is on screen in plain words, and so is the framing: a rating is a prompt
to set beside the other person's, for discussion, never a score.

Typing is the fast way: a digit sets the focused row and moves to the next, so "3423..."
typed without a pause fills the rows in order; `-` or `0` leaves a row not rated.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static

from reflect.domain import cycle
from reflect.domain.growth import FRAMING, SCALE, SCALE_WORDS, Rating
from reflect.screens.context import host
from reflect.store import JournalError

NAME_WIDTH = 48  # the category's name in a row; the longest titles are clipped with "…"


class LevelRow(Widget, can_focus=True):
    """One category: its name and its level (1..5, or None: not rated). Its keys are the
    screen's (see RatingScreen): they act in the order typed, whatever the focus was."""

    DEFAULT_CSS = """
    LevelRow {
        height: 1;
        width: 1fr;
    }
    LevelRow:focus {
        background: $boost;
        text-style: bold;
    }
    """

    level: reactive[int | None] = reactive(None)

    def __init__(self, key: str, *, level: int | None = None) -> None:
        super().__init__(id=f"rate-{key}")
        self.key = key
        self.set_reactive(LevelRow.level, level)

    def render(self) -> Content:
        name = f"{self.key:>4}. {cycle.COMPETENCY_TITLES[self.key]}"
        if len(name) > NAME_WIDTH:
            name = name[: NAME_WIDTH - 1] + "…"
        marks: list[str | tuple[str, str]] = [name.ljust(NAME_WIDTH), " "]
        for n in (None, 1, 2, 3, 4, 5):
            label = "-" if n is None else str(n)
            marks.append((f"[{label}]", "$accent bold reverse") if n == self.level else f" {label} ")
        words = SCALE_WORDS[self.level] if self.level is not None else "not rated"
        marks.append((f" {words}", "$text-muted"))
        return Content.assemble(*marks)


# Keys on a row -> (action, argument). Bound with priority, so the app applies each as it
# reads it, in the order typed: a digit moves the focus at once, and the next key follows it.
ROW_KEYS: dict[str, tuple[str, int]] = {
    **{str(n): ("level", n) for n in range(1, 6)},
    "minus": ("level", 0), "0": ("level", 0), "backspace": ("level", 0), "delete": ("level", 0),
    "down": ("move", 1), "up": ("move", -1), "right": ("step", 1), "left": ("step", -1),
}  # fmt: skip


class RatingScreen(Screen[Rating | None]):
    """Take one rating, by the peer (`by="self"`) or the supervisor. Dismisses with it, or None."""

    DEFAULT_CSS = """
    RatingScreen {
        layout: vertical;
    }
    RatingScreen #rating-title {
        height: 1;
        background: $panel;
        padding: 0 1;
        text-style: bold;
    }
    RatingScreen #rating-framing, RatingScreen #rating-scale {
        padding: 0 1;
        color: $text-muted;
    }
    RatingScreen #rating-rows {
        height: auto;
        padding: 0 1;
    }
    RatingScreen .rating-line {
        height: 1;
        padding: 0 1;
    }
    RatingScreen .rating-line Label {
        width: auto;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    RatingScreen .rating-line Input {
        width: 1fr;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="rating.save", tooltip="Save this rating"),
        Binding("escape", "leave", "Leave", id="rating.leave", tooltip="Leave (asks first when a rating is typed)"),
        Binding("tab", "app.focus_next", "Next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False, priority=True),
        *(Binding(key, f"{action}({arg})", show=False, priority=True) for key, (action, arg) in ROW_KEYS.items()),
    ]
    HELP_EXTRA = [
        ("1 to 5", "Rate the highlighted category and move to the next"),
        ("- or 0", "Not rated"),
        ("left / right", "Lower / raise the rating"),
    ]
    AUTO_FOCUS = ""

    def __init__(self, *, by: str = "self", rater: str = "") -> None:
        super().__init__()
        self.by = by
        self.rater = rater
        self._anyway = False  # the note looked like an identifier, and the peer saves again
        self._ready = False  # the keys typed before the rows had focus have all been applied
        self._armed: str | None = None  # the way out already warned about: taken when pressed again

    def compose(self) -> ComposeResult:
        who = "Your own rating" if self.by == "self" else "The supervisor's rating"
        yield Static(f"{who} of the twelve SAMHSA competencies", id="rating-title", markup=False)
        yield Static(f"{FRAMING} Type 1 to 5 (- not rated); each moves on.", id="rating-framing", markup=False)
        yield Static("\n".join(f"{n} {words}" for n, words in SCALE), id="rating-scale", markup=False)
        with Vertical(id="rating-rows"):
            for key in cycle.COMPETENCY_KEYS:
                yield LevelRow(key)
        if self.by != "self":
            with Horizontal(classes="rating-line"):
                yield Label("Supervisor")
                yield Input(self.rater, id="rating-rater", compact=True, placeholder="name (optional)")
        with Horizontal(classes="rating-line"):
            yield Label("Note")
            yield Input("", id="rating-note", compact=True, placeholder="optional, a line (never names)")
        yield Footer()

    class _EarlyKeysDone(Message):
        """Every key typed before the rows had focus has been applied."""

    def on_mount(self) -> None:
        self.set_focus(self.query_one(LevelRow))
        self.post_message(self._EarlyKeysDone())  # queued behind every key typed before

    def on_rating_screen__early_keys_done(self, _message: _EarlyKeysDone) -> None:
        self._ready = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The row keys act on a focused row, once the early keys are applied (else they
        reach the screen in order, see on_key); in the note they are typed."""
        if action in ("level", "move", "step"):
            return self._ready and isinstance(self.focused, LevelRow)
        return True

    def on_key(self, event: events.Key) -> None:
        """A key typed before the screen was ready: applied in order, as its binding would."""
        if self._ready or self.focused is None:
            return
        event.stop()
        event.prevent_default()
        if event.key in ROW_KEYS and isinstance(self.focused, LevelRow):
            action, arg = ROW_KEYS[event.key]
            getattr(self, f"action_{action}")(arg)
        elif event.key in ("tab", "shift+tab"):
            (self.focus_next if event.key == "tab" else self.focus_previous)()
        elif event.key == "ctrl+s":  # behind the keys typed into the note before it
            self.focused.call_later(self.action_save)
        elif event.key == "escape":
            self.focused.call_later(self.action_leave)
        else:
            self.focused._forward_event(events.Key(event.key, event.character))

    def _row(self) -> LevelRow | None:
        return self.focused if isinstance(self.focused, LevelRow) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the note (or the supervisor's name) saves, as ctrl+s does; after an
        identifier warning, a second enter keeps the note as typed."""
        event.stop()
        self.action_save()

    def on_input_changed(self, _event: Input.Changed) -> None:
        self._armed = None

    def action_level(self, n: int) -> None:
        """Set the focused row (0: not rated) and move to the next, at once."""
        row = self._row()
        if row is None:
            return
        self._armed = None
        row.level = n or None
        self.action_move(1)

    def action_move(self, by: int) -> None:
        row = self._row()
        if row is None:
            return
        rows = list(self.query(LevelRow))
        i = rows.index(row) + by
        target: Widget = rows[i] if 0 <= i < len(rows) else (self.query_one("#rating-note", Input) if i > 0 else row)
        self.set_focus(target)

    def action_step(self, by: int) -> None:
        row = self._row()
        if row is not None:
            now = row.level or 0
            row.level = None if now + by < 1 else min(now + by, 5)

    def levels(self) -> dict[str, int | None]:
        return {row.key: row.level for row in self.query(LevelRow)}

    def action_save(self) -> None:
        from reflect.usecases import growth

        levels = self.levels()
        if not any(v is not None for v in levels.values()):
            self.notify("Rate at least one category (1 to 5) first.", severity="warning")
            return
        note = self.query_one("#rating-note", Input).value
        rater = self.query_one("#rating-rater", Input).value if self.by != "self" else ""
        try:
            rating = growth.take_rating(
                host(self).journal, levels, by=self.by, rater=rater, note=note, at=host(self).now(),
                anyway=self._anyway,
            )  # fmt: skip
        except growth.LooksIdentifying as exc:
            self._anyway = True
            self.notify(f"The {exc}: reword it, or press ctrl+s again to keep it.", severity="warning", markup=False)
            self.set_focus(self.query_one("#rating-note", Input))
            return
        except (JournalError, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.notify(f"Rating saved. {FRAMING}")
        self.dismiss(rating)

    def _unsaved(self) -> bool:
        """Whether leaving now would lose something typed: a level, or the note."""
        note = self.query_one("#rating-note", Input).value.strip()
        return bool(note) or any(v is not None for v in self.levels().values())

    def _ask_first(self, key: str, what: str) -> bool:
        """True when this way out may be taken now; else say what is not saved, once
        (the encounter's rule: every way out warns about unsaved work)."""
        if not self._unsaved() or self._armed == key:
            return True
        self._armed = key
        self.notify(f"This rating is not saved: ctrl+s saves it; {key} again {what}.", severity="warning")
        return False

    def ask_before_quit(self) -> bool:
        """The app asks before ctrl+q quits from here (`ReflectApp.action_quit`)."""
        return self._ask_first("ctrl+q", "quits without it")

    def action_leave(self) -> None:
        if self._ask_first("esc", "leaves without it"):
            self.dismiss(None)
