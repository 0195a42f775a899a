"""Start-up of the home screen on a 25,000-entry journal, against a bare Textual app.

    python bench/bench_startup.py [--dir DIR] [--entries 25000] [--reps 7]

Builds the journal once (reused from --dir on later runs), then, alternating, starts
each app in a fresh interpreter (so imports count, as they do for a peer typing
`reflect`) and times from the first line of the child to "home ready": the list holds
its rows. The bare app has the same widgets (Header, glance line with a Sparkline,
search Input, status lines, an OptionList of 50 rows, Footer) and the same stylesheet,
filled from memory in on_mount. Prints each median and the ratio (target: <= 1.5).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()  # the child's clock starts before any import below is run

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5
ROWS = 50


# --- building the journal -----------------------------------------------------------


def build(directory: Path, count: int) -> Path:
    """A journal of `count` entries spread over five years up to now; reused when present."""
    sys.path.insert(0, str(ROOT))
    from datetime import timedelta

    from reflect.domain import cycle
    from reflect.domain.model import Entry, Flags, Listen, Reflect, Select, Share, Story, now
    from reflect.store import Journal

    db = directory / "journal.json"
    marker = directory / f"built-{count}.json"
    if marker.exists() and db.exists():
        print(f"reusing {db} ({count} entries)", file=sys.stderr)
        return db
    directory.mkdir(parents=True, exist_ok=True)
    journal = Journal(db, settings_path=directory / "settings.json")
    rng = random.Random(7)
    words = ("sleep housing sister work group money hope court school relapse church friend "
             "doctor landlord bus night weekend kids garden music").split()  # fmt: skip
    stories = [Story(title=f"Story part {i}", themes=rng.sample(words, 2)) for i in range(12)]
    span = timedelta(days=5 * 365)
    end = now()
    step = span / count
    start_time = time.perf_counter()
    batch: list[Entry] = []
    for i in range(count):
        def text(n: int) -> str:
            return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

        share = rng.random() < 0.4
        batch.append(Entry(
            occurred=(end - span + step * i).replace(microsecond=0),
            person=rng.choice(["AB", "J.", "River", "M", "Sam", "K.T.", "Q", "Lee"]),
            setting=rng.choice(cycle.SETTINGS),
            minutes=rng.choice([None, 15, 30, 45, 60]),
            listen=Listen(story=text(40), matters=text(12), themes=rng.sample(words, 2)),
            reflect=Reflect(experience=text(25), feelings=text(8)),
            select=Select(decision="share", story_id=rng.choice(stories).id, purposes=["instill hope"])
            if share else Select(decision=rng.choice(["hold", "undecided"])),
            share=Share(how=text(10), response=rng.choice(cycle.RESPONSES)) if share else Share(),
            flags=Flags(crisis=rng.random() < 0.02, discuss=rng.random() < 0.1, celebrate=rng.random() < 0.05),
            visibility="private" if rng.random() < 0.05 else "shared",
            tags=[rng.choice(["group", "intake", "follow-up"])] if rng.random() < 0.3 else [],
        ))
        if len(batch) == 2500 or i == count - 1:
            journal.import_records(batch, stories if i < 2500 else [])
            batch = []
            print(f"  built {i + 1}/{count} ({time.perf_counter() - start_time:.1f}s)", file=sys.stderr)
    marker.write_text(json.dumps({"entries": count}))
    return db


# --- the two children ----------------------------------------------------------------


async def _until(pilot, condition) -> None:
    while not condition():
        await asyncio.sleep(0.0005)
    await pilot.pause()  # let the populated list be laid out, as a peer would see it


def child_reflect(db: str, settings: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from reflect.screens.app import ReflectApp
    from reflect.store import Journal

    out: dict[str, float] = {}

    async def run() -> None:
        app = ReflectApp(journal=Journal(db, settings_path=settings))
        async with app.run_test(size=(80, 24), headless=True) as pilot:
            home = app.screen_stack[0]
            await _until(pilot, lambda: home.ready)
            out["ready"] = time.perf_counter() - T0
            assert len(home._entries) == ROWS, len(home._entries)
            await _until(pilot, lambda: home.glance_ready)
            out["glance"] = time.perf_counter() - T0

    asyncio.run(run())
    return out


def child_bare() -> dict[str, float]:
    from textual.app import App
    from textual.containers import Horizontal, Vertical
    from textual.widgets import Footer, Header, Input, Label, OptionList, Sparkline, Static
    from textual.widgets.option_list import Option

    class Bare(App[None]):
        CSS_PATH = str(ROOT / "reflect" / "screens" / "reflect.tcss")

        def compose(self):
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
            rows = [Option(f"Tue 14 May       ! ?    AB       one-to-one Talked about housing {i}", id=f"e{i}")
                    for i in range(ROWS)]
            lst = self.query_one(OptionList)
            lst.add_options(rows)
            lst.focus()

    out: dict[str, float] = {}

    async def run() -> None:
        app = Bare()
        async with app.run_test(size=(80, 24), headless=True) as pilot:
            await _until(pilot, lambda: app.query_one(OptionList).option_count == ROWS)
            out["ready"] = time.perf_counter() - T0

    asyncio.run(run())
    return out


# --- the parent ------------------------------------------------------------------------


def run_child(kind: str, db: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", kind, "--dir", str(db.parent)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="where the journal is built (kept for reuse)")
    parser.add_argument("--entries", type=int, default=25_000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--child", choices=["reflect", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        directory = args.dir
        if args.child == "reflect":
            result = child_reflect(str(directory / "journal.json"), str(directory / "settings.json"))
        else:
            result = child_bare()
        print(json.dumps(result))
        return

    directory = args.dir or Path(tempfile.gettempdir()) / f"reflect-bench-{args.entries}"
    db = build(directory, args.entries)
    run_child("bare", db)  # warm the disk cache and .pyc files for both
    run_child("reflect", db)
    bare: list[float] = []
    ours: list[float] = []
    glance: list[float] = []
    for _ in range(args.reps):
        bare.append(run_child("bare", db)["ready"])
        got = run_child("reflect", db)
        ours.append(got["ready"])
        glance.append(got["glance"])
    mb, mo, mg = statistics.median(bare), statistics.median(ours), statistics.median(glance)
    ratio = mo / mb
    print(f"journal: {db} ({args.entries} entries), {args.reps} repetitions, fresh interpreter each")
    print(f"bare Textual app, same widgets, {ROWS} rows: median {mb * 1000:.0f} ms  (runs: {', '.join(f'{x * 1000:.0f}' for x in bare)})")
    print(f"reflect home, list populated:           median {mo * 1000:.0f} ms  (runs: {', '.join(f'{x * 1000:.0f}' for x in ours)})")
    print(f"reflect home, chart and meeting too:    median {mg * 1000:.0f} ms")
    print(f"ratio reflect/bare: {ratio:.2f} (target <= {TARGET}): {'OK' if ratio <= TARGET else 'OVER'}")


if __name__ == "__main__":
    main()
