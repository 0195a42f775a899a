"""The command line (click): thin adapters over the use cases. Never imports textual."""

from reflect.cli.commands import main

__all__ = ["main"]
