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
        return _pruned_dict(value, ())
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _pruned_dict(value: dict[str, Any], drop: tuple[str, ...]) -> dict[str, Any]:
    """`_pruned` of a mapping less the keys in `drop`, in one pass: JSON's plain types are
    told apart by `type` (the digest of thousands of meetings is read for every log); any
    other type takes the general rule."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k in drop:
            continue
        t = type(v)
        if t is str or t is bool:
            if v:
                out[k] = v
        elif t is dict:
            v = _pruned_dict(v, ())
            if v:
                out[k] = v
        elif t is list:
            if v:
                out[k] = [_pruned(x) for x in v]
        elif t is int or t is float:
            if v != 0:
                out[k] = v
        elif v is not None:
            v = _pruned(v)
            if not _empty(v):
                out[k] = v
    return out


def _empty(value: Any) -> bool:
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    return value is None or value in ("", [], {})


def stored_content(doc: dict[str, Any]) -> dict[str, Any]:
    """What an attestation vouches for, from a meeting in `Meeting.to_dict()` shape: the
    record less what the module docstring leaves out."""
    data = _pruned_dict(doc, (*LEFT_OUT, "actions"))
    actions = [_pruned_dict(a, ACTION_STATE) for a in doc.get("actions") or []]
    if actions:
        data["actions"] = actions
    return data


def content(meeting: Meeting) -> dict[str, Any]:
    """What an attestation vouches for: the record less what the module docstring leaves out."""
    return stored_content(meeting.to_dict())


# The canonical form: sorted keys, no spaces, UTF-8 (the C encoder, made once).
_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, check_circular=False, separators=(",", ":")).encode


def stored_digest(doc: dict[str, Any]) -> str:
    """`digest` of a meeting in `Meeting.to_dict()` shape, read from the store without
    building the record (the supervision log checks thousands)."""
    return f"{ALGORITHM}:{hashlib.sha256(_canonical(stored_content(doc)).encode('utf-8')).hexdigest()}"


def digest(meeting: Meeting) -> str:
    """`sha256:HEX` of the meeting's content, the same for equal content in any process."""
    return stored_digest(meeting.to_dict())


def holds(meeting: Meeting, attestation: Attestation) -> bool:
    """Whether `attestation` still vouches for the record as it is now."""
    return attestation.digest == digest(meeting)


def standing(meeting: Meeting) -> list[tuple[Attestation, bool]]:
    """Each attestation with whether it still holds, in the order they were made."""
    current = digest(meeting)
    return [(a, a.digest == current) for a in meeting.attestations]
