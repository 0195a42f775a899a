"""Importing a big export document, as a person runs it. Prints figures and ratios; asserts nothing.

    python bench/bench_import.py [--entries 25000] [--repeat 3] [--reflect PATH]

It writes an export document of N entries (as `bench_store` makes them) to a temp
folder, then measures, in the same run:

  import   `reflect import FILE` into a new journal, through the installed command in a
           subprocess (interpreter start-up and the identifier scan included), wall time
           and the child's peak resident memory (from /usr/bin/time, else wait4)
  loads    `json.loads` of the same document's text, in this process (median of --repeat)
  paired   each import over a `json.loads` timed just before it, wall and CPU time: the
           machine's speed drifts on a shared host, and a pair meets it at one moment
  in-process  the same import in this process, through the same use cases as the command:
           parsing (read one record at a time), the identifier scan, the store's part, and
           how long the store holds the journal's lock (from its progress calls)
  python   the peak memory of a child that only reads and `json.loads` the document: the
           floor any Python importer pays

Targets (issue #8, item 16): import within 5x of loads; import's peak memory within 3x of
the document's size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, time as clock, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import make_entry, working_days_back  # noqa: E402
import random  # noqa: E402

from reflect.domain.formats import write_json  # noqa: E402


def make_document(path: Path, n: int) -> None:
    rng = random.Random(8)
    days = working_days_back(n // 10 + 1)
    entries = []
    for i in range(n):
        day = days[i // 10]
        occurred = datetime.combine(day, clock(8 + i % 10, rng.randint(0, 59)), tzinfo=timezone.utc)
        entries.append(make_entry(rng, occurred))
    with path.open("w", encoding="utf-8") as out:
        write_json(out, entries, exported_at=datetime(2025, 11, 30, tzinfo=timezone.utc))


def run_child(argv: list[str], env: dict[str, str], scratch: Path) -> tuple[float, int, int, str, float]:
    """(seconds, peak RSS in bytes, exit code, stderr tail, CPU seconds) of one child process.

    The peak comes from /usr/bin/time when there is one: a child forked straight from this
    (large) process inherits its high-water mark in wait4's figure; one forked by `time` does not."""
    timer = Path("/usr/bin/time")
    report = scratch / "time.txt"
    if timer.exists():
        argv = [str(timer), "-f", "%M", "-o", str(report), *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss * 1024
    if timer.exists():
        rss = int(report.read_text().split()[-1]) * 1024
    return seconds, rss, code, err.decode(errors="replace")[-300:], usage.ru_utime + usage.ru_stime


def in_process(text: str, db: Path, doc: Path) -> tuple[float, float, float, float]:
    """(parse, identifier scan, store import, lock held) seconds of one import in this
    process, through the use cases `reflect import` calls: where the command's time goes,
    apart from start-up."""
    from reflect.store import Journal
    from reflect.usecases import importing

    journal = Journal(db, settings_path=db.parent / "settings.json")
    journal.count()  # created before the clock starts
    if hasattr(importing, "read"):  # the file read a chunk at a time, the scan in batches as it goes
        return streamed(importing, journal, doc)
    start = time.perf_counter()
    doc = importing.parse(journal, text, source=str(db))
    parse_s = time.perf_counter() - start
    n = len(doc.entries)
    start = time.perf_counter()
    if hasattr(importing, "notes"):
        importing.notes(doc)
        kw: dict[str, object] = {"release": True}
    else:  # a reflect before the scan moved ahead of the write (the baseline): scanned after
        importing.identifier_warnings(doc.entries)
        kw = {}
    scan_s = time.perf_counter() - start
    marks: list[tuple[int, float]] = []
    start = time.perf_counter()
    importing.apply(journal, doc, progress=lambda d, t: marks.append((d, time.perf_counter())), **kw)  # type: ignore[arg-type]
    store_s = time.perf_counter() - start
    locked_from = next(t for d, t in marks if d >= n)  # made ready: the lock is taken next
    return parse_s, scan_s, store_s, marks[-1][1] - locked_from


def streamed(importing: Any, journal: Any, doc: Path) -> tuple[float, float, float, float]:
    """`in_process` for the streamed read: the scan's share is timed around each batch."""
    import codecs

    scanned = [0.0]
    real = importing.identifier_warnings

    def timed(batch: Any) -> Any:
        begun = time.perf_counter()
        try:
            return real(batch)
        finally:
            scanned[0] += time.perf_counter() - begun

    def chunks() -> Any:
        decoder = codecs.getincrementaldecoder("utf-8")()
        with doc.open("rb") as f:
            while chunk := f.read(1 << 20):
                yield decoder.decode(chunk)

    importing.identifier_warnings = timed
    try:
        start = time.perf_counter()
        prepared = importing.read(journal, chunks(), source=str(doc), whole=lambda: doc.read_text(encoding="utf-8"))
        read_s = time.perf_counter() - start
    finally:
        importing.identifier_warnings = real
    n = len(prepared.packed) if prepared.packed is not None else len(prepared.doc.entries)
    marks: list[tuple[int, float]] = []
    start = time.perf_counter()
    importing.write(journal, prepared, progress=lambda d, t: marks.append((d, time.perf_counter())))
    store_s = time.perf_counter() - start
    locked_from = next(t for d, t in marks if d >= n)
    return read_s - scanned[0], scanned[0], store_s, marks[-1][1] - locked_from


def find_reflect(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "reflect"
    found = str(beside) if beside.exists() else shutil.which("reflect")
    if not found:
        sys.exit("no installed `reflect` command (pip install -e . first, or pass --reflect)")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=25000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reflect", help="the reflect command to run (default: the one beside this Python)")
    args = ap.parse_args()
    reflect = find_reflect(args.reflect)

    with tempfile.TemporaryDirectory(prefix="reflect-bench-import-") as tmp:
        folder = Path(tmp)
        doc = folder / "export.json"
        make_document(doc, args.entries)
        size = doc.stat().st_size
        text = doc.read_text(encoding="utf-8")
        loads = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            json.loads(text)
            loads.append(time.perf_counter() - start)
        loads_s = statistics.median(loads)
        parse_s, scan_s, store_s, locked_s = in_process(text, folder / "in-process" / "journal.json", doc)
        del text

        env = dict(os.environ, REFLECT_CONFIG=str(folder / "settings.json"), PYTHONDONTWRITEBYTECODE="1")
        floor_code = "import json,sys; json.loads(open(sys.argv[1], encoding='utf-8').read())"
        _s, floor_rss, _rc, _err, _cpu = run_child([sys.executable, "-c", floor_code, str(doc)], env, folder)

        # Each import is paired with a json.loads timed just before it, so both meet the
        # machine as it is at that moment (on a shared machine its speed drifts between runs).
        runs = []
        paired: list[float] = []
        paired_cpu: list[float] = []
        for i in range(args.repeat):
            text = doc.read_text(encoding="utf-8")
            start, cpu_start = time.perf_counter(), time.process_time()
            json.loads(text)
            base, base_cpu = time.perf_counter() - start, time.process_time() - cpu_start
            del text
            db = folder / f"journal-{i}" / "journal.json"
            seconds, rss, rc, err, cpu = run_child([reflect, "--db", str(db), "import", str(doc)], env, folder)
            if rc != 0:
                sys.exit(f"reflect import exited {rc}: {err}")
            runs.append((seconds, rss))
            paired.append(seconds / base)
            paired_cpu.append(cpu / base_cpu)
        import_s = statistics.median(s for s, _ in runs)
        import_rss = max(r for _, r in runs)

    mb = 1024 * 1024
    print(f"document       {args.entries} entries, {size / mb:.1f} MB")
    print(f"json.loads     {loads_s:8.2f} s   (median of {args.repeat}, in this process)")
    print(f"reflect import {import_s:8.2f} s   (median of {args.repeat}, a subprocess)   "
          f"{import_s / loads_s:5.1f}x loads   (target within 5x)")  # fmt: skip
    print(f"  paired       each import over a json.loads timed just before it: median {statistics.median(paired):.1f}x "
          f"wall ({', '.join(f'{r:.1f}' for r in paired)}), {statistics.median(paired_cpu):.1f}x CPU time "
          f"(the child's user and system time over this process's)")  # fmt: skip
    print(f"  in-process   parse {parse_s:.2f} s, identifier scan {scan_s:.2f} s, store import {store_s:.2f} s "
          f"of which the lock is held {locked_s:.2f} s (the rest of the command: start-up)")  # fmt: skip
    print(f"peak memory    {import_rss / mb:8.1f} MB  (reflect import)   "
          f"{import_rss / size:5.1f}x the document   (target within 3x)")  # fmt: skip
    print(f"               {floor_rss / mb:8.1f} MB  (python reading and json.loads of the document)   "
          f"{floor_rss / size:5.1f}x the document")  # fmt: skip


if __name__ == "__main__":
    main()
