"""What opening the app needs from the command line, without click.

`reflect` alone (reflect/cli/start.py) opens the app without importing click; the click
commands that open it (`reflect` with --db, `reflect new`) use `open_app` too, and every
command checks the journal's location through cli/kit.py's `check_journal_location`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def journal_location_problem(db: str | None) -> str | None:
    """Why the journal location cannot work, in one line (None: it can), before anything
    is created. paths.journal_path decides (an empty --db or REFLECT_DB is refused there,
    rather than quietly meaning the default journal); a folder, or a path under a file,
    is named as such."""
    from reflect import paths

    try:
        path = paths.journal_path(db)
    except paths.JournalPathError as exc:
        return str(exc)
    if path.is_dir():
        return f"{path}: is a folder; the journal is a file (e.g. {path / 'journal.json'})"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{path}: cannot be a journal: {parent} is a file, not a folder"
            break
    return None


@contextmanager
def app_starting() -> Iterator[None]:
    """Python's cyclic garbage collector off while the app starts: importing Textual and
    the screens and reading home's first page make tens of thousands of objects, and the
    collections they set off (each walking every object made so far) were about a sixth of
    the time home took to appear. The app turns it back on once its first frame is drawn
    (ReflectApp, with `gc.freeze`, so start-up's objects are never walked again); this
    turns it on again however the app ends."""
    from reflect.domain.collector import no_cycle_gc

    with no_cycle_gc():
        yield


def open_app(db: str | None, start: str = "home") -> None:
    """Run the app on the journal `db`, opening on `start`, with the collector paused while
    it starts (`app_starting`): `reflect` alone, and `reflect new`."""
    with app_starting():
        from reflect.screens.app import run_app

        run_app(db, start=start)
