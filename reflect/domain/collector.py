"""Pausing Python's cyclic garbage collector around work that makes many objects and frees
none: its collections walk every object made so far, again and again, with nothing to
collect (decoding packets, building agendas, the app's start-up).

Pure: stdlib only.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_gc() -> Iterator[None]:
    """The cycle collector off inside, back on afterwards if it was on before, however
    the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
