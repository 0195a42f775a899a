"""The Growth screen's data, headless: one call, one typed `GrowthView`.

The heatmap comes from the kept per-month counts (`Journal.tallies`), so opening the
screen reads twelve small tallies, the ratings, the goals and the trainings, whatever
the number of entries; a month is counted again only after its file changed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from reflect.domain.fields import ValidationError
from reflect.domain.growth_view import (
    GrowthView,
    TrainingProgress,
    heatmap,
    last_months,
    open_goals,
    progress,
    rating_columns,
)

if TYPE_CHECKING:
    from reflect.store import Journal


def growth_view(journal: Journal, today: date | None = None) -> GrowthView:
    """Everything the Growth screen shows, as of `today` (the clock's day when None)."""
    from reflect.usecases import training

    today = today or date.today()
    months = last_months(today)
    counted = journal.tallies().months(months)
    book = journal.growth()
    ratings = book.ratings()
    try:
        prog = progress(training.current_status(journal, today=today))
    except ValidationError as exc:  # no rules chosen, or a rules file that does not read
        prog = TrainingProgress(problem=exc.problem)
    return GrowthView(
        today=today,
        heatmap=heatmap(months, counted),
        ratings=rating_columns(ratings),
        ratings_total=len(ratings),
        training=prog,
        goals=open_goals(book.goals()),
    )
