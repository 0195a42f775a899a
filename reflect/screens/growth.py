"""The Growth screen: competencies exercised by month, ratings side by side, training, goals.

A thin adapter over `usecases.growth_view`: the data is read in a worker (the counts
are kept per month, so this is quick even for a large journal) and drawn as text. Every
part reads without colour (NO_COLOR): a heatmap cell is a shade symbol and a number, a
bar is filled and empty blocks with the hours written beside it.
"""

from __future__ import annotations

import math
from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from reflect.domain import cycle
from reflect.domain.growth import FRAMING, SCALE_WORDS
from reflect.domain.growth_view import GrowthView, Heatmap, RatingColumn, TrainingProgress
from reflect.domain.model import clip
from reflect.screens.context import host
from reflect.store import JournalError

SHADES = "░▒▓█"  # a quarter of the peak, half, three quarters, the peak
NONE_MARK = "·"
# Background styles beside the symbols (dropped under NO_COLOR; the symbols still say it).
# The symbol is drawn a shade lighter than its cell, so with colour the cell reads as one tint.
SHADE_STYLES = ("#e8f5ec on #24452f", "#ffffff on #2f6b45", "#ffffff on #3f9360", "bold #0b1f12 on #6fd394")
SYMBOL_STYLES = ("#2e5a3d on #24452f", "#3b8456 on #2f6b45", "#4fae74 on #3f9360", "#86e0a8 on #6fd394")
LABEL_WIDTH = 5  # "XII  "
CELL = 4  # a shade symbol and three digits
BAR = 16
BAR_LABEL = 22


def month_label(month: str) -> str:
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%b")


def count_text(n: int) -> str:
    """Three characters at most: 7, 42, 512, 3k."""
    return str(n) if n < 1000 else f"{min(n // 1000, 99)}k"


def shade(n: int, peak: int) -> int:
    """0 for none, else 1..4: the quarter of the peak `n` reaches."""
    return 0 if n <= 0 or peak <= 0 else max(1, min(4, math.ceil(4 * n / peak)))


def heatmap_text(h: Heatmap) -> Text:
    out = Text()
    first, last = h.months[0], h.months[-1]
    out.append(f"Competencies exercised by month, {month_label(first)} {first[:4]} to {month_label(last)} {last[:4]}\n",
               style="bold")  # fmt: skip
    out.append(" " * LABEL_WIDTH + "".join(month_label(m).rjust(CELL) for m in h.months) + "\n", style="dim")
    peak = h.peak
    for row in h.rows:
        out.append(row.key.ljust(LABEL_WIDTH))
        for n in row.counts:
            level = shade(n, peak)
            if level == 0:
                out.append(NONE_MARK.rjust(CELL), style="dim")
            else:
                out.append(SHADES[level - 1], style=SYMBOL_STYLES[level - 1])
                out.append(count_text(n).rjust(CELL - 1), style=SHADE_STYLES[level - 1])
        out.append("\n")
    out.append("All".ljust(LABEL_WIDTH) + "".join(count_text(n).rjust(CELL) for n in h.encounters) + "\n", style="dim")
    out.append(f"Encounters that used each. {NONE_MARK} none, {SHADES} a quarter of the busiest month"
               f" ({peak}) to all of it. The numerals are named at the end.")
    return out


def key_text() -> Text:
    """Which competency each numeral is (a long name wraps)."""
    out = Text()
    for key, title in cycle.COMPETENCIES:
        out.append(key.ljust(LABEL_WIDTH), style="bold")
        out.append(title + "\n")
    out.rstrip()
    return out


def ratings_text(columns: tuple[RatingColumn, ...], total: int) -> Text:
    out = Text()
    out.append("Ratings over time, yours beside your supervisor's\n", style="bold")
    out.append(FRAMING + "\n", style="italic")
    if not columns:
        out.append("No ratings yet: press c on home to rate yourself; your supervisor's are taken in the review.")
        return out
    width = 9
    out.append(" " * LABEL_WIDTH + "".join(("me" if c.by == "self" else "superv.").rjust(width) for c in columns) + "\n",
               style="dim")  # fmt: skip
    out.append(" " * LABEL_WIDTH + "".join(f"{c.at:%d %b}".rjust(width) for c in columns) + "\n", style="dim")
    for i, key in enumerate(cycle.COMPETENCY_KEYS):
        out.append(key.ljust(LABEL_WIDTH))
        for c in columns:
            level = c.levels[i]
            out.append((NONE_MARK if level is None else str(level)).rjust(width),
                       style="dim" if level is None else ("" if c.by == "self" else "bold"))  # fmt: skip
        out.append("\n")
    if total > len(columns):
        out.append(f"The newest {len(columns)} of {total} ratings.\n", style="dim")
    out.append(" · ".join(f"{n} {w}" for n, w in SCALE_WORDS.items()) + f" · {NONE_MARK} not rated")
    return out


def bar(done: float, required: float) -> str:
    filled = BAR if required <= 0 else min(BAR, round(BAR * done / required))
    return "█" * filled + "░" * (BAR - filled)


def hours(n: float) -> str:
    return f"{n:g}"


def training_text(t: TrainingProgress) -> Text:
    out = Text()
    out.append("Training toward renewal\n", style="bold")
    if t.problem:
        out.append(f"No progress to show: {t.problem}.")
        return out
    assert t.start is not None and t.end is not None
    out.append(f"{t.rules}: cycle {t.start:%d %b %Y} to {t.end:%d %b %Y}, {t.days_left} days left\n")
    for b in t.bars:
        done = b.done >= b.required
        if len(b.label) < BAR_LABEL:
            out.append(b.label.ljust(BAR_LABEL))
        else:  # a long requirement's name whole on its own line, the bar under it
            out.append(b.label + "\n" + " " * BAR_LABEL)
        out.append(bar(b.done, b.required), style="green" if done else "yellow")
        out.append(f" {hours(b.done)}/{hours(b.required)} h" + (" met" if done else "") + "\n")
    out.rstrip()
    return out


def goals_text(view: GrowthView) -> Text:
    out = Text()
    out.append("Open goals\n", style="bold")
    if not view.goals:
        out.append("No open goals: press g on home to set one.")
        return out
    for g in view.goals:
        tags = [t for t in (g.competency, f"due {g.due:%d %b %Y}" if g.due else "") if t]
        out.append("• " + g.text + (f" ({', '.join(tags)})" if tags else "") + "\n")
        if g.last_at is None:
            out.append("    no check-in yet\n", style="dim")
        else:
            out.append(f"    last check-in {g.last_at:%d %b %Y}: {clip(g.last_note, 60)}\n", style="dim")
    out.rstrip()
    return out


class GrowthScreen(Screen[None]):
    """Growth at a glance; scrolls at 80x24, and nothing needed is cut at 60x20."""

    DEFAULT_CSS = """
    GrowthScreen #growth-title {
        height: 1;
        background: $panel;
        padding: 0 1;
        text-style: bold;
    }
    GrowthScreen #growth-body {
        height: 1fr;
        padding: 0 1;
    }
    GrowthScreen #growth-body > Static {
        margin-bottom: 1;
        width: 100%;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="growth.back", tooltip="Back to home", priority=True),
    ]
    HELP_EXTRA = [("up/down, pgup/pgdn", "Scroll")]

    def __init__(self) -> None:
        super().__init__()
        self.view: GrowthView | None = None

    def compose(self) -> ComposeResult:
        yield Static("Growth", id="growth-title")
        with VerticalScroll(id="growth-body", can_focus=True):
            yield Static("Counting…", id="growth-heatmap")
            yield Static(id="growth-ratings")
            yield Static(id="growth-training")
            yield Static(id="growth-goals")
            yield Static(key_text(), id="growth-key")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#growth-body"))
        self._load(host(self).now().date())

    @work(thread=True, exclusive=True, group="growth", name="growth: read")
    def _load(self, today: date) -> None:
        from reflect.usecases.growth_view import growth_view

        try:
            view = growth_view(host(self).journal, today)
        except (JournalError, OSError) as exc:
            self.app.call_from_thread(self.notify, f"Cannot read the journal: {exc}", severity="error", markup=False)
            return
        self.app.call_from_thread(self.show, view)

    def show(self, view: GrowthView) -> None:
        if not self.is_attached:
            return
        self.view = view
        self.query_one("#growth-heatmap", Static).update(heatmap_text(view.heatmap))
        self.query_one("#growth-ratings", Static).update(ratings_text(view.ratings, view.ratings_total))
        self.query_one("#growth-training", Static).update(training_text(view.training))
        self.query_one("#growth-goals", Static).update(goals_text(view))

    def action_back(self) -> None:
        self.dismiss(None)
