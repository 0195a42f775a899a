"""The only code that touches the disk. Everything else uses `Journal`."""

from reflect.store.journal import (
    Conflict,
    HealthReport,
    ImportResult,
    Journal,
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalTooNew,
    NotFound,
)

__all__ = [
    "Conflict",
    "HealthReport",
    "ImportResult",
    "Journal",
    "JournalBusy",
    "JournalCorrupt",
    "JournalError",
    "JournalTooNew",
    "NotFound",
]
