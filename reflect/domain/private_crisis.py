"""What the agenda may say of a private crisis entry: that it exists, never its text.

Apart from `reflect.domain.crisis` (the crisis rule, which home's rows use): only the
agenda and the caseload build these, and opening the app does not import them (a frozen
dataclass is about 1.5 ms of a start).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reflect.domain.crisis import Record, changed_at, supervisor_notified


@dataclass(frozen=True)
class PrivateCrisis:
    """A private crisis entry as the agenda may speak of it: that it exists, when it
    happened and was written (to place it in a window), and whether the supervisor was
    told. None of its text: privacy stays the peer's choice, safety still comes first."""

    peer: str
    occurred: datetime
    changed: datetime
    notified: bool
    id: str = ""  # the entry's id: the same entry found twice (in the window, and late) counts once

    @classmethod
    def of(cls, record: Record, *, default_peer: str = "") -> PrivateCrisis:
        if isinstance(record, Mapping):
            occurred = _time(record.get("occurred"))
            assert occurred is not None, "a stored entry has its time"
            changed = _time(record.get("updated")) or _time(record.get("recorded")) or occurred
            peer = record.get("peer")
            entry_id = record.get("id")
            return cls(peer if isinstance(peer, str) and peer else default_peer, occurred, changed,
                       supervisor_notified(record), entry_id if isinstance(entry_id, str) else "")  # fmt: skip
        return cls(record.peer or default_peer, record.occurred, changed_at(record), supervisor_notified(record), record.id)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.astimezone()
