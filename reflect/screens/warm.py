"""Paying Textual's first-use costs for the encounter and the crisis panel before they are needed.

The first time a widget class is mounted, Textual adds its DEFAULT_CSS to the app's
stylesheet and parses the stylesheet again before styling it; the encounter's first page
brings about a dozen classes new to home and the crisis panel a few more, so the first
`n` and the first ctrl+x of a session each parsed the stylesheet several times while the
peer waited (the crisis panel took twice as long the first time as the second). Once
home is on screen and the warm-up has imported those screens, the app calls
`prime_styles`: the same sources, added in the order those screens would add them,
parsed once while the peer reads the list. The parsing itself (about 25 ms) is done on
the warm-up's thread (`parse_ahead`), so what the UI thread does is only to file it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.css.model import RuleSet
from textual.css.parse import parse
from textual.css.tokenize import tokenize_values
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.app import App


class _Bases:
    """Stands in for an instance of `cls`: DOMNode._get_default_css reads only the class's
    CSS bases, so the sources (and their names, by which Textual later knows them as
    added) are exactly those a mounted widget of the class would add."""

    def __init__(self, cls: type[DOMNode]) -> None:
        self._node_bases = DOMNode._css_bases(cls)


def _sources(classes: Iterable[type[DOMNode]]) -> Iterator[tuple[Any, str, int, str]]:
    """Each DEFAULT_CSS source `classes` add, as DOMNode._get_default_css gives it:
    (read_from, css, tie_breaker, scope)."""
    for cls in classes:
        yield from DOMNode._get_default_css(_Bases(cls))  # type: ignore[arg-type]


class Parsed(NamedTuple):
    """Sources parsed ahead, keyed as the stylesheet's parse cache keys them, and the
    variables (the theme's) they were parsed with."""

    variables: dict[str, str]
    rules: list[tuple[tuple[str, Any, bool, int, str], list[RuleSet]]]


def parse_ahead(app: App[Any], classes: Iterable[type[DOMNode]]) -> Parsed:
    """Parse the DEFAULT_CSS of `classes` off the UI thread. Reads the stylesheet's
    variables and nothing else of it: the stylesheet and its cache are the UI thread's."""
    variables = app.stylesheet._variables
    tokens = tokenize_values(variables)
    parsed: list[tuple[tuple[str, Any, bool, int, str], list[RuleSet]]] = []
    for read_from, css, tie_breaker, scope in _sources(classes):
        try:
            rules = list(parse(scope, css, read_from, variable_tokens=tokens, is_default_rules=True,
                               tie_breaker=tie_breaker))  # fmt: skip
        except Exception:  # noqa: BLE001 - left for the stylesheet's own parse to report
            continue
        parsed.append(((css, read_from, True, tie_breaker, scope), rules))
    return Parsed(variables, parsed)


def prime_styles(app: App[Any], classes: Iterable[type[DOMNode]], ahead: Parsed | None = None) -> None:
    """Add the DEFAULT_CSS of `classes` (and their bases) to the app's stylesheet and parse it,
    taking what `parse_ahead` parsed while the theme has not changed since.

    On the UI thread (the stylesheet is the app's). Styles of widgets already mounted do
    not change: every rule added is scoped to a class, and none is mounted yet."""
    sheet = app.stylesheet
    if ahead is not None and sheet._variables is ahead.variables:
        for key, rules in ahead.rules:
            sheet._parse_cache[key] = rules
    for read_from, css, tie_breaker, scope in _sources(classes):
        sheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope)
    sheet.rules  # noqa: B018 - parses now, if anything was added


def next_screen_classes() -> list[type[DOMNode]]:
    """The widget classes new to home that the encounter (its first page, then the others)
    and the crisis panel mount, in the order a session that opens an encounter, presses
    ctrl+x and then pages through the steps adds their CSS."""
    from textual.widgets import Button, ContentSwitcher, RadioSet, Select, TextArea
    from textual.widgets._select import SelectCurrent
    from textual.widgets._toggle_button import ToggleButton

    from reflect.screens.crisis import ActionList, CrisisPanel
    from reflect.screens.encounter import EncounterScreen
    from reflect.screens.steps import Fields, ListenPage, SelectPage, Tristate, WrapUpPage

    return [
        EncounterScreen, ContentSwitcher, Select, ListenPage, SelectCurrent, Fields, TextArea, Button,
        CrisisPanel, ActionList,
        SelectPage, RadioSet, Tristate, ToggleButton, WrapUpPage,
    ]  # fmt: skip
