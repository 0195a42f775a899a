"""Attestations bind a person's word to a meeting record's content.

The digest is a SHA-256 of the record's canonical JSON, leaving out the attestations
themselves (so a second attestation does not break the first) and the stored agenda (the
input the meeting worked from, not the record a board reads; a plain export redacts its
private items, which must not look like tampering). A record changed after it was attested
no longer matches, and its attestation no longer counts.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reflect.domain.model import Attestation, Meeting

LEFT_OUT = ("attestations", "agenda")
ALGORITHM = "sha256"


def digest(meeting: Meeting) -> str:
    """`sha256:HEX` of the meeting's content, the same for equal content in any process."""
    data = {k: v for k, v in meeting.to_dict().items() if k not in LEFT_OUT}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{ALGORITHM}:{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def holds(meeting: Meeting, attestation: Attestation) -> bool:
    """Whether `attestation` still vouches for the record as it is now."""
    return attestation.digest == digest(meeting)


def standing(meeting: Meeting) -> list[tuple[Attestation, bool]]:
    """Each attestation with whether it still holds, in the order they were made."""
    current = digest(meeting)
    return [(a, a.digest == current) for a in meeting.attestations]
