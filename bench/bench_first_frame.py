"""Main-thread CPU time from a key to the first frame of the screen it opens.

    python bench/bench_first_frame.py [--dir DIR] [--entries 25000] [--reps 6]

bench_tmux.py measures wall time through tmux, which on a shared machine moves with the
load (a run at a load average of 4 gave the crisis panel 1.09 and 2.76 minutes apart).
This measures what the app itself spends, which the load moves much less: each repetition
is a fresh interpreter (so the first `n` and the first ctrl+x of a session are measured,
first-use costs included), headless at 80x24, home first, then `n` (the new encounter)
and ctrl+x (the crisis panel), each timed by the main thread's CPU clock from the key to
the first frame Textual composes of the new screen. The bare app (bench/bare_app.py, the
same widget counts) is measured the same way, alternating with reflect.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WIDGETS = {"entry": 12, "encounter": 40, "crisis": 15}  # as bench_tmux.py counts them

CHILD = """
import asyncio, json, os, sys, time
kind = sys.argv[1]
import textual.app as A
shown = {}
display = A.App._display
def spy(self, screen, renderable):
    shown.setdefault(id(screen), time.thread_time())
    return display(self, screen, renderable)
A.App._display = spy
async def main():
    if kind == "reflect":
        from reflect.root import open_journal
        from reflect.screens.app import ReflectApp
        app = ReflectApp(journal=open_journal(os.environ["REFLECT_DB"]))
        targets = ("EncounterScreen", "CrisisPanel")
    else:
        sys.path.insert(0, sys.argv[2])
        from bare_app import Bare
        app = Bare(json.loads(sys.argv[3]))
        targets = ("Plain", "Plain")
    out = {}
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):  # home with its rows
            await pilot.pause(0.02)
            lists = app.screen.query("OptionList")
            if getattr(app.screen, "ready", True) and lists and lists.first().option_count:
                break
        await pilot.pause(1.0)  # as a person reads home: the warm-ups run
        for key, target in zip(("n", "ctrl+x"), targets):
            before = set(shown)
            start = time.thread_time()
            await pilot.press(key)
            for _ in range(500):
                if type(app.screen).__name__ == target and id(app.screen) in shown and id(app.screen) not in before:
                    break
                await pilot.pause(0.01)
            out[key] = (shown[id(app.screen)] - start) * 1000
            await pilot.pause(0.4)
    print(json.dumps(out))
asyncio.run(main())
"""


def one(kind: str, env: dict[str, str]) -> dict[str, float]:
    args = [sys.executable, "-c", CHILD, kind, str(HERE), json.dumps(WIDGETS)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=300)
    return {k: float(v) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def main() -> None:
    sys.path.insert(0, str(HERE))
    from bench_tmux import bench_journal, journal_arguments  # noqa: PLC0415 - the same journal as bench_tmux

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    journal_arguments(parser, reps=6, size=False)
    args = parser.parse_args()
    db, settings = bench_journal(args)
    env = {**os.environ, "REFLECT_DB": str(db), "REFLECT_CONFIG": str(settings)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs: dict[str, dict[str, list[float]]] = {"reflect": {}, "bare": {}}
    for _ in range(args.reps):
        for kind in ("bare", "reflect"):
            for key, value in one(kind, env).items():
                runs[kind].setdefault(key, []).append(value)
    print(f"journal: {db} ({args.entries} entries), {args.reps} fresh processes each, headless 80x24")
    for key, what in (("n", "encounter"), ("ctrl+x", "crisis")):
        ours, bare = statistics.median(runs["reflect"][key]), statistics.median(runs["bare"][key])
        print(f"{what:10} reflect {ours:6.1f} ms CPU  bare {bare:6.1f} ms CPU  ratio {ours / bare:.2f}")


if __name__ == "__main__":
    main()
