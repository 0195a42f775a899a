"""The encrypted journal beside the plain one, in the same run. Prints figures; asserts nothing.

    python bench/bench_encrypted.py [--size 25000] [--repeat N]

Builds one journal (bench_store's: ten entries a working day), copies it, encrypts the
copy with a new age identity (`reflect encrypt`'s conversion), then measures on both,
in interleaved rounds so a busy spell on the shared machine hits both alike:

  save    saving one new entry into the newest month (median of --repeat)
  open    a new Journal instance and its most recent 50 entries (median)
  month   reading the newest full month with entries(since, until) (median)
  export  write_json of every entry to a file, beside
  raw     json.loads of that exported file's text

and, once: the identity unlock (one scrypt run), a second unlock in the same process
(remembered: no scrypt), and the conversion itself.

Targets (issue 10): save, open and month of the encrypted journal within 1.3x of the
plain one's; its export within 3x of json.loads of the same data; the passphrase paid
once per process.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_store import build, probes  # noqa: E402

from reflect.store import Journal, codec, identity  # noqa: E402

PASSPHRASE = "a bench passphrase, not a secret"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=25000, help="entries in the journal")
    ap.add_argument("--repeat", type=int, default=9, help="runs per figure (the median is shown)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reflect-bench-enc-"))
    try:
        plain = tmp / "plain" / "journal.json"
        plain.parent.mkdir(parents=True)
        t = time.perf_counter()
        build(plain, args.size)
        print(f"built {args.size} entries in {time.perf_counter() - t:5.1f}s", file=sys.stderr)
        sealed = tmp / "sealed" / "journal.json"
        shutil.copytree(plain.parent, sealed.parent)
        where = tmp / "config" / "identity.age"
        keys = identity.create(where, PASSPHRASE)
        identity.forget_unlocked()
        t = time.perf_counter()
        keys = identity.unlock(where, PASSPHRASE)
        first_unlock = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        identity.unlock(where, PASSPHRASE)
        second_unlock = (time.perf_counter() - t) * 1000
        codec.add_identity(keys.identity, keys.public)
        t = time.perf_counter()
        done = Journal(sealed, settings_path=sealed.with_name("settings.json")).set_encryption(keys.public)
        convert = (time.perf_counter() - t) * 1000
        size_mb = sum(p.stat().st_size for p in sealed.parent.rglob("*") if p.is_file()) / 1e6
        ops: dict[str, dict[str, Callable[[], None]]] = {}
        facts: dict[str, dict[str, float]] = {}
        for name, path in (("plain", plain), ("encrypted", sealed)):
            ops[name], facts[name] = probes(path, export=True)
        samples: dict[str, dict[str, list[float]]] = {n: {k: [] for k in ops[n]} for n in ops}
        export_rounds = max(3, args.repeat // 3)
        for round_no in range(args.repeat):
            for name in ops:
                for key, fn in ops[name].items():
                    if key in ("export", "raw") and round_no >= export_rounds:
                        continue
                    t = time.perf_counter()
                    fn()
                    samples[name][key].append((time.perf_counter() - t) * 1000)
        med = {n: {k: statistics.median(v) for k, v in samples[n].items()} for n in samples}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    p, e = med["plain"], med["encrypted"]
    print(f"{args.size} entries, median of {args.repeat} (export: of {export_rounds}), ms")
    print(f"{'':<8} {'plain':>9} {'encrypted':>10} {'ratio':>7}   target")
    for key in ("save", "open", "month"):
        ratio = e[key] / p[key]
        print(f"{key:<8} {p[key]:9.1f} {e[key]:10.1f} {ratio:7.2f}   <= 1.3 {'ok' if ratio <= 1.3 else 'MISSED'}")
    ratio = e["export"] / e["raw"]
    print(f"{'export':<8} {p['export']:9.1f} {e['export']:10.1f}          "
          f"vs json.loads {e['raw']:.1f}: {ratio:.2f}  <= 3.0 {'ok' if ratio <= 3.0 else 'MISSED'}")  # fmt: skip
    print(f"unlock   {first_unlock:9.1f} ms once per process (scrypt); again in the same process {second_unlock:.2f} ms")
    print(f"encrypt  {convert:9.1f} ms to convert {done.rewritten} files ({size_mb:.0f} MB on disk)")


if __name__ == "__main__":
    main()
