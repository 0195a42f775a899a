"""What a sealed packet says about itself: whose journal it came from, and the window.

Written into the export document (`"packet"`, an optional field of format version 1)
only when the export is sealed, so the peer's name and the dates travel inside the
encryption and never in a file name. A reader (`review --from`, a caseload) learns who
sent a packet even when the window held no entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reflect.domain.fields import ValidationError, _obj, _str, iso, parse_iso_datetime

KEY = "packet"  # the export document's field


@dataclass(frozen=True)
class PacketInfo:
    peer: str  # the sender (`reflect config peer`, else the OS user name)
    since: datetime | None = None  # the export's window; None: open on that side
    until: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"peer": self.peer, "since": iso(self.since), "until": iso(self.until)}

    @classmethod
    def from_dict(cls, data: Any, path: str = KEY) -> PacketInfo:
        d = _obj(data, path, {"peer", "since", "until"}, "a packet description")
        since, until = (
            None if d.get(k) is None else parse_iso_datetime(d[k], f"{path}.{k}") for k in ("since", "until")
        )
        if since is not None and until is not None and since > until:
            raise ValidationError(f"{path}.since", "is after until")
        return cls(peer=_str(d, "peer", path), since=since, until=until)
