"""Attestations bind a person's word to a meeting record's content.

The digest is a SHA-256 of the record's canonical JSON, leaving out the attestations
themselves (so a second attestation does not break the first), the stored agenda and the
`discussed` marks on its items (the input the meeting worked from, not the record a board
reads; a plain export redacts the items about private entries, and their marks with them,
which must not look like tampering). A record changed after it was attested no longer
matches, and its attestation no longer counts.

Two more things are left out, so that only a change to the record breaks it:
- each action item's `done`: a later meeting closes an earlier one's actions (and says so
  in its own record); the actions agreed, their owners and dates stay bound;
- every value at its empty default ("", null, false, 0, [] and {}), at any depth: an
  absent field and an empty one read the same, so a field added to the format later does
  not change the digest of a record attested before it.

It shows that a record changed, not who changed it: it is not a signature.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reflect.domain.model import Attestation, Meeting

LEFT_OUT = ("attestations", "agenda", "discussed")
ACTION_STATE = ("done",)  # of each action item: follow-up, not the record
ALGORITHM = "sha256"
EMPTY: tuple[Any, ...] = ("", None, False, 0, [], {})


def _pruned(value: Any) -> Any:
    """`value` without the empty defaults anywhere inside it (False and 0 only as themselves,
    never True or 1, which compare equal to them)."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if not _empty(v)}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    return value is None or value in ("", [], {})


def content(meeting: Meeting) -> dict[str, Any]:
    """What an attestation vouches for: the record less what the module docstring leaves out."""
    data = {k: v for k, v in meeting.to_dict().items() if k not in LEFT_OUT}
    data["actions"] = [{k: v for k, v in a.items() if k not in ACTION_STATE} for a in data.get("actions") or []]
    pruned: dict[str, Any] = _pruned(data)
    return pruned


def digest(meeting: Meeting) -> str:
    """`sha256:HEX` of the meeting's content, the same for equal content in any process."""
    canonical = json.dumps(content(meeting), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{ALGORITHM}:{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def holds(meeting: Meeting, attestation: Attestation) -> bool:
    """Whether `attestation` still vouches for the record as it is now."""
    return attestation.digest == digest(meeting)


def standing(meeting: Meeting) -> list[tuple[Attestation, bool]]:
    """Each attestation with whether it still holds, in the order they were made."""
    current = digest(meeting)
    return [(a, a.digest == current) for a in meeting.attestations]
