"""`reflect review`: the app, started on the review of each peer's agenda.

The review is a screen of `ReflectApp` (see `review_screen.py`, and `review_round.py`
for the round of one screen per peer), so it has the app's stylesheet, theme and help;
from home, `r` opens the same screens.
"""

from __future__ import annotations

from datetime import datetime

from reflect.domain.model import Meeting


def run_review(
    db: str | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    peer: str | None = None,
    include_private: bool = False,
) -> list[Meeting]:
    """Open the review screen(s); returns the meetings recorded."""
    from reflect.root import open_journal
    from reflect.screens.app import ReflectApp
    from reflect.screens.review_round import ReviewOptions

    options = ReviewOptions(since=since, until=until, peer=peer, include_private=include_private)
    app = ReflectApp(open_journal(db), start="review", review=options)
    return app.run() or []
