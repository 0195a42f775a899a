"""`reflect config`: an adapter over `reflect.usecases.settings` (rules in `reflect.domain.settings`)."""

from __future__ import annotations

import json

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    data_out,
    fail,
    handle_errors,
    pass_rctx,
    say,
    warn,
)


def _describe_schedule(rrule: str) -> None:
    """The schedule in words and the next meeting, on stderr."""
    from reflect.domain.dates import DateError
    from reflect.usecases.settings import schedule_words

    try:
        say(schedule_words(rrule))
    except DateError as exc:
        warn(f"schedule: {exc}")


class _KeysListed(click.Command):
    """A command whose help lists `reflect.domain.settings.KEYS` where it says `{keys}`:
    worked out when the help is shown, so a key added later is listed without anyone
    remembering to, and the settings module is imported only then."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from reflect.domain.settings import KEYS

        template = self.help
        self.help = (template or "").replace("{keys}", ", ".join(KEYS))
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = template


@click.command("config", cls=_KeysListed)
@click.argument("key", required=False, metavar="[KEY]")
@click.argument("value", required=False, metavar="[VALUE]")
@click.option("--unset", "unset", metavar="KEY", help="Reset KEY to its default.")
@pass_rctx
@handle_errors
def config(rctx: ReflectContext, key: str | None, value: str | None, unset: str | None) -> None:
    """Show or change settings.

    Keys: {keys}.

    \b
    reflect config                       all settings as JSON
    reflect config KEY                   one value
    reflect config KEY VALUE             set it ("" resets it to the default)
    reflect config --unset KEY           reset it
    crisis_lines: "Name: how; Name: how" or a JSON list of {"name": ..., "how": ...}.
    schedule: an RRULE or a phrase such as "every 2 weeks on tuesday at 10:00".
    training_rules: pa-cps, ga-cps, icrc, nebraska, or the path of a rule pack file.
    certified_on: YYYY-MM-DD, the day your renewal cycles count from.
    credential, supervisor_credential: your and your supervisor's credential or licence numbers.
    """
    from reflect.domain.settings import check_key
    from reflect.usecases import settings as uc

    if unset is not None:
        if key is not None:
            fail("give either --unset KEY or KEY [VALUE], not both", EXIT_BAD_INPUT)
        key, value = unset, ""
    if key is None:
        with data_out() as out:
            out.write(json.dumps(uc.read(rctx.journal).to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    check_key(key)
    if value is None:
        settings = uc.read(rctx.journal)
        with data_out() as out:
            out.write(uc.value_text(settings, key) + "\n")
        if key == "schedule" and settings.schedule:
            _describe_schedule(settings.schedule)
        return
    changed = uc.set_value(rctx.journal, key, value)
    settings = changed.settings
    if changed.reset:
        say(f"{key} reset to its default")
    elif key == "schedule":
        say("schedule set")
        _describe_schedule(settings.schedule)
    elif key == "crisis_lines":
        n = len(settings.crisis_lines)
        say(f"crisis_lines set ({n} line{'s' if n != 1 else ''})")
    else:
        say(f"{key} set to {getattr(settings, key)!r}")
    if key == "certified_on" and not changed.reset:
        from datetime import date

        day = settings.certified_day()
        if day is not None and day > date.today():  # a typo in the year, usually
            warn("certified_on is after today: training status will show a cycle not yet started (check the year)")
