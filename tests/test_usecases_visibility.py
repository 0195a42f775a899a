"""The private-entries rule, written once (reflect.usecases.visibility), and every output
that applies it: export, `list --json` and the review agenda, the same way."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reflect.cli import main
from reflect.domain.model import Entry, Flags, Listen, now
from reflect.root import open_journal
from reflect.usecases.visibility import Selection, is_private, shown

SECRET = "the secret words of a private entry"
USECASES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "reflect" / "usecases").glob("*.py")
                  if p.stem != "__init__")  # fmt: skip


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_shown_on_entries_and_stored_dicts_alike() -> None:
    private = Entry(now(), id="p1", visibility="private")
    shared = Entry(now(), id="s1")
    for record in (private, private.to_dict()):
        assert is_private(record)
        assert not shown(record)
        assert shown(record, include_private=True)
        assert shown(record, named_ids={"p1"}) and not shown(record, named_ids={"s1"})
    for record in (shared, shared.to_dict()):
        assert not is_private(record) and shown(record)


def test_selection_counts_what_it_leaves_out() -> None:
    t = now()
    records = [Entry(t, id="a", visibility="private"), Entry(t, id="b"), Entry(t, id="c", visibility="private").to_dict()]
    sel = Selection()
    assert [r.id if isinstance(r, Entry) else r["id"] for r in sel.filter(records)] == ["b"]
    assert sel.left_out == 2
    named = Selection(named_ids=frozenset({"a"}))
    assert len(list(named.filter(records))) == 2 and named.left_out == 1


@pytest.fixture
def secret_id() -> str:
    journal = open_journal()
    journal.save(Entry(occurred=now() - timedelta(days=1), peer="alex", listen=Listen(story="shared words"),
                       flags=Flags(crisis=True)))  # fmt: skip
    private = Entry(occurred=now() - timedelta(days=1), peer="alex", visibility="private",
                    listen=Listen(story=SECRET), flags=Flags(crisis=True))  # fmt: skip
    journal.save(private)
    return private.id


OUTPUTS = {
    "export json": ["export"],
    "export jsonl": ["export", "--format", "jsonl"],
    "export csv": ["export", "--format", "csv"],
    "export markdown": ["export", "--format", "markdown"],
    "list --json": ["list", "--json"],
    "review json": ["review", "--format", "json"],
    "review markdown": ["review", "--format", "markdown"],
}


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_one_private_entry_stays_out_of_every_output_unless_asked(secret_id: str, name: str) -> None:
    args = OUTPUTS[name]
    plain = run(*args)
    assert plain.exit_code == 0, plain.stderr
    assert SECRET not in plain.stdout and secret_id[:8] not in plain.stdout
    assert "shared words" in plain.stdout  # the other entry is there: the output is not just empty
    asked = run(*args, "--include-private")
    assert asked.exit_code == 0, asked.stderr
    assert secret_id[:8] in asked.stdout and SECRET in asked.stdout


@pytest.mark.parametrize("args", [["export", "--id"], ["export", "--format", "csv", "--id"], ["show"], ["show", "--json"]])
def test_a_private_entry_named_by_id_goes_out(secret_id: str, args: list[str]) -> None:
    if args[0] == "show":
        result = run(args[0], secret_id[:8], *args[1:])
    else:
        result = run(*args, secret_id[:8])
    assert result.exit_code == 0, result.stderr
    assert SECRET in result.stdout


@pytest.mark.parametrize("module", USECASES)
def test_use_cases_import_neither_click_nor_textual(module: str) -> None:
    code = (
        f"import sys, reflect.usecases.{module}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'textual', 'rich')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"reflect.usecases.{module} pulls in {out.stdout.strip()}"
