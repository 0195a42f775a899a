"""`reflect rate` and `reflect goal`: adapters over `reflect.usecases.growth`.

A rating is a prompt for discussion, never a score: `reflect rate` says so wherever it
shows one. stdout carries data (an id, a table, JSON); what happened goes to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    ReflectContext,
    ReflectGroup,
    data_out,
    fail,
    handle_errors,
    parse_date_option,
    pass_rctx,
    plural,
    say,
)

if TYPE_CHECKING:
    from reflect.domain.growth import Goal, Rating

COMPETENCY_CHOICES = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _looks_identifying(exc: Exception) -> None:
    fail(f"{exc}: reword it, or give --anyway to keep it as typed", EXIT_BAD_INPUT)


def _print(lines: Iterator[str] | list[str]) -> None:
    from reflect.domain.terminal import escape

    with data_out() as out:
        for line in lines:
            out.write(escape(line, keep_lines=False) + "\n")


# --- rate ------------------------------------------------------------------------------------


def _side_by_side(ratings: list[Rating]) -> Iterator[str]:
    """The scale, then each category's latest self-rating beside the supervisor's."""
    from reflect.domain import cycle
    from reflect.domain.growth import FRAMING, SCALE, latest, scale_line

    mine, theirs = latest(ratings, "self"), latest(ratings, "supervisor")
    yield FRAMING
    yield ""
    for n, words in SCALE:
        yield f"  {n}  {words}"
    yield ""
    head_self = f"you, {mine.at:%Y-%m-%d}" if mine else "you: none yet"
    head_sup = f"supervisor, {theirs.at:%Y-%m-%d}" if theirs else "supervisor: none yet"
    yield f"{'CATEGORY':<46} {head_self:<22} {head_sup}"
    for key, title in cycle.COMPETENCIES:
        name = f"{key:>4}. {title}"
        name = name if len(name) <= 46 else name[:45] + "…"
        a = scale_line(mine.ratings.get(key)) if mine else "-"
        b = scale_line(theirs.ratings.get(key)) if theirs else "-"
        yield f"{name:<46} {a:<22} {b}"


@click.command("rate")
@click.argument("pairs", nargs=-1, metavar="[CATEGORY=LEVEL]...")
@click.option("--self", "as_self", is_flag=True, help="Your own rating (the default).")
@click.option("--supervisor", "as_supervisor", is_flag=True, help="Your supervisor's rating, as given in supervision.")
@click.option("--rater", metavar="NAME", default="", help="Who rated (the supervisor's name; optional).")
@click.option("--note", metavar="TEXT", default="", help="A line about the rating.")
@click.option("--at", "at", metavar="WHEN", help="When it was rated (default: now).")
@click.option("--anyway", is_flag=True, help="Keep a note that looks like an identifier.")
@click.option("--json", "as_json", is_flag=True, help="Without ratings given: every rating as JSON, oldest first.")
@pass_rctx
@handle_errors
def rate(
    rctx: ReflectContext, pairs: tuple[str, ...], as_self: bool, as_supervisor: bool, rater: str, note: str,
    at: str | None, anyway: bool, as_json: bool,
) -> None:  # fmt: skip
    """Rate the twelve SAMHSA competency categories, 1 to 5 (- for not rated).

    \b
    reflect rate I=3 II=4 III=2 VIII=-      your own rating; prints its id
    reflect rate --supervisor --rater Dana I=2 II=4
    reflect rate                            the scale, and your latest beside the supervisor's
    reflect rate --json                     every rating, oldest first
    1 New to me · 2 Starting · 3 Growing · 4 Steady · 5 Sharing it.
    Ratings are prompts for discussion, not scores.
    """
    from reflect.domain.years import in_future
    from reflect.usecases import growth as uc

    if as_self and as_supervisor:
        fail("give --self or --supervisor, not both", EXIT_BAD_INPUT)
    by = "supervisor" if as_supervisor else "self"
    if rater and by != "supervisor":
        fail("--rater names the supervisor: give it with --supervisor", EXIT_BAD_INPUT)
    if not pairs:
        if rater or note or at is not None or as_self or as_supervisor:
            fail("give the ratings (CATEGORY=LEVEL, e.g. III=4) with --self, --supervisor, --rater, --note or --at",
                 EXIT_BAD_INPUT)  # fmt: skip
        ratings = uc.ratings(rctx.journal)
        if as_json:
            with data_out() as out:
                out.write(json.dumps([r.to_dict() for r in ratings], ensure_ascii=False, indent=2) + "\n")
            return
        _print(_side_by_side(ratings))
        return
    levels = uc.parse_levels(pairs)
    rated = sum(1 for v in levels.values() if v is not None)
    if not rated:
        fail("give at least one category a level from 1 to 5 (e.g. III=4)", EXIT_BAD_INPUT)
    when = parse_date_option(at, "--at", end=False)
    if when is not None and in_future(when):  # it would become the latest, ahead of every rating to come
        fail("--at: the time is in the future; give when it was rated", EXIT_BAD_INPUT)
    try:
        rating = uc.take_rating(rctx.journal, levels, by=by, rater=rater, note=note, at=when, anyway=anyway)
    except uc.LooksIdentifying as exc:
        _looks_identifying(exc)
    _print([rating.id])
    who = "your own" if by == "self" else "the supervisor's"
    say(f"rated {plural(rated, 'category')} of 12 ({who}); ratings are prompts for discussion, not scores")


# --- goal ------------------------------------------------------------------------------------


@click.group(cls=ReflectGroup)
def goal() -> None:
    """Development goals: set them, check in on them, mark them met."""


@goal.command("add")
@click.argument("text")
@click.option("--competency", type=click.Choice(COMPETENCY_CHOICES, case_sensitive=False),
              help="The SAMHSA category it grows.")  # fmt: skip
@click.option("--due", metavar="WHEN", help="When you mean to have met it.")
@click.option("--anyway", is_flag=True, help="Keep text that looks like an identifier.")
@pass_rctx
@handle_errors
def goal_add(rctx: ReflectContext, text: str, competency: str | None, due: str | None, anyway: bool) -> None:
    """Set a goal; prints its id."""
    from reflect.usecases import growth as uc

    due_day = parse_date_option(due, "--due", end=True)
    try:
        made = uc.add_goal(
            rctx.journal, text, competency=competency or "", due=None if due_day is None else due_day.date(),
            anyway=anyway,
        )  # fmt: skip
    except uc.LooksIdentifying as exc:
        _looks_identifying(exc)
    _print([made.id])
    say("goal set")


def _goal_line(g: Goal) -> str:
    from reflect.domain.model import clip

    parts = [g.id[:8], g.status]
    if g.competency:
        parts.append(g.competency)
    if g.due is not None:
        parts.append(f"due {g.due.isoformat()}")
    last = g.last_check_in
    line = f"{' · '.join(parts)}  {clip(g.text, 60)}"
    if last is not None:
        line += f"  (last check-in {last.at:%Y-%m-%d}: {clip(last.note, 40)})"
    return line


@goal.command("list")
@click.option("--json", "as_json", is_flag=True, help="The goals as JSON, oldest first.")
@click.option("--all", "show_all", is_flag=True, help="Met and dropped goals too.")
@pass_rctx
@handle_errors
def goal_list(rctx: ReflectContext, as_json: bool, show_all: bool) -> None:
    """Your open goals (every goal with --all), oldest first."""
    from reflect.usecases import growth as uc

    found = uc.goals(rctx.journal, include_closed=show_all)
    if as_json:
        with data_out() as out:
            out.write(json.dumps([g.to_dict() for g in found], ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        say("no goals yet: reflect goal add TEXT" if show_all else "no open goals (--all shows met and dropped ones)")
        return
    _print(_goal_line(g) for g in found)


@goal.command("check-in")
@click.argument("goal_id", metavar="ID")
@click.argument("note")
@click.option("--anyway", is_flag=True, help="Keep a note that looks like an identifier.")
@pass_rctx
@handle_errors
def goal_check_in(rctx: ReflectContext, goal_id: str, note: str, anyway: bool) -> None:
    """Note how a goal is going (dated now)."""
    from reflect.usecases import growth as uc

    try:
        changed = uc.check_in(rctx.journal, goal_id, note, anyway=anyway)
    except uc.LooksIdentifying as exc:
        _looks_identifying(exc)
    say(f"checked in on goal {changed.id[:8]} ({plural(len(changed.check_ins), 'check-in')})")


def _close(rctx: ReflectContext, goal_id: str, status: str) -> None:
    from reflect.usecases import growth as uc

    done = uc.close_goal(rctx.journal, goal_id, status)
    if done.already:
        say(f"goal {done.goal.id[:8]} was already {status}")
    else:
        say(f"goal {done.goal.id[:8]} marked {status}" + (": a win for the agenda" if status == "met" else ""))


@goal.command("met")
@click.argument("goal_id", metavar="ID")
@pass_rctx
@handle_errors
def goal_met(rctx: ReflectContext, goal_id: str) -> None:
    """Mark a goal met (it shows under wins on the next agenda)."""
    _close(rctx, goal_id, "met")


@goal.command("drop")
@click.argument("goal_id", metavar="ID")
@pass_rctx
@handle_errors
def goal_drop(rctx: ReflectContext, goal_id: str) -> None:
    """Drop a goal (kept, no longer open)."""
    _close(rctx, goal_id, "dropped")
