"""Schema versions of the journal on disk, and the upgrades between them.

Version 0 is a single TinyDB file holding every entry in an `entries` table (what
a plain TinyDB journal looks like, and reflect before partitioning). Version 1 keeps
entries in monthly files with a sharded id index, so a save never rewrites the
whole journal. Version 2 moves supervision meetings out of the main file into their
own, with each meeting's agenda snapshot in a file of its own, so the main file (read
by every process that opens the journal) stays small however many meetings were held.
Each upgrade runs under the journal's exclusive lock, after a full
backup copy, and is refused for a journal newer than this code.
"""

from __future__ import annotations

from typing import Any, Callable

CURRENT = 2

# Upgrades keyed by the version they start from. Each receives the Journal (lock held)
# and the main file's data as read, and leaves the journal at version + 1.
UPGRADES: dict[int, Callable[[Any, dict[str, Any]], None]] = {}


def upgrade(version: int) -> Callable[[Callable[[Any, dict[str, Any]], None]], Callable[[Any, dict[str, Any]], None]]:
    def register(fn: Callable[[Any, dict[str, Any]], None]) -> Callable[[Any, dict[str, Any]], None]:
        UPGRADES[version] = fn
        return fn

    return register


def version_of(main: dict[str, Any] | None) -> int:
    """The schema version recorded in the main file; a file without one is version 0."""
    if not main:
        return 0
    meta = main.get("meta") or {}
    for doc in meta.values():
        if isinstance(doc, dict) and isinstance(doc.get("schema"), int):
            return doc["schema"]
    return 0


@upgrade(0)
def _v0_to_v1(journal: Any, main: dict[str, Any]) -> None:
    """Move the single-file `entries` table into monthly files and the id index."""
    from reflect.domain.model import Entry

    docs = list((main.get("entries") or {}).values())
    entries = []
    for i, doc in enumerate(docs):
        # Validate everything before writing anything: a bad record stops the upgrade.
        entries.append(Entry.from_dict(doc, f"entries[{i}]").to_dict())
    if entries:
        journal._apply(puts=entries, deletes=[])
    main.pop("entries", None)
    main["meta"] = {"1": dict(_meta(main), schema=1)}
    journal._write_main(main)


@upgrade(1)
def _v1_to_v2(journal: Any, main: dict[str, Any]) -> None:
    """Move meetings into meetings.json, each agenda into agendas/."""
    from reflect.domain.model import Meeting

    docs = list((main.get("meetings") or {}).values())
    meetings = [Meeting.from_dict(doc, f"meetings[{i}]") for i, doc in enumerate(docs)]
    if meetings:
        journal._write_meetings(meetings)
    main.pop("meetings", None)
    main["meta"] = {"1": dict(_meta(main), schema=2)}
    journal._write_main(main)


def _meta(main: dict[str, Any]) -> dict[str, Any]:
    for doc in (main.get("meta") or {}).values():
        if isinstance(doc, dict):
            return doc
    return {}
