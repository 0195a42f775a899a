"""The agenda's quotes as a supervisor reads them: cut at a word, with "…", in every format
(Markdown, text, JSON, the review screen); and next steps worded as what they are."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from textual.widgets import OptionList

from reflect.domain.agenda import Agenda, clip_words
from reflect.domain.agenda_render import write
from reflect.domain.model import Checks, Entry, Flags, Listen, Select, Share, now
from reflect.domain.settings import Settings
from reflect.screens.app import ReflectApp
from reflect.screens.review_screen import ReviewScreen
from reflect.store import Journal
from reflect.usecases.agendas import journal_agendas

STORY = (
    "Maria talked about the winter she spent sleeping in her car behind the laundromat "
    "and how the owner finally let her in to warm up"
)  # 120 characters: "laundromat" straddles the 80th
PART = "When I first got my own keys I kept checking the lock every night for a month"  # 77


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    t = now()
    j.save(
        Entry(
            occurred=t - timedelta(days=2), id="crisis-long", peer="alex", listen=Listen(story=STORY),
            flags=Flags(crisis=True),
        )
    )  # fmt: skip
    j.save(
        Entry(
            occurred=t - timedelta(days=1), id="shared-long", peer="alex", listen=Listen(story="short"),
            select=Select(decision="share", part=PART, checks=Checks(their_need=False)),
        )
    )  # fmt: skip
    j.save(Entry(occurred=t - timedelta(hours=3), id="steps-1", peer="alex", share=Share(next_steps="Call the clinic")))
    return j


def _quote_ok(shown: str, whole: str) -> None:
    """`shown` ends with "…" and is `whole` cut between two words."""
    assert shown.endswith("…"), shown
    kept = shown[:-1]
    assert whole.startswith(kept) and whole[len(kept)] == " ", (kept, whole[len(kept) :])


def _agenda(journal: Journal) -> Agenda:
    (a,) = journal_agendas(journal, until=now() + timedelta(minutes=1))
    return a


def test_clip_words_cuts_between_words_and_marks_the_cut() -> None:
    assert clip_words("short text", 80) == "short text"
    assert clip_words("one two three", 9) == "one two…"  # "three" does not fit: left out whole
    assert clip_words("alpha,   beta gamma", 12) == "alpha, beta…"
    assert clip_words("Supercalifragilistic", 8) == "Superca…"  # one word longer than the line
    assert len(clip_words(STORY, 80)) <= 80


@pytest.mark.parametrize("fmt", ["markdown", "text", "json"])
def test_every_format_quotes_whole_words_with_an_ellipsis(journal: Journal, fmt: str) -> None:
    out = StringIO()
    write(out, [_agenda(journal)], fmt)
    printed = out.getvalue()
    if fmt == "json":
        printed = "\n".join(i["text"] for a in json.loads(printed)["agendas"] for s in a["sections"] for i in s["items"])
    crisis = re.search(r"Maria[^…]*…", printed)
    assert crisis is not None, printed
    _quote_ok(crisis.group(0), STORY)
    part = re.search(r'"(When I first[^"]*)"', printed)
    assert part is not None, printed
    _quote_ok(part.group(1), PART)


def test_next_steps_are_named_not_taken(journal: Journal) -> None:
    wins = [i.text for i in _agenda(journal).section("wins").items]
    assert any(t.startswith("Next steps the person named") and "Call the clinic" in t for t in wins), wins
    assert not any("took" in t for t in wins)


async def test_the_review_screen_shows_the_same_cut(journal: Journal) -> None:
    app = ReflectApp(Journal(journal.path), start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):  # the screen, then its agenda list mounted and filled
            if isinstance(app.screen, ReviewScreen) and app.screen.query("#review-agenda"):
                if app.screen.query_one("#review-agenda", OptionList).option_count:
                    break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        prompt = str(screen.query_one("#review-agenda", OptionList).get_option("i:safety:0").prompt)
        found = re.search(r"Maria[^…]*…", prompt)
        assert found is not None, prompt
        _quote_ok(found.group(0), STORY)
