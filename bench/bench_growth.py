"""The Growth screen and the portfolio for a 25,000-entry journal against a 2,500-entry one.

Both journals cover the same three years up to today (the big one ten times as dense),
with the same ratings, goals, trainings and meetings; entries carry about a kilobyte of
text each, as a peer's do. Measured in the same run, for each journal:

- the Growth screen's data (`usecases.growth_view.growth_view`), with the per-month
  tallies kept (the usual case), once cold (no tallies yet: the first opening) and
  after one save (which keeps the counts current); and the save itself, with counts kept
  (it updates them) and without;
- the screen itself, through the app: from the `p` key on home to the data drawn;
- `reflect portfolio --format html` (and json) through the installed command, in a fresh
  process each time, as a peer runs it, beside `reflect --help` (the start-up alone) and
  the same portfolio built in this process.

Target: the 25,000-entry figures within 1.3x of the 2,500-entry ones. Prints figures and
ratios; asserts nothing (machines are noisy).
Run: python bench/bench_growth.py [--small N] [--big N] [--months N] [--repeat N] [--no-app]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reflect.domain import cycle  # noqa: E402
from reflect.domain.growth import CheckIn, Goal, Levels, Rating  # noqa: E402
from reflect.domain.model import Entry, Group, Listen, Meeting, Reflect, Share  # noqa: E402
from reflect.domain.training import Training  # noqa: E402
from reflect.store import Journal  # noqa: E402
from reflect.usecases import settings as settings_uc  # noqa: E402
from reflect.usecases.growth_view import growth_view  # noqa: E402

STORY = (
    "Talked about the move to the new flat, the landlord who does not answer, and how the "
    "first week alone felt. Wants to get back to the Tuesday group and to call the clinic. "
)


def entries(n: int, months: int, now: datetime) -> list[Entry]:
    span = timedelta(days=30.4 * months)
    out = []
    for i in range(n):
        when = now - span * (i + 1) / (n + 1)
        e = Entry(
            id=f"e-{i:06d}", occurred=when, recorded=when, updated=when, peer="sam", person=f"P{i % 97}",
            setting=cycle.SETTINGS[i % len(cycle.SETTINGS)], minutes=20 + i % 5 * 10,
            listen=Listen(story=STORY * 3, matters="Keeping the flat; seeing the kids.", themes=["housing", "family"]),
            reflect=Reflect(experience="My own first month in a flat of my own, and the quiet.", feelings="Hopeful"),
            share=Share(how="Asked first, shared briefly, asked how it landed.", next_steps="Call the clinic."),
            competencies=[cycle.COMPETENCY_KEYS[i % 12], cycle.COMPETENCY_KEYS[(i * 7) % 12], "II"],
            visibility="private" if i % 9 == 4 else "shared", tags=["housing"],
        )  # fmt: skip
        if i % 6 == 1:
            e.group = Group(headcount=5 + i % 6, theme="coping with holidays")
        out.append(e)
    return out


def small_tables(now: datetime) -> dict[str, list]:
    meetings = []
    for k in range(36):
        held = now - timedelta(days=30 * k + 3)
        meetings.append(Meeting(id=f"m-{k}", peer="sam", supervisor="Dana", held=held, since=held - timedelta(days=30),
                                until=held, minutes=60, kind="group" if k % 4 == 0 else "individual"))  # fmt: skip
    ratings = [
        Rating(id=f"r-{k}", at=now - timedelta(days=60 * k + 1), by="self" if k % 2 else "supervisor",
               ratings=Levels.from_dict({key: 1 + (k + j) % 5 for j, key in enumerate(cycle.COMPETENCY_KEYS)}))
        for k in range(12)
    ]  # fmt: skip
    goals = [
        Goal(id=f"g-{k}", text=f"Goal number {k}", competency=cycle.COMPETENCY_KEYS[k % 12],
             created=now - timedelta(days=300 - k), status="met" if k % 3 == 0 else "open",
             met_at=now - timedelta(days=10 * k) if k % 3 == 0 else None,
             check_ins=[CheckIn(note="going fine", at=now - timedelta(days=5 * k))])
        for k in range(12)
    ]  # fmt: skip
    trainings = [
        Training(id=f"t-{k}", title=f"Course {k}", provider="Recovery college", date=(now - timedelta(days=40 * k)).date(),
                 hours=3, category=("ethics", "peer", "elective")[k % 3])
        for k in range(20)
    ]  # fmt: skip
    return {"meetings": meetings, "ratings": ratings, "goals": goals, "trainings": trainings}


def build(folder: Path, n: int, months: int, now: datetime) -> Journal:
    journal = Journal(folder / "journal.json", settings_path=folder / "settings.json")
    es = entries(n, months, now)
    tables = small_tables(now)
    for i in range(0, len(es), 5000):
        journal.import_records(es[i : i + 5000])
    journal.import_records(meetings=tables["meetings"], ratings=tables["ratings"], goals=tables["goals"],
                           trainings=tables["trainings"])  # fmt: skip
    settings_uc.set_value(journal, "training_rules", "pa-cps")
    settings_uc.set_value(journal, "certified_on", (now - timedelta(days=400)).date().isoformat())
    return journal


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def forget_tallies(journal: Journal) -> None:
    journal.layout.tallies.unlink(missing_ok=True)


def one_save(journal: Journal, now: datetime) -> None:
    journal.save(Entry(occurred=now - timedelta(minutes=5), competencies=["IX"], listen=Listen(story=STORY)))


def screen_open(journal: Journal, repeat: int) -> float:
    """Median ms from `p` on home to the Growth screen's data drawn, through the app."""
    from reflect.screens.app import ReflectApp
    from reflect.screens.growth import GrowthScreen

    async def run() -> list[float]:
        app = ReflectApp(journal, start="home")
        times = []
        async with app.run_test(size=(80, 24)) as pilot:
            home = app.screen_stack[0]
            while not (getattr(home, "ready", False) and getattr(home, "glance_ready", False)):
                await pilot.pause(0.01)
            await pilot.pause()
            for _ in range(repeat):
                t0 = time.perf_counter()
                await pilot.press("p")
                while not (isinstance(app.screen, GrowthScreen) and app.screen.view is not None):
                    await pilot.pause(0.002)
                times.append((time.perf_counter() - t0) * 1000)
                await pilot.press("escape")
                await pilot.pause()
        return times

    return statistics.median(asyncio.run(run()))


def reflect_cmd() -> list[str]:
    beside = Path(sys.executable).parent / "reflect"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("reflect")
    return [found] if found else [sys.executable, "-m", "reflect"]


def portfolio_cmd(journal: Journal, fmt: str) -> Callable[[], None]:
    env = dict(os.environ, REFLECT_DB=str(journal.path), REFLECT_CONFIG=str(journal.settings_path))
    cmd = reflect_cmd() + ["portfolio", "--format", fmt]

    def run() -> None:
        done = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode(errors="replace"))

    return run


def portfolio_page(journal: Journal) -> None:
    from reflect.domain import portfolio_render
    from reflect.usecases.portfolio import portfolio

    portfolio_render.write(io.StringIO(), portfolio(journal), "html")


def help_cmd() -> Callable[[], None]:
    cmd = reflect_cmd() + ["--help"]
    return lambda: None if subprocess.run(cmd, capture_output=True, timeout=300).returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2500, help="entries in the smaller journal (default 2,500)")
    parser.add_argument("--big", type=int, default=25000, help="entries in the larger journal (default 25,000)")
    parser.add_argument("--months", type=int, default=36, help="months both journals cover, up to today")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure and journal, in each of 3 rounds")
    parser.add_argument("--no-app", action="store_true", help="leave out the screen measured through the app")
    args = parser.parse_args()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        journals = {}
        for label, n in (("small", args.small), ("big", args.big)):
            t0 = time.perf_counter()
            folder = Path(tmp) / label
            folder.mkdir()
            journals[label] = build(folder, n, args.months, now)
            size = sum(p.stat().st_size for p in journals[label].entries_dir.glob("*.json"))
            print(f"{label:5} {n:6} entries over {args.months} months, month files {size / 1e6:.1f} MB"
                  f" (built in {time.perf_counter() - t0:.1f} s)")  # fmt: skip

        rows: list[tuple[str, dict[str, float]]] = []

        def measure(label: str, fn: Callable[[Journal], float], rounds: int = 3) -> None:
            """Small and big alternately, `rounds` times (a shared machine drifts): the median
            of each and the best of each, with their ratios."""
            got: dict[str, list[float]] = {k: [] for k in journals}
            for _ in range(rounds):
                for k, j in journals.items():
                    got[k].append(fn(j))
            med = {k: statistics.median(v) for k, v in got.items()}
            best = {k: min(v) for k, v in got.items()}
            rows.append((label, med))
            print(f"{label:<46} {med['small']:8.1f} {med['big']:8.1f} {med['big'] / med['small']:6.2f}x"
                  f"   {best['small']:8.1f} {best['big']:8.1f} {best['big'] / best['small']:6.2f}x", flush=True)

        print(f"\nms, {args.small:,} and {args.big:,} entries; target: within 1.3x")
        print(f"{'':<46} {'median':>8} {'':>8} {'ratio':>7}   {'best':>8} {'':>8} {'ratio':>7}")
        measure("growth data, cold (no tallies yet)", lambda j: timed(lambda: (forget_tallies(j), growth_view(j, today)), 1))
        measure("growth data, tallies kept", lambda j: timed(lambda: growth_view(j, today), args.repeat))

        def after_save(j: Journal) -> float:
            one_save(j, now)
            return timed(lambda: growth_view(j, today), 1)

        measure("growth data, after one save this month", after_save, rounds=args.repeat)
        measure("save one entry, counts kept (the save updates them)", lambda j: timed(lambda: one_save(j, now), args.repeat))

        def save_without(j: Journal) -> float:
            forget_tallies(j)
            took = timed(lambda: one_save(j, now), args.repeat)
            growth_view(j, today)  # counted again, for the figures after this one
            return took

        measure("save one entry, no counts kept", save_without)
        if not args.no_app:
            measure("growth screen through the app (p to drawn)", lambda j: screen_open(j, args.repeat))
        measure("portfolio, html, in this process", lambda j: timed(lambda: portfolio_page(j), args.repeat))
        measure("reflect --help (a process: start-up alone)", lambda j: timed(help_cmd(), args.repeat))
        for fmt in ("html", "json"):
            measure(f"reflect portfolio --format {fmt} (a process)", lambda j: timed(portfolio_cmd(j, fmt), args.repeat))


if __name__ == "__main__":
    main()
