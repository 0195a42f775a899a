"""How the journal's costs grow with its age. Prints figures (ms) and ratios; asserts nothing.

    python bench/bench_store.py [--sizes 2500 25000] [--export-sizes 2500 25000 50000] [--repeat N]

For each size it builds a journal in a temp folder (about 10 entries a working day,
spread back over the years from one fixed end date, so every journal's newest months
look alike), then measures:

  save    saving one new entry into the newest month (median of --repeat)
  open    a new Journal instance and its most recent 50 entries (median)
  month   reading the newest full month with entries(since, until) (median)
  export  reflect.domain.formats.write_json of every entry to a file (median of a third of the
          rounds, at least 3), beside
  raw     json.loads of that exported file's text, measured in the same run

Targets (from issue #2): save, open and month at the largest size within 1.3x of the
smallest; export within 2x of raw json.loads.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reflect.domain.model import MI, Entry, Flags, Listen, Reflect, Select, Share  # noqa: E402
from reflect.store import Journal  # noqa: E402

END = date(2025, 11, 28)  # a Friday, the last working day of its month
BATCH = 5000
WORDS = (
    "they talked about the week and how hard it has been to keep going with the group "
    "my own early days came back to me when they described the waiting room and the calls "
    "we sat with it for a while and they said what mattered most was being believed "
    "I noticed tension in my shoulders and named it to myself before answering"
).split()
THEMES = ["housing", "family", "work", "cravings", "grief", "court", "sleep", "hope"]
SETTINGS = ["one-to-one", "group", "phone", "text-or-chat", "outreach", "hospital"]


def sentences(rng: random.Random, n: int) -> str:
    return " ".join(" ".join(rng.choices(WORDS, k=rng.randint(8, 16))).capitalize() + "." for _ in range(n))


def make_entry(rng: random.Random, occurred: datetime) -> Entry:
    e = Entry(
        occurred=occurred,
        peer="sam",
        person=rng.choice(["J.", "M.R.", "T", ""]),
        setting=rng.choice(SETTINGS),
        minutes=rng.choice([None, 15, 30, 45, 60]),
        listen=Listen(story=sentences(rng, 3), matters=sentences(rng, 1), themes=rng.sample(THEMES, 2)),
        reflect=Reflect(experience=sentences(rng, 2), feelings=sentences(rng, 1), impact=sentences(rng, 1)),
        select=Select(decision=rng.choice(["share", "hold", "undecided"]), purposes=["hope"]),
        share=Share(how=sentences(rng, 1), response=rng.choice(["engaged", "neutral", "unknown"])),
        competencies=rng.sample(["I", "II", "III", "IV", "V"], 2),
        flags=Flags(discuss=rng.random() < 0.1, self_care=rng.random() < 0.1, celebrate=rng.random() < 0.05),
        tags=rng.sample(["first-contact", "follow-up", "family"], 1),
    )
    e.recorded = e.updated = occurred + timedelta(hours=1)
    if rng.random() < 0.3:
        e.mi = MI(open_questions=rng.randint(0, 5), reflections=rng.randint(0, 5), change_talk=["wants to sleep better"])
    return e


def working_days_back(n_days: int) -> list[date]:
    days, d = [], END
    while len(days) < n_days:
        if d.weekday() < 5:
            days.append(d)
        d -= timedelta(days=1)
    return days[::-1]


def build(path: Path, size: int, seed: int = 1) -> None:
    """A journal of `size` entries, ten a working day ending at END, via import_records."""
    rng = random.Random(seed)
    days = working_days_back((size + 9) // 10)
    j = Journal(path, settings_path=path.with_name("settings.json"))
    batch: list[Entry] = []
    made = 0
    for day in days:
        for k in range(10):
            if made >= size:
                break
            at = datetime(day.year, day.month, day.day, 8 + k, rng.randint(0, 59), tzinfo=timezone.utc)
            batch.append(make_entry(rng, at))
            made += 1
            if len(batch) >= BATCH:
                j.import_records(batch)
                batch = []
    if batch:
        j.import_records(batch)


def probes(path: Path, export: bool) -> tuple[dict[str, Callable[[], None]], dict[str, float]]:
    """The operations measured on one journal, each a no-argument call, and facts about it."""
    from reflect.domain import formats as exporter

    settings = path.with_name("settings.json")
    rng = random.Random(7)
    j = Journal(path, settings_path=settings)
    newest = max(e.occurred for e in j.recent(1))
    counter = iter(range(100_000))
    facts: dict[str, float] = {}

    def save() -> None:
        at = newest - timedelta(minutes=next(counter) + 1)
        j.save(make_entry(rng, at))

    first_of_newest = newest.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    until = first_of_newest - timedelta(microseconds=1)
    since = until.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    def month() -> None:
        facts["month_n"] = sum(1 for _ in j.entries(since, until))

    ops: dict[str, Callable[[], None]] = {
        "save": save,
        "open": lambda: Journal(path, settings_path=settings).recent(50),
        "month": month,
    }
    j.save(make_entry(rng, newest - timedelta(seconds=30)))  # warm up the instance
    if export:
        out_path = path.with_name("export.json")

        def do_export() -> None:
            with open(out_path, "w", encoding="utf-8") as out:
                exporter.write_json(out, j.entry_json(), exported_at=datetime.now(timezone.utc))

        do_export()
        text = out_path.read_text(encoding="utf-8")
        ops["export"] = do_export
        ops["raw"] = lambda: json.loads(text)
        facts["export_n"] = len(json.loads(text)["entries"])
        facts["export_mb"] = len(text.encode()) / 1e6
    return ops, facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2500, 25000], help="sizes for save/open/month")
    ap.add_argument("--export-sizes", type=int, nargs="+", default=[2500, 25000, 50000], help="sizes for export")
    ap.add_argument("--repeat", type=int, default=9, help="runs per figure (the median is shown)")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder and print where it is")
    args = ap.parse_args()
    sizes = sorted(set(args.sizes) | set(args.export_sizes))
    tmp = Path(tempfile.mkdtemp(prefix="reflect-bench-"))
    results: dict[int, dict[str, float]] = {}
    try:
        ops: dict[int, dict[str, Callable[[], None]]] = {}
        for size in sizes:
            path = tmp / str(size) / "journal.json"
            path.parent.mkdir(parents=True)
            t = time.perf_counter()
            build(path, size)
            print(f"built {size:>6} entries in {time.perf_counter() - t:5.1f}s", file=sys.stderr)
            ops[size], results[size] = probes(path, size in args.export_sizes)
            if size not in args.sizes:
                for k in ("save", "open", "month"):
                    ops[size].pop(k)
        # Interleaved rounds: each round takes one sample of every operation at every size,
        # so a busy spell on this shared machine hits all sizes alike instead of one.
        samples: dict[int, dict[str, list[float]]] = {size: {k: [] for k in ops[size]} for size in sizes}
        export_rounds = max(3, args.repeat // 3)
        for round_no in range(args.repeat):
            for size in sizes:
                for key, fn in ops[size].items():
                    if key in ("export", "raw") and round_no >= export_rounds:
                        continue
                    t = time.perf_counter()
                    fn()
                    samples[size][key].append((time.perf_counter() - t) * 1000)
        for size in sizes:
            results[size].update({k: statistics.median(v) for k, v in samples[size].items()})
    finally:
        if args.keep:
            print(f"journals kept in {tmp}", file=sys.stderr)
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)

    def cell(size: int, key: str) -> str:
        v = results[size].get(key)
        return f"{v:9.1f}" if v is not None else f"{'-':>9}"

    print(f"{'entries':>8} {'save':>9} {'open50':>9} {'month':>9} {'export':>9} {'raw json':>9} {'exp/raw':>8}   (ms, median of {args.repeat})")
    for size in sizes:
        r = results[size]
        ratio = f"{r['export'] / r['raw']:8.2f}" if "export" in r else f"{'-':>8}"
        print(f"{size:>8} {cell(size, 'save')} {cell(size, 'open')} {cell(size, 'month')} {cell(size, 'export')} {cell(size, 'raw')} {ratio}")
    lo, hi = min(args.sizes), max(args.sizes)
    if lo != hi:
        print(f"\nratios {hi} vs {lo} (target <= 1.3):")
        for key in ("save", "open", "month"):
            ratio = results[hi][key] / results[lo][key]
            print(f"  {key:<6} {ratio:5.2f}  {'ok' if ratio <= 1.3 else 'MISSED'}")
    print("export vs raw json.loads (target <= 2.0):")
    for size in args.export_sizes:
        r = results[size]
        ratio = r["export"] / r["raw"]
        print(f"  {size:>6} entries ({r['export_mb']:.1f} MB): {ratio:5.2f}  {'ok' if ratio <= 2.0 else 'MISSED'}")


if __name__ == "__main__":
    main()
