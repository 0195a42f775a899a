"""The only code that touches the disk. Everything else uses `Journal`.

`HealthReport` and `ImportResult` are imported when first asked for: the doctor's and the
importer's modules are not needed to open the app."""

from typing import TYPE_CHECKING, Any

from reflect.store.errors import (
    Conflict,
    EntryChanged,
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalTooNew,
    NotFound,
)
from reflect.store.journal import Journal

if TYPE_CHECKING:
    from reflect.store.health import HealthReport
    from reflect.store.importer import ImportResult

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


def __getattr__(name: str) -> Any:
    if name == "HealthReport":
        from reflect.store.health import HealthReport

        return HealthReport
    if name == "ImportResult":
        from reflect.store.importer import ImportResult

        return ImportResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
