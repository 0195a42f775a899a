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

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reflect import paths
from reflect.domain.model import ValidationError, now
from reflect.store.errors import JournalCorrupt, JournalError, JournalTooNew
from reflect.store.storage import DIR_MODE, FILE_MODE, KEEP_BACKUPS, ensure_dir, read_tables, write_json
from reflect.store.tables import Table

CURRENT = 2


@dataclass
class Target:
    """What an upgrade may change (exclusive lock held): the journal's files, its entry
    engine's `apply`, and its meetings table."""

    layout: paths.Layout
    apply: Callable[[list[dict[str, Any]], list[str]], None]
    meetings: Table

    def read_main(self) -> dict[str, Any] | None:
        return read_tables(self.layout.main)

    def write_main(self, data: dict[str, Any]) -> None:
        write_json(self.layout.main, data, backup_dir=self.layout.backup_dir, keep=KEEP_BACKUPS)


Upgrade = Callable[[Target, dict[str, Any]], None]

# Upgrades keyed by the version they start from. Each receives the target (lock held)
# and the main file's data as read, and leaves the journal at version + 1.
UPGRADES: dict[int, Upgrade] = {}


def upgrade(version: int) -> Callable[[Upgrade], Upgrade]:
    def register(fn: Upgrade) -> Upgrade:
        UPGRADES[version] = fn
        return fn

    return register


def open_journal(target: Target) -> None:
    """Create the journal, or upgrade it to CURRENT; refuse one newer than this code."""
    layout = target.layout
    main = target.read_main()
    if main is None and os.path.lexists(layout.backup_dir / paths.backup_name(layout.main, 1)):
        # Written before and gone now: a new empty journal here would hide its stories.
        raise JournalCorrupt(layout.main, "missing, though its backups are kept")
    if main is None:
        ensure_dir(layout.parts)
        target.write_main({"meta": {"1": {"schema": CURRENT, "created": now().isoformat()}}})
        return
    version = version_of(main)
    if version > CURRENT:
        raise JournalTooNew(
            f"{layout.main} was written by a newer reflect (journal schema {version}); "
            f"this reflect reads schema {CURRENT} and older. Upgrade reflect; "
            "the journal was left untouched."
        )
    if version < CURRENT:
        _run(target, main, version)


def _run(target: Target, main: dict[str, Any], version: int) -> None:
    """Copy the whole journal aside, then apply each upgrade in turn."""
    layout = target.layout
    dest = paths.schema_backup_dir(layout.main, version, now().strftime("%Y%m%dT%H%M%S"))
    ensure_dir(dest)
    shutil.copy2(layout.main, dest / layout.main.name)
    if layout.parts.exists():
        # A link inside is copied as a link, never the file it points to.
        shutil.copytree(layout.parts, dest / layout.parts.name, dirs_exist_ok=True, symlinks=True)
    for root, dirs, files in os.walk(dest):  # the copy is as private as the journal
        for name, mode in [(d, DIR_MODE) for d in dirs] + [(f, FILE_MODE) for f in files]:
            path = os.path.join(root, name)
            if not os.path.islink(path):  # chmod follows links: never change a file outside
                os.chmod(path, mode)
    ensure_dir(layout.parts)
    while version < CURRENT:
        try:
            UPGRADES[version](target, main)
        except ValidationError as exc:
            raise JournalError(
                f"cannot upgrade {layout.main} from schema {version}: {exc}; "
                f"nothing was changed (a copy is in {dest})"
            ) from None
        version += 1
        main = target.read_main() or {}


def version_of(main: dict[str, Any] | None) -> int:
    """The schema version recorded in the main file; a file without one is version 0."""
    if not main:
        return 0
    meta = main.get("meta") or {}
    for doc in meta.values():
        schema = doc.get("schema") if isinstance(doc, dict) else None
        if isinstance(schema, int):
            return schema
    return 0


@upgrade(0)
def _v0_to_v1(target: Target, main: dict[str, Any]) -> None:
    """Move the single-file `entries` table into monthly files and the id index."""
    from reflect.domain.model import Entry

    docs = list((main.get("entries") or {}).values())
    entries = []
    for i, doc in enumerate(docs):
        # Validate everything before writing anything: a bad record stops the upgrade.
        entries.append(Entry.from_dict(doc, f"entries[{i}]").to_dict())
    if entries:
        target.apply(entries, [])
    main.pop("entries", None)
    main["meta"] = {"1": dict(_meta(main), schema=1)}
    target.write_main(main)


@upgrade(1)
def _v1_to_v2(target: Target, main: dict[str, Any]) -> None:
    """Move meetings into meetings.json, each agenda into agendas/."""
    from reflect.domain.model import Meeting

    docs = list((main.get("meetings") or {}).values())
    meetings = [Meeting.from_dict(doc, f"meetings[{i}]").to_dict() for i, doc in enumerate(docs)]
    if meetings:
        target.meetings.replace_all(meetings)
    main.pop("meetings", None)
    main["meta"] = {"1": dict(_meta(main), schema=2)}
    target.write_main(main)


def _meta(main: dict[str, Any]) -> dict[str, Any]:
    for doc in (main.get("meta") or {}).values():
        if isinstance(doc, dict):
            return doc
    return {}
