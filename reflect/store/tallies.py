"""Per-month counts of the entries, kept so the Growth screen and the portfolio cost the
same for a journal of 2,500 entries as for one of 25,000.

Both need only numbers per month (encounters by setting, group and individual apart,
competencies exercised), never an entry's text. Counting them means parsing every entry
of every month asked for; so each month's counts are kept in `tallies.json`, beside the
month files, with the month file's identity (inode, modification time in ns, size) when
it was counted. A month whose file changed since (every write renames a new file into
place, so a new inode) is counted again from its file; the others are read from the
tallies. The file is derived: losing it, or finding it damaged, costs one recount and
nothing else (doctor does not check it; it has no backups). It is written like every
journal file (`atomic_write`, encrypted when the journal is), under the journal's lock,
and only when a count changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from reflect.domain.growth_tally import Tally, is_private, tally_of
from reflect.paths import Layout
from reflect.store.errors import JournalError
from reflect.store.lock import Gate, LockTimeout
from reflect.store.storage import CorruptFile, read_json, read_tables, write_json

Doc = dict[str, Any]

VERSION = 1
Ident = list[int]  # [inode, mtime_ns, size]


def _idents(layout: Layout, months: Iterable[str]) -> dict[str, Ident]:
    """The identity of each month file that exists (one stat each, no reading)."""
    out: dict[str, Ident] = {}
    for month in months:
        try:
            st = os.stat(layout.month(month))
        except FileNotFoundError:
            continue
        out[month] = [st.st_ino, st.st_mtime_ns, st.st_size]
    return out


class Tallies:
    """The per-month counts of one journal's entries (shared and private apart)."""

    def __init__(self, layout: Layout, gate: Gate, months: list[str]) -> None:
        self._layout = layout
        self._gate = gate
        self._months = months  # every month with a file, sorted

    def names(self) -> list[str]:
        """Every month with a file, sorted (`YYYY-MM`)."""
        return list(self._months)

    def _kept(self) -> dict[str, Any]:
        try:
            data = read_json(self._layout.tallies)
        except (CorruptFile, JournalError, OSError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("months"), dict):
            return {}
        return data["months"]

    def months(self, wanted: Iterable[str] | None = None) -> dict[str, tuple[Tally, Tally]]:
        """(shared, private) counts of each month wanted that has entries (every month
        when `wanted` is None), counted again only where the month file changed."""
        months = self._months if wanted is None else sorted(set(wanted) & set(self._months))
        with self._gate.reading():
            idents = _idents(self._layout, months)
            kept = self._kept()
            out: dict[str, tuple[Tally, Tally]] = {}
            fresh: dict[str, Any] = {}
            for month, ident in idents.items():
                stored = kept.get(month)
                if isinstance(stored, dict) and stored.get("file") == ident:
                    try:
                        out[month] = (Tally.from_json(stored["shared"]), Tally.from_json(stored["private"]))
                        continue
                    except (KeyError, TypeError, ValueError):
                        pass
                docs = ((read_tables(self._layout.month(month)) or {}).get("entries") or {}).values()
                pair = tally_of(docs)
                out[month] = pair
                fresh[month] = {"file": ident, "shared": pair[0].to_json(), "private": pair[1].to_json()}
        if fresh:
            self._keep(fresh)
        return out

    # --- kept current by a save ------------------------------------------------------------

    def idents(self) -> dict[str, Ident]:
        """Each month file's identity now: taken under the exclusive lock before a save."""
        return _idents(self._layout, self._months)

    def saved(self, before: dict[str, Ident], old: Doc | None, new: Doc) -> None:
        """Keep the counts current after one entry was saved (exclusive lock still held), so
        the next reading counts no month again: the month the entry left and the one it
        entered are updated from the entry alone, where the kept counts were those of the
        files just before the write (`before`); any other month is left to a recount, as is
        a journal with no counts kept yet. The entry is saved whatever happens here: a
        failure costs only that recount."""
        from reflect.store.engine import month_of

        try:
            kept = self._kept()
            if not kept:
                return
            steps: dict[str, list[tuple[int, Doc]]] = {}
            if old is not None:
                steps.setdefault(month_of(old["occurred"]), []).append((-1, old))
            steps.setdefault(month_of(new["occurred"]), []).append((1, new))
            changed = False
            for month, docs in steps.items():
                stored, was = kept.get(month), before.get(month)
                if was is None:  # a month with no file before: nothing to take back
                    pair = (Tally(), Tally())
                elif isinstance(stored, dict) and stored.get("file") == was:
                    pair = (Tally.from_json(stored["shared"]), Tally.from_json(stored["private"]))
                else:
                    continue
                for sign, doc in docs:
                    pair[1 if is_private(doc) else 0].add_doc(doc, sign)
                now = _idents(self._layout, [month]).get(month)
                if now is None:
                    kept.pop(month, None)
                else:
                    kept[month] = {"file": now, "shared": pair[0].to_json(), "private": pair[1].to_json()}
                changed = True
            if changed:
                write_json(self._layout.tallies, {"version": VERSION, "months": kept})
        except (CorruptFile, JournalError, OSError, ValueError, KeyError, TypeError):
            pass

    def _keep(self, fresh: dict[str, Any]) -> None:
        """Write the recounted months into the tallies; a failure (a read-only folder, a
        busy lock) costs only the next recount."""
        try:
            with self._gate.writing():
                months = {m: v for m, v in self._kept().items() if os.path.exists(self._layout.month(m))}
                months.update(fresh)
                write_json(self._layout.tallies, {"version": VERSION, "months": months})
        except (JournalError, LockTimeout, OSError):
            pass
