"""The only code that touches the disk. Everything else uses `Journal`."""

from reflect.store.errors import (
    Conflict,
    EntryChanged,
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalTooNew,
    NotFound,
)
from reflect.store.health import HealthReport
from reflect.store.importer import ImportResult
from reflect.store.journal import Journal

__all__ = [
    "Conflict",
    "EntryChanged",
    "HealthReport",
    "ImportResult",
    "Journal",
    "JournalBusy",
    "JournalCorrupt",
    "JournalError",
    "JournalTooNew",
    "NotFound",
]
