"""Python's cyclic garbage collector while the app runs, when `reflect` started it with the
collector off (cli/opening.py `app_starting`).

Start-up's objects are frozen once home's first frame is drawn, so no collection walks
them again. Later, the screens mounted ahead and the screens opened and closed since
piled up in the oldest generation, and the full collection they set off, 20 to 50 ms,
fell in the middle of the next `n` or ctrl+x. `settle` does that collection while the
person reads home instead. In tests the collector is never off at start: nothing here
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
    """One full collection, then everything alive frozen. Unfreezing first lets it free
    what an earlier freeze kept (a screen mounted ahead and since closed): nothing piles up."""
    if not _managed["on"]:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()
