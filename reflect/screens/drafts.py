"""Keeping what is typed as a draft on disk, and being honest when that fails.

A change asks for a draft; DRAFT_DELAY later it is written on a worker thread, so typing
never waits on the disk. Text counts as kept only once its write succeeded: a failed
write is said on the screen (`failed`, and one notice) and tried again RETRY_DELAY later
and at the next change, so the last characters typed reach the disk once it can be
written again.

Writes can overlap (a worker's and a `flush` on leaving); each carries a sequence number
and, under one lock, a write older than one already done is skipped.

While `held()` says so (an encrypted journal before its passphrase: a draft cannot be
written with the public key alone) no draft is attempted at all, so no failure is
reported; the screen says the text is kept when it is saved (a save goes to the inbox).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.timer import Timer

from reflect.domain.model import Draft

if TYPE_CHECKING:
    from reflect.store import Journal

DRAFT_DELAY = 0.5  # seconds from a change to its draft on disk (the promise is "within a second")
RETRY_DELAY = 1.0  # seconds between tries while the draft cannot be written

Key = tuple[dict[str, Any], str, str | None]


def _key(draft: Draft) -> Key:
    """What makes two drafts the same to the peer (not the time they were saved)."""
    return (draft.entry, draft.step, draft.entry_id)


STAMPED = ("recorded", "updated")  # set by the store on save, never typed


def same_entry(form: dict[str, Any], saved: dict[str, Any] | None) -> bool:
    """Whether a form holds what was saved: the store's stamps aside, and a peer the store
    filled in where the form had none."""
    if saved is None:
        return False
    a = {k: v for k, v in form.items() if k not in STAMPED}
    b = {k: v for k, v in saved.items() if k not in STAMPED}
    if not b.get("peer"):
        a.pop("peer", None), b.pop("peer", None)
    return a == b


class DraftKeeper:
    """The draft of one screen's form: debounced, written off the UI thread, never silently lost."""

    def __init__(
        self,
        screen: Screen[Any],
        journal: Journal,
        draft_id: str,
        *,
        on_disk: bool,
        on_status: Callable[[], None],
        held: Callable[[], bool] = lambda: False,
    ) -> None:
        self._screen = screen
        self._held = held
        self._journal = journal
        self.draft_id = draft_id
        self.on_disk = on_disk  # a draft of this form is in the journal
        self.failed: str | None = None  # why the last write failed; None once one succeeds
        self._on_status = on_status
        self._wanted: Draft | None = None
        self._kept: Key | None = None  # the last state known to be in the journal
        self._opened: dict[str, Any] | None = None  # the form as it opened
        self._saved: dict[str, Any] | None = None  # the form as the entry was last saved
        self._timer: Timer | None = None
        self._lock = threading.Lock()
        self._seq = 0  # numbers handed to writes, in order of asking
        self._done_seq = 0  # the newest write done (or made moot by a save)
        self._closed = False
        self._said = False  # the failure notice is shown (once, until a write succeeds)

    # --- on the UI thread -------------------------------------------------------------------

    def start(self, draft: Draft) -> None:
        """The form as it opened: already in the journal (or nothing typed), so nothing to write."""
        self._wanted = draft
        self._kept = _key(draft)
        self._opened = draft.entry

    def reopened(self, was: Draft, now: Draft) -> None:
        """The form as it opened, read again more exactly (`was` is now read as `now`, the
        encounter's pages built after its first frame): where `was` stood, `now` does."""
        if self._kept == _key(was):
            self._kept = _key(now)
        if self._opened == was.entry:
            self._opened = now.entry
        if self._wanted is was:
            self._wanted = now

    def want(self, draft: Draft) -> None:
        """The form changed: write it DRAFT_DELAY after the first change (steady typing still saves)."""
        if self._closed:
            return
        self._wanted = draft
        self._arm(DRAFT_DELAY)

    def _arm(self, delay: float) -> None:
        if self._timer is None and not self._closed:
            self._timer = self._screen.set_timer(delay, self._due, name="draft")

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _next(self) -> tuple[Draft, int] | None:
        """The wanted draft with a sequence number, if it is not what the journal holds."""
        draft = self._wanted
        if draft is None or _key(draft) == self._kept:
            return None
        if not self.on_disk and draft.entry == self._opened:
            return None  # nothing typed yet (only a step changed): no draft to keep
        if same_entry(draft.entry, self._saved):
            return None  # what the journal holds as the entry itself (a page or the id changed, not the text)
        self._seq += 1
        return draft, self._seq

    @property
    def held(self) -> bool:
        """Drafts are not written now (the journal is locked): only a save keeps the text."""
        return self._held()

    def _due(self) -> None:
        self._timer = None
        if self._closed:
            return
        if self._held():
            self._on_status()
            return  # the next change asks again (the journal may be unlocked by then)
        job = self._next()
        if job is None:
            if self.failed is not None and self._wanted is not None and _key(self._wanted) == self._kept:
                self.failed, self._said = None, False  # back to what the journal holds: nothing is lost
                self._on_status()
            return
        draft, seq = job
        self._screen.run_worker(
            lambda: self._write(draft, seq, from_thread=True),
            thread=True,
            group="draft",
            exit_on_error=False,
            name="draft",
        )

    def flush(self, draft: Draft | None = None) -> bool:
        """Write any unwritten change now, on this thread (leaving, quitting). True when a draft is kept."""
        self._stop_timer()
        if self._closed or self._held():
            return False
        if draft is not None:
            self._wanted = draft
        job = self._next()
        if job is not None:
            self._write(*job, from_thread=False)
        return self.on_disk and self.failed is None

    def close(self) -> None:
        """No more writes: the entry was saved, or the screen has gone."""
        self._stop_timer()
        self._closed = True

    # --- saving the entry itself ---------------------------------------------------------------

    def saving(self, draft: Draft) -> int:
        """The entry is being saved as `draft` shows it: no draft of that state is needed.
        Returns the sequence number for `discard`.

        What is being saved is also what is wanted from now on: a draft timer armed by
        typing before the save must not write that older text after it."""
        self._stop_timer()
        self._wanted = draft
        self._kept = _key(draft)
        self._saved = draft.entry
        return self._seq

    def save_failed(self) -> None:
        """The entry was not saved: what is on screen must be kept as a draft after all."""
        self._kept = None
        self._saved = None

    def discard(self, upto: int) -> None:
        """On the save's worker thread, after the entry was saved: drop the draft, and any
        draft write asked for before the save began."""
        with self._lock:
            self._done_seq = max(self._done_seq, upto)
            if self.on_disk:
                self._journal.discard_draft(self.draft_id)
                self.on_disk = False

    # --- the write itself (a worker thread, or the UI thread in `flush`) ---------------------------

    def _write(self, draft: Draft, seq: int, *, from_thread: bool) -> None:
        with self._lock:
            if seq <= self._done_seq:
                return
            try:
                self._journal.save_draft(draft)
            except Exception as exc:  # noqa: BLE001 - any failure is said on screen; typing goes on
                self.failed = str(exc) or type(exc).__name__
                self._report(self._failed, from_thread)
                return
            recovered = self.failed is not None
            self._done_seq = seq
            self._kept = _key(draft)
            self.on_disk = True
            self.failed = None
        self._report(lambda: self._written(recovered), from_thread)

    def _report(self, callback: Callable[[], None], from_thread: bool) -> None:
        if not from_thread:
            callback()
            return
        try:
            self._screen.app.call_from_thread(callback)
        except RuntimeError:  # the app has gone (quitting): nothing left to tell
            pass

    def _failed(self) -> None:
        """A write failed: say so once, show it in the status, and try again shortly."""
        if not self._said:
            self._said = True
            self._screen.notify(
                f"The draft could not be written: {self.failed}. Your text is still here; trying again.",
                title="Draft not kept",
                severity="error",
                timeout=10,
            )
        self._on_status()
        self._arm(RETRY_DELAY)

    def _written(self, recovered: bool) -> None:
        if recovered:
            self._said = False
            self._screen.notify("The draft is kept again.", title="Draft kept")
        self._on_status()
