"""What the store tells its callers went wrong, each in one line a person can act on."""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """Something the user must hear about, in one line."""


class JournalCorrupt(JournalError):
    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{path} does not parse ({reason}); it was left untouched. "
            "Run `reflect doctor` to see the journal's state, `reflect doctor --repair` to restore it."
        )


class JournalTooNew(JournalError):
    pass


class JournalBusy(JournalError):
    pass


class NotFound(JournalError):
    pass


class Conflict(JournalError):
    def __init__(self, ids: list[str]):
        self.ids = ids
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        super().__init__(
            f"{len(ids)} record(s) already in the journal with different content: {shown} "
            "(use --replace to overwrite them)"
        )
