"""The `reflect` command (pyproject's entry point): `reflect` alone opens the app at once.

With no argument there is nothing for click to parse (no --db, no command; REFLECT_DB is
read by reflect.paths), so the app opens without importing click and the command group
(about 9 ms of CPU, a tenth of what reflect adds to Textual's own start). Any argument,
or shell completion, goes to the click group, `reflect.cli.commands.main`, as before.
What goes wrong is said as the click group says it: one line on stderr and an exit code.
"""

from __future__ import annotations

import os
import sys

def completing() -> bool:
    """click's shell completion asks through `_<NAME>_COMPLETE`, NAME being the program's
    name as run (`_REFLECT_COMPLETE`; `_RFL_COMPLETE` for a link named rfl)."""
    name = os.path.basename(sys.argv[0]) if sys.argv else "reflect"
    return f"_{name.replace('-', '_').replace('.', '_').upper()}_COMPLETE" in os.environ


def run() -> None:
    if sys.argv[1:] or completing():
        from reflect.cli.commands import main

        main()
        return
    open_home()


def open_home() -> None:
    """`reflect` alone: as reflect.cli.commands.main does with no command, without click."""
    from reflect.cli.opening import journal_location_problem, open_app

    problem = journal_location_problem(None)
    if problem is not None:
        from reflect.cli.kit import EXIT_BAD_INPUT, fail

        fail(problem, EXIT_BAD_INPUT)
    try:
        open_app(None)
    except KeyboardInterrupt:
        from reflect.cli.kit import _interrupted

        _interrupted()
    except Exception as exc:  # the click group's last line of defence (ReflectGroup.main)
        if os.environ.get("REFLECT_DEBUG"):
            raise
        from reflect.cli.kit import _fail_unexpected

        _fail_unexpected(exc)
