"""Home ready, through the real `reflect` command in tmux: wall time and the CPU it took.

    python bench/bench_home.py [--dir DIR] [--entries 25000] [--reps 9] [--size 80x24]

The same start as bench_tmux.py's "home ready" (a fresh `reflect` in a fresh tmux session,
the newest entry's row on screen, beside the bare Textual app with reflect's home widgets,
alternating), with one more figure: the CPU time (user + system) the process had used when
the row was seen, read from /proc. On a shared machine wall times swing with the load
(bench_tmux.py gave home 1.01 and 1.42 in two runs a minute apart at a load of 4); the CPU
a start takes barely moves, and on an idle machine the wall ratio follows it (before issue
9's item 18: CPU ratio 1.79, idle wall ratio 1.78).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 1.25
WIDGETS = {"entry": 12, "encounter": 40, "crisis": 15}  # the bare app's other screens; home does not use them


def cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and its children still running (/proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(c) for c in found]
    for c in list(out):
        out += _children(c)
    return out


def one_run(kind: str, db: Path, settings: Path, size: tuple[int, int]) -> tuple[float, float]:
    from bench_tmux import MARK_PERSON, TMUX, start_pane

    pane = start_pane(kind, "home", db, settings, size, WIDGETS)
    try:
        shown = subprocess.run([*TMUX, "display", "-p", "-t", pane.name, "#{pane_pid}"],
                               capture_output=True, text=True, check=True)  # fmt: skip
        pid = int(shown.stdout.strip())
        wall = pane.wait_for(MARK_PERSON, pane.started)
        return wall, cpu_seconds(pid)
    finally:
        pane.close()
        time.sleep(0.1)


def main() -> None:
    sys.path.insert(0, str(HERE))
    from bench_tmux import bench_journal, journal_arguments

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    journal_arguments(parser, reps=9)
    args = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("bench_home: needs tmux (apt-get install tmux)")
    size = (int(args.size.split("x")[0]), int(args.size.split("x")[1]))
    db, settings = bench_journal(args)
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "reflect": []}
    for kind in runs:  # warm the disk cache and the .pyc files of both
        one_run(kind, db, settings, size)
    for _ in range(args.reps):
        for kind in runs:
            runs[kind].append(one_run(kind, db, settings, size))
    load = os.getloadavg()[0]
    print(f"journal: {db} ({args.entries} entries), {args.reps} repetitions, tmux {args.size}, load {load:.1f}")
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    for what, i in (("wall", 0), ("cpu", 1)):
        ours, bare = med["reflect"][i], med["bare"][i]
        ratio = ours / bare
        print(f"home ready, {what:4}: reflect {ours * 1000:6.0f} ms  bare {bare * 1000:6.0f} ms  ratio {ratio:.2f} "
              f"(target <= {TARGET}): {'OK' if ratio <= TARGET else 'OVER'}")  # fmt: skip


if __name__ == "__main__":
    main()
