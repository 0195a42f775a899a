"""The bare Textual app bench_tmux.py measures reflect against.

    python bench/bare_app.py '{"encounter": N, "crisis": N, "entry": N}'

Home has reflect's home widgets and stylesheet, filled from memory; enter, n and ctrl+x
push a plain screen holding as many widgets as reflect's entry view, encounter and crisis
panel (counted by bench_tmux.py), with the text bench_tmux.py waits for.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

ROOT = Path(__file__).resolve().parent.parent
ROWS = 50


class Plain(Screen[None]):
    """`count` widgets in all, the first of them showing `marker`."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("ctrl+x", "app.crisis", "Crisis")]

    def __init__(self, count: int, marker: str) -> None:
        super().__init__()
        self.count = count
        self.marker = marker

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(self.marker)
            for i in range(max(self.count - 5, 0)):
                yield Static(f"field {i}")
        yield Footer()


class Bare(App[None]):
    CSS_PATH = str(ROOT / "reflect" / "screens" / "reflect.tcss")
    BINDINGS = [Binding("n", "encounter", "New"), Binding("enter", "entry", "Open", priority=True)]

    def __init__(self, widgets: dict[str, int]) -> None:
        super().__init__()
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="glance"):
            with Horizontal(id="week-row"):
                yield Label("Encounters a week, last 16 weeks ")
                yield Sparkline([3, 5, 2, 8, 4, 6, 7, 1, 3, 5, 2, 8, 4, 6, 7, 1], id="week-chart")
                yield Label(" 3 this week", id="week-summary")
            yield Static("Next supervision: Tue 21 May 10:00", id="next-meeting")
        yield Input(placeholder="/ search", id="search", compact=True)
        yield Static("status", id="status")
        yield Static("When  Flags  Person  Setting  What was shared", id="columns")
        yield OptionList(id="entries")
        yield Footer()

    def on_mount(self) -> None:
        rows = [Option(f"Tue 14 May       ! ?    {'Qzx' if i == 0 else 'AB'}      one-to-one Talked {i}", id=f"e{i}")
                for i in range(ROWS)]
        lst = self.query_one(OptionList)
        lst.add_options(rows)
        lst.focus()

    def action_entry(self) -> None:
        if len(self.screen_stack) == 1:
            self.push_screen(Plain(self.widgets["entry"], "Benchmark story marker"))

    def action_encounter(self) -> None:
        self.push_screen(Plain(self.widgets["encounter"], "What matters to them?"))

    def action_crisis(self) -> None:
        self.push_screen(Plain(self.widgets["crisis"], "What was done (space ticks)"))


if __name__ == "__main__":
    Bare(json.loads(sys.argv[1])).run()
