"""Python's cyclic garbage collector while the app runs, when `reflect` started it with the
collector off (cli/opening.py `app_starting`).

Start-up's objects are frozen once home's first frame is drawn, so no collection walks
them again. Later, the screens mounted ahead and the screens opened and closed since
piled up in the oldest generation, and the full collection they set off, 20 to 50 ms,
fell in the middle of the next `n` or ctrl+x. `settle` does that collection in a quiet
moment instead (ReflectApp.when_quiet), and `settle_all`, after a longer quiet, frees
what the freezes kept that has since gone. In tests the collector is never off at start: nothing here
runs, and no test's objects are frozen past its app.
"""

from __future__ import annotations

import gc

_managed = {"on": False}  # this process's app turned the collector back on


def collect_from_now_on() -> None:
    """After the first frame: the collector on again, start-up's objects frozen."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
        _managed["on"] = True


def settle() -> None:
    """One collection of what is not frozen, then everything alive frozen (10 to 20 ms)."""
    if _managed["on"]:
        gc.collect()
        gc.freeze()


def settle_all() -> None:
    """The same over everything, frozen or not (30 to 80 ms; the app runs it only after a
    long quiet moment): frees what an earlier freeze kept and has since been let go (an
    encounter mounted ahead, shown and closed; start-up's own cycles, made with the
    collector off), so nothing piles up."""
    if _managed["on"]:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
