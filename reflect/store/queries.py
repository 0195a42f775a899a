"""Selections made over stored documents before any object is built.

Building a `Meeting` for each of years of fortnightly meetings costs more than a review
needs; choosing among the plain documents first keeps preparing a review cheap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

Doc = dict[str, Any]


def for_review(docs: list[Doc]) -> list[Doc]:
    """The meetings a review needs: each peer's last, and every meeting with an action
    still open. A document whose `held` does not read is kept, for `Meeting.from_dict`
    to name the problem."""
    last: dict[str, tuple[datetime, Doc]] = {}
    keep: dict[int, Doc] = {}
    for doc in docs:
        try:
            held = datetime.fromisoformat(doc["held"])
        except (KeyError, TypeError, ValueError):
            keep[id(doc)] = doc
            continue
        held = held if held.tzinfo else held.astimezone()
        peer = doc.get("peer") or ""
        if peer not in last or held >= last[peer][0]:
            last[peer] = (held, doc)
        if any(isinstance(a, dict) and not a.get("done") for a in doc.get("actions") or []):
            keep[id(doc)] = doc
    for _, doc in last.values():
        keep[id(doc)] = doc
    return list(keep.values())
