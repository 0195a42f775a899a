"""Packets for the caseload tests: four peers' export documents, plain and sealed, dated
from now (the CLI reads the clock), and the identity that opens the sealed one."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyrage
import pytest

from reflect.domain.formats import schema_path
from reflect.usecases import packets

NOW = datetime.now(timezone.utc).replace(microsecond=0)
SECRET_STORY = "the bridge at midnight, and what she said about her sister"
SCHEMA = json.loads(schema_path("caseload").read_text(encoding="utf-8"))


def iso(dt: datetime) -> str:
    return dt.isoformat()


def entry(peer: str, ago: timedelta, *, crisis: bool = False, notified: bool = False, private: bool = False, n: int = 0) -> dict[str, Any]:
    when = NOW - ago
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "peer": peer, "occurred": iso(when), "recorded": iso(when),
        "listen": {"story": SECRET_STORY if crisis else "a quiet talk about work"},
        "flags": {"crisis": crisis}, "visibility": "private" if private else "shared",
    }  # fmt: skip
    if crisis:
        doc["crisis"] = {"actions": ["warm-handoff"] + (["supervisor-notified"] if notified else []), "notes": SECRET_STORY}
    return doc


def meeting(peer: str, ago: timedelta, *, actions: list[dict[str, Any]] = (), mid: str = "") -> dict[str, Any]:  # type: ignore[assignment]
    held = NOW - ago
    return {
        "id": mid or f"m-{peer}-{ago.days}", "peer": peer, "held": iso(held), "since": iso(held - timedelta(days=7)),
        "until": iso(held), "minutes": 60, "kind": "individual", "delivery": "video", "actions": list(actions),
    }  # fmt: skip


def document(entries: list[dict[str, Any]], meetings: list[dict[str, Any]], exported: datetime = NOW) -> dict[str, Any]:
    return {"format": "reflect-export", "version": 1, "exported_at": iso(exported), "entries": entries, "stories": [], "meetings": meetings}


DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A plain age identity file (no passphrase: no scrypt run) and its public key."""
    folder = tmp_path_factory.mktemp("key")
    ident = pyrage.x25519.Identity.generate()
    secret = folder / "key.txt"
    secret.write_text(f"{ident}\n")
    return secret, str(ident.to_public())


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, key: tuple[Path, str]) -> list[str]:
    """Four peers, five files:
    - ann (plain): met yesterday; since then a private crisis nobody told the supervisor of;
    - bob, older plain file: an untold crisis (the newer packet must win over it);
    - bob (sealed, newer): last met 30 days ago under a weekly rule: overdue; an action
      overdue; a crisis before that meeting (reviewed: not counted);
    - cat (plain): met yesterday; a crisis since, the supervisor told; an open action not due;
    - dan (plain): met every week up to yesterday; nothing else."""
    folder = tmp_path_factory.mktemp("packets")
    docs = {
        "ann.json": document([entry("ann", 5 * DAY), entry("ann", 2 * timedelta(hours=6), crisis=True, private=True)], [meeting("ann", DAY)]),
        "bob-old.json": document([entry("bob", 2 * DAY, crisis=True, n=1)], [meeting("bob", 30 * DAY)], NOW - 10 * DAY),
        "bob.age": document(
            [entry("bob", 40 * DAY, crisis=True), entry("bob", 3 * DAY)],
            [meeting("bob", 30 * DAY, actions=[{"text": "Read the ethics code", "due": (NOW - 10 * DAY).date().isoformat()}])],
        ),
        "cat.json": document(
            [entry("cat", 2 * timedelta(hours=5), crisis=True, notified=True)],
            [meeting("cat", DAY, actions=[{"text": "Plan a day off", "due": (NOW + 10 * DAY).date().isoformat()}])],
        ),
        "dan.json": document([entry("dan", 2 * DAY)], [meeting("dan", (1 + 7 * w) * DAY) for w in range(6)]),
    }
    out = []
    for name, doc in docs.items():
        data = json.dumps(doc).encode()
        path = folder / name
        path.write_bytes(packets.seal(data, [key[1]]) if name.endswith(".age") else data)
        out.append(str(path))
    return out
