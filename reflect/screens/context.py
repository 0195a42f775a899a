"""What a screen asks of the app it runs in: the journal (typed) and the clock.

Screens reach these through `host(self)` rather than importing the app, so no screen
module imports `app.py` (which imports the screens): there is no cycle to break.
"""

from __future__ import annotations

from datetime import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from reflect.store import Journal


class Host(Protocol):
    """The app as a screen sees it (`ReflectApp` is one)."""

    journal: Journal

    def now(self) -> datetime: ...

    def when_quiet(self, step: Callable[[], object], *, after: float = ..., quiet: float = ...) -> None: ...


def host(node: DOMNode) -> Host:
    """The running app of `node`, typed as what screens use of it."""
    return cast(Host, node.app)
