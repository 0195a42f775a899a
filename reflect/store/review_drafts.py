"""Draft reviews: what a supervision review changed but has not yet recorded, one per peer.

A review's notes, discussed marks, new actions and done marks belong to the meeting record
and reach the journal only when the meeting is recorded. Until then they are kept here, so a
crash, a quit or a closed terminal loses nothing: the next review of that peer offers them
back. One small table (`review-drafts.json` beside the meetings), written whole through
`atomic_write` under the journal's exclusive lock, like the encounter drafts.

The Journal facade reaches it as `journal.review_drafts()`.
"""

from __future__ import annotations

from typing import Any

from reflect.paths import Layout
from reflect.store.errors import JournalCorrupt
from reflect.store.lock import Gate
from reflect.store.storage import CorruptFile
from reflect.store.tables import Table

Doc = dict[str, Any]


class ReviewDrafts:
    """The draft reviews of one journal, keyed by peer name ("" for no peer)."""

    def __init__(self, layout: Layout, gate: Gate) -> None:
        self.path = layout.review_drafts
        self._gate = gate
        self._table = Table(self.path, "review_drafts", backup_dir=layout.backup_dir, keep=1)

    def get(self, peer: str) -> Doc | None:
        """The draft of `peer`'s review as stored, or None."""
        with self._gate.reading():
            try:
                docs = self._table.docs()
            except CorruptFile as exc:
                raise JournalCorrupt(exc.path, exc.reason) from None
        return next((d for d in docs if d.get("id") == peer), None)

    def put(self, doc: Doc) -> None:
        """Keep `doc` (its "id" is the peer) over the peer's earlier draft."""
        with self._gate.writing():
            try:
                self._table.put(doc)
            except CorruptFile as exc:
                raise JournalCorrupt(exc.path, exc.reason) from None

    def discard(self, peer: str) -> None:
        """Forget the peer's draft (recorded, or thrown away); none stored is fine."""
        with self._gate.writing():
            try:
                self._table.remove(peer)
            except CorruptFile as exc:
                raise JournalCorrupt(exc.path, exc.reason) from None

