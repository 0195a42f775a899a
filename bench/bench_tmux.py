"""What a person waits for, through the real `reflect` command in a real terminal (tmux).

    python bench/bench_tmux.py [--dir DIR] [--entries 25000] [--reps 5] [--size 80x24]

Each repetition starts `reflect` in a fresh tmux session (a fresh interpreter, so imports,
click and the command line count) and a bare Textual app beside it, alternating, and reads
the screen with `tmux capture-pane` until what a person waits for is there:

- home ready: the newest entry's row is on screen;
- a new encounter: `n` pressed until the Listen step's first question is on screen;
- the crisis panel: `ctrl+x` pressed (from the encounter) until the crisis actions show;
- an entry view: `enter` on the newest row until the end of its story is on screen.

The bare app has the same home widgets and pushes, for each of the three, a plain screen
holding as many widgets as reflect's own screen does (counted in the same run), so the
ratio is reflect's own cost over what Textual needs to draw that much. Both are read by
the same polling loop, so its cost is in both. Targets (issue 9): home within 1.25x,
the three screens within 1.5x.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
MARK_PERSON = "Qzx"
MARK_STORY = "Benchmark story marker"
# Home shows the start of a story at most; the marker sits past what any row can show.
STORY = "Talked about the week: the bus, the rain, the landlord, the group on Thursday, the kids and the garden. " + MARK_STORY
MARK_LISTEN = "What matters to them?"  # short enough not to wrap in the side panel at 80x24
MARK_CRISIS = "What was done"
TARGETS = {"home": 1.25, "encounter": 1.5, "crisis": 1.5, "entry": 1.5}
POLL = 0.002


def reflect_command() -> str:
    """The installed `reflect` beside this interpreter (as a person runs it), else on PATH."""
    here = Path(sys.executable).with_name("reflect")
    found = str(here) if here.exists() else shutil.which("reflect")
    if not found:
        sys.exit("bench_tmux: no installed `reflect` command (pip install . first)")
    return found


def prepare(directory: Path, count: int) -> Path:
    """The bench journal (shared with bench_startup) plus one newest entry to look for."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from bench_startup import build  # noqa: PLC0415 - the same journal for both benches

    db = build(directory, count)
    flag = directory / f"marked-v2-{count}.json"
    if not flag.exists():
        from reflect.domain.model import Entry, Listen, now
        from reflect.store import Journal

        journal = Journal(db, settings_path=directory / "settings.json")
        journal.save(Entry(occurred=now().replace(microsecond=0), person=MARK_PERSON,
                           listen=Listen(story=STORY)))
        flag.write_text("{}")
    return db


# A tmux server of its own: other tmux users on the machine neither see nor disturb it.
TMUX = ["tmux", "-L", f"reflect-bench-{os.getpid()}"]


class Pane:
    """One tmux session running one command, read as a person reads the screen."""

    def __init__(self, name: str, command: str, size: tuple[int, int], env: dict[str, str]):
        self.name = name
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # Without -u, a PYTHONDONTWRITEBYTECODE in the bench's own environment reaches the
        # pane: reflect (not byte-compiled by an editable install) then compiled every module
        # from source at each start, which no installed copy does; textual's are compiled.
        start = [*TMUX, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
                 f"env -u PYTHONDONTWRITEBYTECODE {exports} {command}"]
        for attempt in range(5):  # the server left by the last session may still be exiting
            self.started = time.perf_counter()
            if subprocess.run(start, capture_output=True).returncode == 0:
                break
            time.sleep(0.2 * (attempt + 1))
        else:
            subprocess.run(start, check=True)
            self.started = time.perf_counter()

    def text(self) -> str:
        done = subprocess.run([*TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, needle: str, since: float, timeout: float = 60.0) -> float:
        while needle not in self.text():
            if time.perf_counter() - since > timeout:
                raise TimeoutError(f"{self.name}: {needle!r} not on screen after {timeout}s:\n{self.text()}")
            time.sleep(POLL)
        return time.perf_counter() - since

    def wait_gone(self, needle: str, timeout: float = 60.0) -> None:
        """Until `needle` has left the screen (the screen showing it has been closed)."""
        since = time.perf_counter()
        while needle in self.text():
            if time.perf_counter() - since > timeout:
                raise TimeoutError(f"{self.name}: {needle!r} still on screen after {timeout}s")
            time.sleep(POLL)

    def press(self, *keys: str) -> float:
        at = time.perf_counter()
        subprocess.run([*TMUX, "send-keys", "-t", self.name, *keys], check=True)
        return at

    def close(self) -> None:
        subprocess.run([*TMUX, "kill-session", "-t", self.name], capture_output=True)


def count_widgets(db: Path, settings: Path) -> dict[str, int]:
    """How many widgets reflect's encounter, crisis panel and entry view hold (headless)."""
    code = f"""
import asyncio, json, sys
sys.path.insert(0, {str(ROOT)!r})
from reflect.root import open_journal
from reflect.screens.app import ReflectApp
import os
os.environ["REFLECT_CONFIG"] = {str(settings)!r}
async def main():
    app = ReflectApp(journal=open_journal({str(db)!r}))
    out = {{}}
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if getattr(app.screen, "ready", True) and "{MARK_PERSON}" in str(app.screen.query("*").results()):
                break
        home = app.screen
        await pilot.press("enter"); await pilot.pause(0.5)
        out["entry"] = len(list(app.screen.query("*")))
        await pilot.press("escape"); await pilot.pause(0.3)
        await pilot.press("n"); await pilot.pause(0.5)
        out["encounter"] = len(list(app.screen.query("*")))
        await pilot.press("ctrl+x"); await pilot.pause(0.5)
        out["crisis"] = len(list(app.screen.query("*")))
    print(json.dumps(out))
asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "REFLECT_DB": str(db), "REFLECT_CONFIG": str(settings)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_pane(kind: str, name: str, db: Path, settings: Path, size: tuple[int, int],
               widgets: dict[str, int]) -> Pane:  # fmt: skip
    """`reflect` (with no drafts left from the last run) or the bare app, started in tmux."""
    env = {"REFLECT_DB": str(db), "REFLECT_CONFIG": str(settings), "TERM": "xterm-256color"}
    if kind == "reflect":
        discard_drafts(db, settings)
        command = shlex.quote(reflect_command())
    else:
        command = " ".join(shlex.quote(p) for p in (sys.executable, str(HERE / "bare_app.py"), json.dumps(widgets)))
    return Pane(f"{name}-{kind}-{os.getpid()}", command, size, env)


def journal_arguments(parser: argparse.ArgumentParser, *, reps: int, size: bool = True) -> None:
    """The options of the benches that share this journal: --dir, --entries, --reps (and --size)."""
    parser.add_argument("--dir", type=Path, help="where the journal is built (kept for reuse)")
    parser.add_argument("--entries", type=int, default=25_000)
    parser.add_argument("--reps", type=int, default=reps)
    if size:
        parser.add_argument("--size", default="80x24")


def bench_journal(args: argparse.Namespace) -> tuple[Path, Path]:
    """The journal those options name (built the first time) and its settings file."""
    directory = args.dir or Path(tempfile.gettempdir()) / f"reflect-bench-{args.entries}"
    return prepare(directory, args.entries), directory / "settings.json"


def one_run(kind: str, db: Path, settings: Path, size: tuple[int, int], widgets: dict[str, int]) -> dict[str, float]:
    pane = start_pane(kind, "bench", db, settings, size, widgets)
    try:
        out = {"home": pane.wait_for(MARK_PERSON, pane.started)}
        time.sleep(0.3)  # let the glance settle, as a person reads the screen first
        out["entry"] = pane.wait_for(MARK_STORY, pane.press("Enter"))
        pane.press("Escape")
        # The entry view shows the person too: wait for its story to go, then for home.
        pane.wait_gone(MARK_STORY)
        pane.wait_for(MARK_PERSON, time.perf_counter())
        time.sleep(0.2)
        out["encounter"] = pane.wait_for(MARK_LISTEN, pane.press("n"))
        time.sleep(0.2)
        out["crisis"] = pane.wait_for(MARK_CRISIS, pane.press("C-x"))
        return out
    finally:
        pane.close()


def discard_drafts(db: Path, settings: Path) -> None:
    """The last run, killed mid-encounter, left a draft, and home lists drafts first."""
    sys.path.insert(0, str(ROOT))
    from reflect.store import Journal

    journal = Journal(db, settings_path=settings)
    for draft in journal.drafts():
        journal.discard_draft(draft.id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    journal_arguments(parser, reps=5)
    args = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("bench_tmux: needs tmux (apt-get install tmux)")
    size = tuple(int(n) for n in args.size.split("x"))
    db, settings = bench_journal(args)
    discard_drafts(db, settings)
    widgets = count_widgets(db, settings)
    runs: dict[str, dict[str, list[float]]] = {"reflect": {}, "bare": {}}
    one_run("bare", db, settings, size, widgets)  # warm the disk cache and write .pyc files for both
    one_run("reflect", db, settings, size, widgets)
    for _ in range(args.reps):
        for kind in ("bare", "reflect"):
            for key, value in one_run(kind, db, settings, size, widgets).items():
                runs[kind].setdefault(key, []).append(value)
    print(f"journal: {db} ({args.entries} entries), {args.reps} repetitions, `reflect` in tmux {args.size}")
    print(f"widgets on reflect's screens (the bare screens hold as many): {widgets}")
    for key, target in TARGETS.items():
        ours, bare = statistics.median(runs["reflect"][key]), statistics.median(runs["bare"][key])
        ratio = ours / bare
        verdict = "OK" if ratio <= target else "OVER"
        spread = f"reflect {min(runs['reflect'][key]) * 1000:.0f} to {max(runs['reflect'][key]) * 1000:.0f} ms"
        print(f"{key:10} reflect {ours * 1000:6.0f} ms  bare {bare * 1000:6.0f} ms  "
              f"ratio {ratio:.2f} (target <= {target}): {verdict}  [{spread}]")


if __name__ == "__main__":
    main()
