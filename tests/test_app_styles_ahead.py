"""The next screens' styles are parsed on the warm-up's thread (screens/warm.py) and only
filed on the UI thread: the stylesheet they give is the one parsing them there gives,
and a theme changed in between is never styled with the old theme's colours."""

from __future__ import annotations

from textual.app import App

from encounter_helpers import SIZE
from reflect.screens.warm import next_screen_classes, parse_ahead, prime_styles

# A plain app: reflect's own primes these styles itself once home shows.
Plain = App[None]


def rules_text(app: App[None]) -> list[str]:
    return [repr(rule) for rule in app.stylesheet.rules]


async def test_styles_parsed_ahead_give_the_stylesheet_parsing_gives() -> None:
    both: list[list[str]] = []
    for ahead in (False, True):
        app = Plain()
        async with app.run_test(size=SIZE):
            classes = next_screen_classes()
            parsed = parse_ahead(app, classes) if ahead else None
            prime_styles(app, classes, parsed)
            both.append(rules_text(app))
    assert both[0] == both[1] and len(both[0]) > 100


async def test_a_theme_changed_after_parsing_ahead_wins() -> None:
    app = Plain()
    async with app.run_test(size=SIZE) as pilot:
        classes = next_screen_classes()
        parsed = parse_ahead(app, classes)  # with the dark theme's colours
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        prime_styles(app, classes, parsed)
        light = rules_text(app)
        app.stylesheet._parse_cache.clear()
        app.stylesheet._require_parse = True
        assert rules_text(app) == light  # what the light theme parses to, not the dark's
