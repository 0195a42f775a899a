"""The journal the review tests share: a peer with one earlier meeting (one open action),
a crisis two days ago and a question for supervision yesterday."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from reflect.domain.model import ActionItem, Crisis, Entry, Flags, Listen, Meeting, now
from reflect.domain.settings import Settings
from reflect.screens.app import ReflectApp
from reflect.store import Journal


def review_journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    t = now()
    j.save_meeting(
        Meeting(
            held=t - timedelta(days=10), since=t - timedelta(days=24), until=t - timedelta(days=10), peer="alex",
            actions=[ActionItem("Read the boundaries chapter", id="old-act")],
        )
    )  # fmt: skip
    j.save(
        Entry(
            occurred=t - timedelta(days=2), id="crisis-entry-1", peer="alex", person="J.R.",
            listen=Listen(story="A hard night on the phone line"), flags=Flags(crisis=True),
            crisis=Crisis(["warm-handoff"]),
        )
    )  # fmt: skip
    j.save(Entry(occurred=t - timedelta(days=1), id="question-1", peer="alex", question="How do I end calls kindly?"))
    return j


def review_app(journal: Journal) -> ReflectApp:
    """What `reflect review` runs: the app, started on the review, on the journal's file."""
    return ReflectApp(Journal(journal.path), start="review")
