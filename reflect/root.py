"""The composition root: the one place a `Journal` is opened.

Commands and screens ask here and never build one themselves, so what opening a journal
means (its paths, its settings, later its key) is decided once.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reflect.store import Journal


def open_journal(db: str | os.PathLike[str] | None = None) -> Journal:
    """The journal at `db` (else `REFLECT_DB`, else the default path); files are read lazily."""
    from reflect.store import Journal  # deferred: keep `reflect --help` and completion light

    return Journal(db)
