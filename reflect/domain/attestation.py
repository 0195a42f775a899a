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

Datetimes (`held`, `since`, `until`) are written in UTC in the canonical form, so the same
instant written with another offset (`00:00+00:00` as `01:00+01:00`) is the same record.

What an attestation stores (`bound`) is the digest of the record's digest together with
that attestation's own role, name and time (UTC), so changing who attested, or as what,
or when, breaks it too. Attestations made before names were bound (their digest is the
record's alone, over the canonical form or as the record was written) still read as
holding while the record is unchanged; their name and role are not bound: attest again
to bind them.

It shows that a record changed, not who changed it: it is not a signature.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reflect.domain.model import Attestation, Meeting

LEFT_OUT = ("attestations", "agenda", "discussed")
ACTION_STATE = ("done",)  # of each action item: follow-up, not the record
ALGORITHM = "sha256"
EMPTY: tuple[Any, ...] = ("", None, False, 0, [], {})
DATETIMES = ("held", "since", "until")


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


def _utc(value: Any) -> Any:
    """An ISO datetime with an offset, written in UTC; anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return value if parsed.tzinfo is None else parsed.astimezone(timezone.utc).isoformat()


def stored_content(doc: dict[str, Any], *, utc: bool = True) -> dict[str, Any]:
    """What an attestation vouches for, from a meeting in `Meeting.to_dict()` shape: the
    record less what the module docstring leaves out (`utc=False`: its datetimes as
    written, the form attestations before 2026-11-30 used)."""
    data = _pruned_dict(doc, (*LEFT_OUT, "actions"))
    if utc:
        for key in DATETIMES:
            if key in data:
                data[key] = _utc(data[key])
    actions = [_pruned_dict(a, ACTION_STATE) for a in doc.get("actions") or []]
    if actions:
        data["actions"] = actions
    return data


def content(meeting: Meeting, *, utc: bool = True) -> dict[str, Any]:
    """What an attestation vouches for: the record less what the module docstring leaves out."""
    return stored_content(meeting.to_dict(), utc=utc)


# The canonical form: sorted keys, no spaces, UTF-8 (the C encoder, made once).
_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, check_circular=False, separators=(",", ":")).encode


def _hash(value: Any) -> str:
    return f"{ALGORITHM}:{hashlib.sha256(_canonical(value).encode('utf-8')).hexdigest()}"


def stored_digest(doc: dict[str, Any]) -> str:
    """`digest` of a meeting in `Meeting.to_dict()` shape, read from the store without
    building the record (the supervision log checks thousands)."""
    return _hash(stored_content(doc))


def digest(meeting: Meeting) -> str:
    """`sha256:HEX` of the meeting's content, the same for equal content in any process."""
    return stored_digest(meeting.to_dict())


def bound(record: str, role: str, name: str, at: str) -> str:
    """The digest an attestation stores: the record's `digest` with the attestation's own
    role, name and time (an ISO string, taken in UTC)."""
    return _hash({"record": record, "role": role, "name": name, "at": _utc(at)})


def _fields(a: Attestation | Mapping[str, Any]) -> Mapping[str, Any]:
    return a if isinstance(a, Mapping) else a.to_dict()


def stored_holding(doc: dict[str, Any], attestations: Sequence[Attestation | Mapping[str, Any]]) -> list[bool]:
    """Whether each attestation (an Attestation or its stored dict) still vouches for the
    record `doc` (in `Meeting.to_dict()` shape) as it is now, and for its own role, name
    and time."""
    record = stored_digest(doc)
    legacy: set[str] | None = None
    out = []
    for a in attestations:
        d = _fields(a)
        ok = d["digest"] == bound(record, d["role"], d["name"], d["at"])
        if not ok:  # made before names were bound: the record's digest alone
            if legacy is None:
                legacy = {record, _hash(stored_content(doc, utc=False))}
            ok = d["digest"] in legacy
        out.append(ok)
    return out


def holding(meeting: Meeting, attestations: Sequence[Attestation | Mapping[str, Any]]) -> list[bool]:
    """`stored_holding` of a meeting record."""
    return stored_holding(meeting.to_dict(), attestations)


def holds(meeting: Meeting, attestation: Attestation) -> bool:
    """Whether `attestation` still vouches for the record as it is now."""
    return holding(meeting, [attestation])[0]


def standing(meeting: Meeting) -> list[tuple[Attestation, bool]]:
    """Each attestation with whether it still holds, in the order they were made."""
    return list(zip(meeting.attestations, holding(meeting, meeting.attestations), strict=True))
