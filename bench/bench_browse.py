"""What a person waits for when searching and paging a 25,000-entry journal. Prints
figures (ms) and ratios; asserts nothing.

    python bench/bench_browse.py [--size 25000] [--db PATH] [--repeat N]

Builds a journal like bench_store.py's (or uses --db, built by an earlier run), then:

  cli      the installed `reflect` command as a subprocess: `list --limit 50` beside
           `list --search WORD` for a rare word, a common one, and words found only in
           field names or non-text values (the old worst cases); the ratio of each
           search to `list --limit 50` in the same run (target: within 2x)
  home     in-process, what the home screen reads: its first page without a filter,
           beside its first page of each search (the same ratio), and a page at the top
           beside a page at the bottom of the journal (the same cost at any depth)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import build  # noqa: E402

from reflect.domain.model import EntryFilter  # noqa: E402
from reflect.store import Journal  # noqa: E402
from reflect.usecases import browsing  # noqa: E402

WORDS = {
    "rare (none)": "zebra",
    "common": "believed",
    "field name": "experience",
    "non-text value": "hospital",
    "peer name": "sam",
}


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def reflect_cmd() -> list[str]:
    found = shutil.which("reflect") or str(Path(sys.executable).with_name("reflect"))
    return [found] if Path(found).exists() else [sys.executable, "-m", "reflect"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=25_000)
    ap.add_argument("--db", type=Path, default=None, help="an existing journal (skips the build)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-browse-"))
    db = args.db or tmp / "journal.json"
    settings = db.with_name("settings.json")
    if args.db is None:
        t = time.perf_counter()
        build(db, args.size)
        print(f"built {args.size:,} entries in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    env = dict(os.environ, REFLECT_DB=str(db), REFLECT_CONFIG=str(settings), NO_COLOR="1")
    cmd = reflect_cmd()

    def run(*extra: str) -> Callable[[], object]:
        return lambda: subprocess.run([*cmd, "list", *extra], env=env, capture_output=True, check=False)

    print(f"cli: {' '.join(cmd)} (ms, median of {args.repeat})")
    base = median_ms(run("--limit", "50"), args.repeat)
    print(f"  list --limit 50                 {base:8.1f}")
    for label, word in WORDS.items():
        ms = median_ms(run("--search", word), args.repeat)
        print(f"  list --search {word:<12} {label:<15} {ms:8.1f}  {ms / base:5.2f}x")

    journal = Journal(db, settings_path=settings)
    b = browsing.browser(journal)
    print(f"home (in-process, ms, median of {args.repeat})")
    first = median_ms(lambda: browsing.older(b, None, 50), args.repeat)
    print(f"  first page                      {first:8.1f}")
    for label, word in WORDS.items():
        flt = EntryFilter(text=word)
        ms = median_ms(lambda: browsing.older(b, None, 50, flt), args.repeat)
        print(f"  search {word:<12} {label:<15}  {ms:8.1f}  {ms / first:5.2f}x")
    oldest = browsing.newer(b, None, 50)
    deep = median_ms(lambda: browsing.older(b, oldest.keys[0], 50), args.repeat)
    end = median_ms(lambda: browsing.newer(b, None, 50), args.repeat)
    print(f"  a page at the oldest end        {deep:8.1f}  {deep / first:5.2f}x the first page")
    print(f"  End (the oldest page)           {end:8.1f}  {end / first:5.2f}x the first page")
    if args.db is None:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
