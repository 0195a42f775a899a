"""The keys a screen answers to, shared by the help screen and the command palette.

Kept apart from `app.py` so the help screen can read them without importing the app.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


def screen_bindings(screen: Screen[object]) -> list[tuple[DOMNode, Binding]]:
    """The bindings the app and this screen define (not those of widgets), once per action."""
    out: list[tuple[DOMNode, Binding]] = []
    seen: set[tuple[int, str]] = set()
    for active in screen.active_bindings.values():
        node, binding = active.node, active.binding
        if not isinstance(node, (App, Screen)) or binding.system:
            continue
        if (id(node), binding.action) in seen:
            continue
        seen.add((id(node), binding.action))
        out.append((node, binding))
    return out
