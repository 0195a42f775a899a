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


class EntryChanged(JournalError):
    """A save started from a version of the entry that is no longer the stored one: another
    process deleted it (`current` is None), saved a newer version (`current`), or, for a new
    entry (`expected` None), one with its id exists. The caller offers a choice: keep mine as
    a copy (save it with a new id), take theirs (`current`), or overwrite (`overwrite=True`)."""

    def __init__(self, entry_id: str, expected: object, current: object):
        self.entry_id = entry_id
        self.expected = expected
        self.current = current  # the stored Entry now, or None when it was deleted
        if current is None:
            what = "was deleted by another process since it was opened"
        elif expected is None:
            what = "already exists in the journal"
        else:
            what = "was changed by another process since it was opened"
        super().__init__(f"entry {entry_id} {what}; nothing was saved")
