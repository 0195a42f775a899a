"""How long the supervision log takes for a supervisor's whole caseload.

50 peers with two years of weekly meetings each (5,200 meetings, every one attested, so
each attestation's digest is checked) in one journal: the log of every peer, checked by a
rule pack and written as JSON, against a raw `json.loads` of the same meeting table read
from disk in the same run. Target: within 2x.

`FIGURES` lists what is measured against that baseline; the caseload adds its own row
there (one function taking the journal and returning nothing). Then one peer's log as
`reflect supervision log --peer P` makes it (the table read for that peer).

`--parts` adds where the time goes (each stage on the same meetings, CPU time); `--cli`
adds the installed `reflect supervision log --peer P --format json` for one peer (a new
process: start-up and the whole meeting table read, as a person runs it), beside a new
`python` that only reads the table.

Prints figures and ratios; asserts nothing (machines are noisy).
The caseload (issue 11) reads packets, not the journal: each peer's export document
(their meetings and `--entries` entries over the same two years), against `json.loads` of
the same files in the same run; then the same packets sealed, the decryption timed alone.

Run: python bench/bench_supervision.py [--peers N] [--weeks N] [--repeat N] [--rules NAME] [--entries N] [--parts] [--cli]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reflect.domain import supervision_render  # noqa: E402
from reflect.domain.attestation import digest  # noqa: E402
from reflect.domain.model import ActionItem, Attestation, Credentials, Meeting  # noqa: E402
from reflect.store import Journal  # noqa: E402
from reflect.usecases.supervision_log import supervision_logs  # noqa: E402

START = datetime(2024, 3, 4, 10, 0, tzinfo=timezone.utc)  # a Monday
SUMMARY = (
    "Went over the week's encounters: a hard call about housing, how the peer held a boundary "
    "when asked for a ride, and what to bring to the team meeting. Practised an open question."
)


def meetings(peers: int, weeks: int) -> list[Meeting]:
    out = []
    for p in range(peers):
        for w in range(weeks):
            if (p + w) % 13 == 0:  # now and then a missed week, so checks have periods to name
                continue
            held = START + timedelta(weeks=w, hours=p % 8)
            m = Meeting(
                held=held, since=held - timedelta(days=7), until=held, id=f"p{p:02d}-w{w:03d}", peer=f"peer {p:02d}",
                supervisor="R. Lopez", notes="Notes on the week.", minutes=60 if w % 4 else 90,
                kind="group" if w % 4 == 0 else "individual", delivery="in-person" if w % 3 else "video",
                observed=w % 8 == 0, summary=f"{SUMMARY} Week {w} of {p}.",
                competence=f"Reflects well; waits for the answer (week {w}).", growth_areas=f"Ending calls on time, {p}.",
                credentials=Credentials("CPS-1234", "LCSW-5678"),
                actions=[ActionItem(f"Read the ethics code, part {w % 7}", owner="peer", done=w % 2 == 0)],
            )  # fmt: skip
            m.attestations = [Attestation(role="supervisor", name="R. Lopez", at=held + timedelta(hours=1), digest=digest(m))]
            out.append(m)
    return out


def build_journal(folder: Path, peers: int, weeks: int) -> Journal:
    journal = Journal(folder / "journal.json")
    ms = meetings(peers, weeks)
    for i in range(0, len(ms), 1000):
        journal.import_records(meetings=ms[i : i + 1000])
    return journal


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def log_all(journal: Journal, rules: str) -> None:
    out = io.StringIO()
    for log in supervision_logs(journal, rules=rules, until=(START + timedelta(weeks=110)).date()):
        supervision_render.write(out, log, "json")


# What is measured against the baseline: (label, function of the journal). The caseload
# adds its row here.
FIGURES: list[tuple[str, Callable[[Journal, argparse.Namespace], None]]] = [
    ("supervision log, every peer, json", lambda j, a: log_all(j, a.rules)),
]


def one_peer(journal: Journal, rules: str) -> None:
    """What `reflect supervision log --peer P --format json` runs, in process: the
    command's use case (the table read for that peer) and its writer."""
    from reflect.usecases.supervision_log import supervision_log

    log = supervision_log(journal, peer="peer 00", rules=rules, until=(START + timedelta(weeks=110)).date())
    supervision_render.write(io.StringIO(), log, "json")


def parts(journal: Journal, repeat: int) -> None:
    """CPU milliseconds of each stage of the log on the same meetings (process time: less
    moved by other work on the machine than the wall clock)."""
    from reflect.domain.attestation import stored_digest
    from reflect.domain.supervision_log import complete, mask_all

    def cpu(fn: Callable[[], object]) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.process_time()
            fn()
            times.append((time.process_time() - t0) * 1000)
        return min(times)

    docs = [complete(d) for d in journal.meeting_dicts()]
    texts = [t for d in docs for t in (d["summary"], d["competence"], d["growth_areas"], *(a[k] for a in d["actions"] for k in ("text", "owner")))]
    logs = supervision_logs(journal, rules="dc", until=(START + timedelta(weeks=110)).date())
    stages: list[tuple[str, Callable[[], object]]] = [
        ("read the meeting table (json.loads)", lambda: json.loads(journal.meetings_path.read_text(encoding="utf-8"))),
        ("attestation digests", lambda: [stored_digest(d) for d in docs]),
        ("masking the free text", lambda: mask_all(texts)),
        ("JSON written", lambda: [supervision_render.json_text(log) for log in logs]),
        ("the whole log, every peer", lambda: log_all(journal, "dc")),
    ]
    base = 0.0
    for label, fn in stages:
        ms = cpu(fn)
        base = base or ms
        print(f"  cpu {label:<40} {ms:9.1f} ms   {ms / base:5.2f}x")


def cli(journal: Journal, folder: Path, repeat: int, rules: str) -> None:
    """The installed command for one peer, beside a new Python that only reads the table."""
    exe = shutil.which("reflect") or str(Path(sys.executable).with_name("reflect"))
    env = dict(os.environ, REFLECT_DB=str(journal.path), REFLECT_CONFIG=str(folder / "config.toml"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once, not every run
    until = (START + timedelta(weeks=110)).date().isoformat()
    command = [exe, "supervision", "log", "--peer", "peer 00", "--rules", rules, "--until", until, "--format", "json"]
    read = [sys.executable, "-c", f"import json; json.loads(open({str(journal.meetings_path)!r}, encoding='utf-8').read())"]

    def run(argv: list[str]) -> None:
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    run(command)  # the first run compiles the modules
    base = timed(lambda: run(read), repeat)
    ms = timed(lambda: run(command), repeat)
    print(f"{'python -c json.loads(table) (new process)':<44} {base:9.1f} ms")
    print(f"{'reflect supervision log --peer (one peer)':<44} {ms:9.1f} ms   {ms / base:5.2f}x that")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rules", default="dc", help="the rule pack the log checks (default: dc)")
    parser.add_argument("--entries", type=int, default=2500, help="entries in each peer's packet (the caseload)")
    parser.add_argument("--parts", action="store_true", help="also where the time goes, stage by stage")
    parser.add_argument("--cli", action="store_true", help="also the installed command for one peer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        journal = build_journal(Path(tmp), args.peers, args.weeks)
        n = len(journal.meetings())
        size = journal.meetings_path.stat().st_size
        print(f"{args.peers} peers, {n} meetings, meeting table {size / 1e6:.1f} MB (built in {time.perf_counter() - t0:.1f} s)")

        def raw() -> None:
            json.loads(journal.meetings_path.read_text(encoding="utf-8"))

        base = timed(raw, args.repeat)
        print(f"{'json.loads of the meeting table (baseline)':<44} {base:9.1f} ms")
        log_ms = 0.0
        for label, fn in FIGURES:
            ms = timed(lambda: fn(journal, args), args.repeat)
            log_ms = log_ms or ms
            print(f"{label:<44} {ms:9.1f} ms   {ms / base:5.2f}x baseline (target within 2x)")
        ms = timed(lambda: one_peer(journal, args.rules), args.repeat)
        print(f"{'supervision log, one peer (the command)':<44} {ms:9.1f} ms   {ms / base:5.2f}x baseline")
        if args.parts:
            parts(journal, args.repeat)
        if args.cli:
            cli(journal, Path(tmp), args.repeat, args.rules)
        caseload_figures(Path(tmp), args, log_ms)


# --- the caseload (issue 11): packets, not the journal, so its own baseline --------------


def packet_documents(peers: int, weeks: int, entries_each: int) -> list[bytes]:
    """Each peer's export document: their meetings (as above) and `entries_each` entries
    over the same two years (bench_review's varied entries: a crisis in 50, private in 17)."""
    import bench_review  # noqa: PLC0415 - beside this script
    from reflect.domain.formats import write_json

    bench_review.END = START + timedelta(weeks=weeks)
    by_peer: dict[str, list[Meeting]] = {}
    for m in meetings(peers, weeks):
        by_peer.setdefault(m.peer, []).append(m)
    out = []
    for p in range(peers):
        peer = f"peer {p:02d}"
        buf = io.StringIO()
        write_json(buf, bench_review.entries(entries_each, peer, p), [], by_peer.get(peer, []), exported_at=bench_review.END)
        out.append(buf.getvalue().encode("utf-8"))
    return out


def caseload_figures(folder: Path, args: argparse.Namespace, log_ms: float = 0.0) -> None:
    """The caseload of every peer's packet beside `json.loads` of the same files, plain;
    then the same packets sealed, with the decryption measured on its own."""
    import pyrage

    from reflect.domain.collector import no_cycle_gc
    from reflect.usecases.caseload import caseload
    from reflect.usecases.packets import open_bytes, read_document, seal
    from reflect.store.identity import Keys

    t0 = time.perf_counter()
    docs = packet_documents(args.peers, args.weeks, args.entries)
    plain, sealed = folder / "plain", folder / "sealed"
    plain.mkdir()
    sealed.mkdir()
    ident = pyrage.x25519.Identity.generate()
    keys = Keys(identity=ident, public=str(ident.to_public()))
    paths, sealed_paths = [], []
    for i, doc in enumerate(docs):
        (plain / f"p{i:02d}.json").write_bytes(doc)
        (sealed / f"p{i:02d}.age").write_bytes(seal(doc, [keys.public]))
        paths.append(str(plain / f"p{i:02d}.json"))
        sealed_paths.append(str(sealed / f"p{i:02d}.age"))
    size = sum(len(d) for d in docs) / 1e6
    print(f"\ncaseload: {len(docs)} packets of {args.entries} entries each, {size:.0f} MB (built in {time.perf_counter() - t0:.1f} s)")
    journal = Journal(folder / "caseload-journal.json")
    now = START + timedelta(weeks=args.weeks, days=1)

    def raw() -> None:
        for p in paths:
            json.loads(Path(p).read_text(encoding="utf-8"))

    def raw_no_gc() -> None:
        with no_cycle_gc():
            raw()

    base = timed(raw, args.repeat)
    print(f"{'json.loads of the packets (baseline)':<44} {base:9.1f} ms")
    paused = timed(raw_no_gc, args.repeat)
    print(f"{'json.loads, cycle GC paused':<44} {paused:9.1f} ms")
    if log_ms:  # the issue's own baseline for the log: json.loads of the same packets
        print(f"{'supervision log of every peer (from above)':<44} {log_ms:9.1f} ms   {log_ms / base:5.2f}x baseline (target within 2x)")
    ms = timed(lambda: caseload(paths, journal, rules=args.rules, now=now), args.repeat)
    print(f"{'caseload, plain packets':<44} {ms:9.1f} ms   {ms / base:5.2f}x baseline (target within 2x); {ms / paused:.2f}x GC-paused")

    def decrypt() -> None:
        for p in sealed_paths:
            open_bytes(Path(p).read_bytes(), keys, source=p)

    dec = timed(decrypt, args.repeat)
    print(f"{'decrypting the sealed packets alone':<44} {dec:9.1f} ms")
    ms = timed(lambda: caseload(sealed_paths, journal, rules=args.rules, now=now, read=lambda p: read_document(p, keys)), args.repeat)
    print(f"{'caseload, sealed packets':<44} {ms:9.1f} ms   {(ms - dec) / base:5.2f}x baseline without decryption")


if __name__ == "__main__":
    main()
