"""What home lists first (the drafts, the newest entries, the journal's stamp), read ahead.

The app starts reading it on a thread as it is built, while Textual starts the terminal
and lays the screen out, so home can list the entries in its very first frame instead of
drawing "Loading…" and then everything again (issue 9, item 18: home ready fast).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, NamedTuple

from reflect.usecases import browsing

if TYPE_CHECKING:
    from reflect.domain.model import Draft, EntryFilter
    from reflect.store import Journal
    from reflect.store.browse import Browser, Stamp
    from reflect.usecases.browsing import EntryPage

PAGE = 50  # entries home reads at a time


class FirstPage(NamedTuple):
    stamp: Stamp  # the journal's files before the read: a change during it is seen next time
    drafts: list[Draft]
    page: EntryPage


def read_first(journal: Journal, flt: EntryFilter | None = None, browser: Browser | None = None) -> FirstPage:
    """The drafts and the newest page of entries (matching `flt`)."""
    stamp = browsing.stamp(journal)
    drafts = journal.drafts()
    page = browsing.older(browser or browsing.browser(journal), None, PAGE, flt)
    return FirstPage(stamp, drafts, page)


class ReadAhead:
    """`read_first(journal)` on a thread of its own, started now."""

    def __init__(self, journal: Journal) -> None:
        self._done = threading.Event()
        self._value: FirstPage | None = None
        self._error: BaseException | None = None
        thread = threading.Thread(target=self._read, args=(journal,), name="reflect: home's first page", daemon=True)
        thread.start()

    def _read(self, journal: Journal) -> None:
        try:
            self._value = read_first(journal)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits, raised there
            self._error = exc
        finally:
            self._done.set()

    def wait(self, timeout: float | None) -> FirstPage | None:
        """The page once read (None: not read within `timeout` seconds; None waits as long
        as the read takes). Raises what the read raised."""
        if not self._done.wait(timeout):
            return None
        if self._error is not None:
            raise self._error
        return self._value
