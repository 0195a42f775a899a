"""How long `reflect review --format` takes to build one month's agenda.

1. From the local journal: 25,000 entries against 2,500, at the same pace of work
   (about 100 encounters a month, so the bigger journal is ten times as old). The
   agenda reads only the months of its window and the one before, so the target is
   within 1.3x of the small journal's cost.
2. From `--from` export files holding 50,000 entries (two peers), against a raw
   `json.loads` of the same files: target within 2x.

Prints figures and ratios; asserts nothing (machines are noisy).
Run: python bench/bench_review.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reflect.domain import cycle  # noqa: E402
from reflect.domain.collector import no_cycle_gc  # noqa: E402
from reflect.usecases.agendas import export_agendas, journal_agendas  # noqa: E402
from reflect.domain.formats import write_json  # noqa: E402
from reflect.domain.model import (  # noqa: E402
    MI, ActionItem, Checks, Crisis, Entry, Flags, Listen, Meeting, Reflect, Select, Share, Story,
)  # fmt: skip
from reflect.domain.settings import Settings  # noqa: E402
from reflect.store import Journal  # noqa: E402

END = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
PER_MONTH = 100


def entries(n: int, peer: str, seed: int) -> list[Entry]:
    """`n` varied entries, newest at END, about PER_MONTH a month."""
    rnd = random.Random(seed)
    step = timedelta(days=30) / PER_MONTH
    out = []
    for i in range(n):
        occurred = END - step * i - timedelta(minutes=rnd.randrange(60))
        e = Entry(
            occurred=occurred,
            id=f"{peer}-{i:06d}-{rnd.randrange(1 << 30):08x}",
            peer=peer,
            person=rnd.choice(["J.R.", "M.", "T.K.", "R."]),
            minutes=rnd.choice([None, 20, 30, 45, 60]),
            listen=Listen(
                "They talked about the week, a hard phone call with family and the wait for housing.",
                "staying housed and keeping their job",
                ["housing", "family"],
            ),
            reflect=Reflect("My own first months out of hospital.", "hopeful, a little tired", "it stirred old worry"),
            select=Select(
                rnd.choice(cycle.DECISIONS), f"story-{rnd.randrange(5)}", "asking for help",
                ["instill hope"], Checks(True, rnd.choice([True, False, None]), True, True, True, True),
            ),  # fmt: skip
            share=Share("briefly, then asked what they thought", rnd.choice(cycle.RESPONSES), "call the housing office"),
            competencies=sorted(rnd.sample(cycle.COMPETENCY_KEYS, 2), key=cycle.COMPETENCY_KEYS.index),
            mi=MI(3, 1, 4, 1, ["desire"]) if i % 3 == 0 else None,
            flags=Flags(
                crisis=i % 50 == 0, boundary=i % 40 == 0, discuss=i % 30 == 0,
                self_care=i % 25 == 0, celebrate=i % 20 == 0,
            ),  # fmt: skip
            question="How do I end a call kindly?" if i % 30 == 0 else "",
            crisis=Crisis(["warm-handoff", "supervisor-notified"], occurred) if i % 50 == 0 else None,
            visibility="private" if i % 17 == 0 else "shared",
            tags=["housing"],
        )
        e.recorded = e.updated = occurred
        out.append(e)
    return out


def meetings(n_entries: int, peer: str) -> list[Meeting]:
    """A meeting every two weeks across the journal's span, the last before the window."""
    span = timedelta(days=30) * (n_entries / PER_MONTH)
    out = []
    held = END - timedelta(days=40)
    while held > END - span:
        out.append(
            Meeting(
                held=held, since=held - timedelta(days=14), until=held, peer=peer, notes="ok",
                actions=[ActionItem("Practise ask, share, ask", done=held < END - timedelta(days=60))],
            )  # fmt: skip
        )
        held -= timedelta(days=14)
    return out


def stories() -> list[Story]:
    return [Story(f"Story {k}", id=f"story-{k}") for k in range(5)]


def best(fn, repeat: int) -> float:
    """The fastest of `repeat` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def journal_of(root: Path, n: int) -> Journal:
    j = Journal(root / f"j{n}.json", settings_path=root / "settings.json")
    j.import_records(entries(n, "alex", seed=n), stories(), meetings(n, "alex"))
    return j


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    since, until = END - timedelta(days=30), END
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["REFLECT_CONFIG"] = str(root / "settings.json")
        Journal(root / "x.json", settings_path=root / "settings.json").save_settings(
            Settings(peer="alex", schedule="every 2 weeks on tuesday at 10:00")
        )
        print("1. One month's agenda from the local journal", flush=True)
        journals = {}
        for n in (2_500, 25_000):
            t = time.perf_counter()
            journals[n] = journal_of(root, n)
            print(f"   built a {n:,}-entry journal in {time.perf_counter() - t:.1f} s", flush=True)
        # Interleaved rounds, so a busy spell on the machine hits both sizes alike.
        cost = {n: float("inf") for n in journals}
        for _ in range(args.repeat):
            for n, j in journals.items():
                cost[n] = min(cost[n], best(lambda: journal_agendas(j, since=since, until=until), 3))
        for n, j in journals.items():
            (agenda,) = journal_agendas(j, since=since, until=until)
            items = sum(len(s.items) for s in agenda.sections)
            parts = {
                "meetings": best(j.review_meetings, 5),
                "entries": best(lambda: list(j.entries(since - timedelta(days=30), until)), 5),
            }
            detail = ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in parts.items())
            print(f"   {n:>6} entries: {cost[n] * 1000:8.1f} ms  ({items} items; of which {detail})")
        print(f"   ratio 25,000 / 2,500: {cost[25_000] / cost[2_500]:.2f}x  (target within 1.3x)")

        print("2. Agenda from --from files holding 50,000 entries (2 peers x 25,000)")
        paths = []
        for peer, seed in (("alex", 1), ("sam", 2)):
            buf = io.StringIO()
            write_json(buf, entries(25_000, peer, seed), stories(), meetings(25_000, peer), exported_at=END)
            path = root / f"{peer}.json"
            path.write_text(buf.getvalue(), encoding="utf-8")
            paths.append(str(path))
        size = sum(Path(p).stat().st_size for p in paths) / 1e6
        local = Journal(root / "x.json", settings_path=root / "settings.json")

        def raw() -> None:
            for p in paths:
                json.loads(Path(p).read_text(encoding="utf-8"))

        def raw_no_gc() -> None:
            with no_cycle_gc():
                raw()

        base = best(raw, args.repeat)
        base_no_gc = best(raw_no_gc, args.repeat)
        ours = best(lambda: export_agendas(paths, local, since=since, until=until), args.repeat)
        print(f"   raw json.loads ({size:.0f} MB):        {base * 1000:8.1f} ms")
        print(f"   raw json.loads, cycle GC paused: {base_no_gc * 1000:8.1f} ms")
        print(f"   agendas from the files:          {ours * 1000:8.1f} ms")
        print(f"   ratio: {ours / base:.2f}x  (target within 2x); {ours / base_no_gc:.2f}x against the GC-paused baseline")


if __name__ == "__main__":
    main()
