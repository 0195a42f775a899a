"""The command line (click): thin adapters over the use cases. Never imports textual.

`main` (the click group) is imported when asked for: `reflect` alone starts through
reflect/cli/start.py and opens the app without importing click."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reflect.cli.commands import main

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from reflect.cli.commands import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
