"""`reflect training` as people use it: add, list, edit, delete, certificates kept and
written back, status against the rule packs, the two settings, and trainings through
export and import. Each command on a real journal in tmp_path; one through the installed
`reflect` in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import jsonschema
import pytest

from cli_helpers import one_line_error, run, snapshot
from reflect.domain.formats import schema_path
from reflect.store import Journal
from test_cli_process import reflect_cmd


def add(*extra: str, title: str = "Ethics in peer work", provider: str = "PCB", when: str = "2025-03-01",
        hours: str = "3", category: str = "ethics") -> str:  # fmt: skip
    result = run("training", "add", "--title", title, "--provider", provider, "--date", when, "--hours", hours,
                 "--category", category, *extra)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def stored() -> list[dict]:
    return [t.to_dict() for t in Journal().trainings().all()]


def test_add_prints_only_the_new_id_and_list_shows_it(db_path: Path):
    tid = add("--tag", "network", "--notes", "CEU 42")
    assert len(tid) == 36 and "\n" not in tid
    assert stored() == [{
        "id": tid, "title": "Ethics in peer work", "provider": "PCB", "date": "2025-03-01", "hours": 3,
        "category": "ethics", "tags": ["network"], "certificate": None, "notes": "CEU 42",
    }]  # fmt: skip
    table = run("training", "list")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[1].startswith(f"2025-03-01 {tid[:8]}     3  ethics")
    listed = run("training", "list", "--json")
    assert json.loads(listed.stdout) == stored()


def test_dates_take_phrases_and_hours_take_halves_and_quarters(db_path: Path):
    add(when="yesterday", hours="1.5")
    add(hours="0.75", title="Other")
    assert sorted(t["hours"] for t in stored()) == [0.75, 1.5]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("--hours", "0.3"), ("hours:", "quarter")),
        (("--hours", "0"), ("hours:", "more than 0")),
        (("--hours", "two"), ("--hours:",)),
        (("--hours", "500"), ("hours:", "at most 200")),
        (("--category", "Ethics!"), ("category:", "lowercase word")),
        (("--category", "ethcs"), ("category:", "not a category your rules know")),
        (("--date", "someday"), ("--date",)),
        (("--title", "  "), ("title:", "required")),
        (("--certificate", "/nonexistent/cert.pdf"), ("--certificate:", "no such file")),
    ],
)
def test_bad_input_is_one_line_exit_2_and_the_journal_unchanged(tmp_path: Path, args: tuple[str, ...],
                                                                  needles: tuple[str, ...]):  # fmt: skip
    add()
    before = snapshot(tmp_path)
    base = {"--title": "T", "--provider": "P", "--date": "2025-01-01", "--hours": "1", "--category": "peer"}
    base.update(dict(zip(args[::2], args[1::2])))
    result = run("training", "add", *[x for kv in base.items() for x in kv])
    one_line_error(result, *needles, code=2)
    assert snapshot(tmp_path) == before


def test_a_missing_option_is_named(db_path: Path):
    one_line_error(run("training", "add", "--title", "T"), "--provider: required", code=2)
    assert not (db_path.parent / "journal.json.d" / "trainings.json").exists()


def test_a_category_of_the_chosen_pack_file_is_known(tmp_path: Path):
    mine = tmp_path / "mine.json"
    pack = json.loads((Path(schema_path().parent.parent) / "rules" / "training" / "icrc.json").read_text())
    pack.update(name="my-board", requirements=[{"name": "equity", "min_hours": 2}])
    mine.write_text(json.dumps(pack))
    one_line_error(run("training", "add", "--title", "T", "--provider", "P", "--date", "2025-01-01", "--hours", "1",
                       "--category", "equity"), "not a category", code=2)  # fmt: skip
    assert run("config", "training_rules", str(mine)).exit_code == 0
    add(category="equity")
    status = json.loads(run("training", "status", "--format", "json", "--certified-on", "2024-06-01",
                            "--on", "2025-06-01").stdout)  # fmt: skip
    assert status["rules"] == "my-board" and status["categories"][0]["done"] == 3


def test_certificate_is_kept_0600_and_written_back_byte_for_byte(tmp_path: Path, db_path: Path):
    cert = tmp_path / "inputs" / "Certificate of completion.pdf"
    cert.parent.mkdir()
    data = bytes(range(256)) * 1000 + b"%%EOF\r\n\x00"
    cert.write_bytes(data)
    tid = add("--certificate", str(cert))
    meta = stored()[0]["certificate"]
    assert meta == {"name": cert.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    kept = list((tmp_path / "journal.json.d" / "certificates").iterdir())
    assert len(kept) == 1 and stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    out = tmp_path / "out.pdf"
    result = run("training", "certificate", tid[:6], "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and out.read_bytes() == data and stat.S_IMODE(out.stat().st_mode) == 0o600
    piped = run("training", "certificate", tid)
    assert piped.stdout_bytes == data
    assert run("training", "list").stdout.splitlines()[1].split()[4] == "C"


def test_a_certificate_too_large_is_refused_before_anything_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import reflect.domain.training as training

    monkeypatch.setattr(training, "MAX_CERTIFICATE_BYTES", 1024)
    big = tmp_path / "inputs" / "scan.png"
    big.parent.mkdir()
    big.write_bytes(b"x" * 1025)
    before = snapshot(tmp_path)
    result = run("training", "add", "--title", "T", "--provider", "P", "--date", "2025-01-01", "--hours", "1",
                 "--category", "peer", "--certificate", str(big))  # fmt: skip
    one_line_error(result, "--certificate:", "larger than", code=2)
    assert snapshot(tmp_path) == before


def test_a_changed_certificate_file_is_reported_not_handed_out(tmp_path: Path):
    cert = tmp_path / "inputs" / "c.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"original")
    tid = add("--certificate", str(cert))
    kept = next((tmp_path / "journal.json.d" / "certificates").iterdir())
    kept.write_bytes(b"tampered")
    result = run("training", "certificate", tid, "-o", str(tmp_path / "out.pdf"))
    one_line_error(result, "does not match its record", code=1)
    assert not (tmp_path / "out.pdf").exists()


def test_certificate_of_a_training_without_one(db_path: Path):
    tid = add()
    one_line_error(run("training", "certificate", tid, "-o", "x.pdf"), "has no certificate", code=1)


def test_edit_changes_the_given_fields_and_replaces_or_drops_the_certificate(tmp_path: Path):
    cert = tmp_path / "inputs" / "a.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"first")
    tid = add("--certificate", str(cert))
    cert2 = tmp_path / "inputs" / "b.pdf"
    cert2.write_bytes(b"second version")
    result = run("training", "edit", tid[:5], "--hours", "2.5", "--certificate", str(cert2))
    assert result.exit_code == 0, result.stderr
    t = stored()[0]
    assert (t["hours"], t["title"], t["certificate"]["name"]) == (2.5, "Ethics in peer work", "b.pdf")
    out = tmp_path / "out.pdf"
    run("training", "certificate", tid, "-o", str(out))
    assert out.read_bytes() == b"second version"
    assert run("training", "edit", tid, "--no-certificate").exit_code == 0
    assert stored()[0]["certificate"] is None
    assert list((tmp_path / "journal.json.d" / "certificates").iterdir()) == []
    one_line_error(run("training", "edit", tid), "nothing to change", code=2)
    one_line_error(run("training", "edit", tid, "--hours", "-1"), "hours:", code=2)


def test_ids_are_taken_by_a_unique_start(db_path: Path):
    from datetime import date

    from reflect.domain.training import Training

    book = Journal().trainings()
    for tid in ("abc1-one", "abc2-two"):
        book.save(Training(title=tid, provider="P", date=date(2025, 1, 1), hours=1.0, category="peer", id=tid))
    one_line_error(run("training", "edit", "abc", "--hours", "2"), "that id matches 2 trainings", code=1)
    assert run("training", "edit", "abc2", "--hours", "2").exit_code == 0
    assert [t["hours"] for t in stored()] == [1, 2]
    one_line_error(run("training", "delete", "nope", "--yes"), "no training with that id", code=1)
    one_line_error(run("training", "delete", " ", "--yes"), "ID is empty", code=2)


def test_delete_asks_first_and_without_a_terminal_needs_yes(tmp_path: Path):
    cert = tmp_path / "inputs" / "a.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"x")
    tid = add("--certificate", str(cert))
    before = snapshot(tmp_path)
    one_line_error(run("training", "delete", tid[:8]), "use --yes", code=2)
    assert snapshot(tmp_path) == before
    result = run("training", "delete", tid[:8], "--yes")
    assert result.exit_code == 0 and f"deleted training {tid}" in result.stderr
    assert stored() == [] and list((tmp_path / "journal.json.d" / "certificates").iterdir()) == []


def test_delete_on_a_terminal_asks_and_no_keeps_it(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    tid = add()
    monkeypatch.setattr("reflect.cli.training._can_ask", lambda: True)
    result = run("training", "delete", tid, input="n\n")
    assert result.exit_code == 1 and "nothing deleted" in result.stderr and len(stored()) == 1
    assert "This will delete training" in result.stderr
    result = run("training", "delete", tid[:8], input="y\n")
    assert result.exit_code == 0 and stored() == []


# --- status and the settings --------------------------------------------------------------------


STATUS_SCHEMA = jsonschema.Draft202012Validator(
    json.loads(schema_path("training-status").read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
)


def test_status_from_the_settings_text_and_json(db_path: Path):
    one_line_error(run("training", "status"), "training_rules: no rules chosen", code=2)
    assert run("config", "training_rules", "pa-cps").exit_code == 0
    one_line_error(run("training", "status"), "certified_on: not set", code=2)
    assert run("config", "certified_on", "2024-07-01").exit_code == 0
    assert run("config", "certified_on").stdout == "2024-07-01\n"
    add(when="2026-06-30", hours="20", category="peer")
    add(when="2026-07-01", hours="3", title="Next cycle")
    text = run("training", "status", "--on", "2026-06-30")
    assert text.exit_code == 0, text.stderr
    assert "Cycle 2024-07-01 to 2026-06-30: 0 days left" in text.stdout
    assert "missing 4 h" in text.stdout and "Ethics" in text.stdout
    doc = json.loads(run("training", "status", "--format", "json", "--on", "2026-06-30").stdout)
    STATUS_SCHEMA.validate(doc)
    assert {k: doc[k] for k in ("format", "version", "rules", "cycle")} == {
        "format": "reflect-training-status", "version": 1, "rules": "pa-cps",
        "cycle": {"start": "2024-07-01", "end": "2026-06-30", "days_left": 0},
    }  # fmt: skip
    assert [(c["name"], c["required"], c["done"], c["missing"]) for c in doc["categories"]] == [
        ("peer", 24, 20, 4), ("ethics", 3, 0, 3), ("elective", 0, 0, 0)
    ]
    assert doc["total"] == {"required": 36, "done": 20, "missing": 16}
    ga = json.loads(run("training", "status", "--rules", "ga-cps", "--format", "json", "--on", "2026-07-02").stdout)
    STATUS_SCHEMA.validate(ga)
    assert ga["rules"] == "ga-cps" and ga["cycle"]["start"] == "2026-01-01" and ga["total"]["done"] == 23


def test_settings_refuse_what_cannot_be_used_and_keep_the_file_unchanged(tmp_path: Path):
    assert run("config", "training_rules", "icrc").exit_code == 0
    before = (tmp_path / "settings.json").read_bytes()
    one_line_error(run("config", "training_rules", "pa"), "training_rules:", "pa-cps", code=2)
    one_line_error(run("config", "training_rules", str(tmp_path / "missing.json")), "no such file", code=2)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "reflect-training-rules", "version": 1}')
    one_line_error(run("config", "training_rules", str(bad)), "bad.json", "missing", code=2)
    one_line_error(run("config", "certified_on", "July 2024"), "certified_on", code=2)
    assert (tmp_path / "settings.json").read_bytes() == before
    assert run("config", "--unset", "training_rules").exit_code == 0
    assert json.loads(run("config").stdout)["training_rules"] == ""


def test_a_pack_file_given_by_a_relative_path_is_kept_as_its_full_path(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):  # fmt: skip
    src = Path(schema_path().parent.parent) / "rules" / "training" / "nebraska.json"
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "ne.json").write_bytes(src.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert run("config", "training_rules", "packs/ne.json").exit_code == 0
    assert run("config", "training_rules").stdout.strip() == str(tmp_path / "packs" / "ne.json")


# --- export and import ---------------------------------------------------------------------------


def test_trainings_go_through_export_and_import_and_old_documents_still_import(tmp_path: Path):
    cert = tmp_path / "inputs" / "c.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"cert")
    add("--certificate", str(cert), "--tag", "network")
    add(title="WRAP", hours="12.5", category="peer")
    out = tmp_path / "export.json"
    assert run("export", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert doc["trainings"] == stored()
    other = tmp_path / "other.json"
    result = run("--db", str(other), "import", str(out))
    assert result.exit_code == 0, result.stderr
    assert "trainings: 2 added" in result.stderr
    assert [t.to_dict() for t in Journal(other).trainings().all()] == doc["trainings"]
    again = run("--db", str(other), "import", str(out))
    assert "trainings: 0 added, 2 unchanged" in again.stderr
    # The certificate's details travel; the file does not, and saying so beats a wrong file.
    tid = doc["trainings"][0]["id"]
    one_line_error(run("--db", str(other), "training", "certificate", tid, "-o", str(tmp_path / "x")),
                   "not in this journal", code=1)  # fmt: skip
    # A document written before trainings existed imports as it did.
    del doc["trainings"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc))
    third = tmp_path / "third.json"
    assert run("--db", str(third), "import", str(old)).exit_code == 0
    assert Journal(third).trainings().all() == []


def test_an_import_with_a_changed_training_is_a_conflict_unless_replace(tmp_path: Path):
    add()
    out = tmp_path / "export.json"
    run("export", "-o", str(out))
    doc = json.loads(out.read_text())
    doc["trainings"][0]["hours"] = 4
    out.write_text(json.dumps(doc))
    result = run("import", str(out))
    assert result.exit_code != 0 and "already in the journal" in result.stderr and stored()[0]["hours"] == 3
    assert run("import", "--replace", str(out)).exit_code == 0 and stored()[0]["hours"] == 4
    doc["trainings"][0]["hours"] = 0.1
    out.write_text(json.dumps(doc))
    one_line_error(run("import", str(out)), "training 1", "hours", code=2)


# --- through the installed command ---------------------------------------------------------------


def test_training_commands_through_the_installed_reflect(tmp_path: Path):
    cmd = reflect_cmd()
    cert = tmp_path / "c.pdf"
    cert.write_bytes(b"%PDF-1.4 \x00\xff")
    added = subprocess.run(cmd + ["training", "add", "--title", "Ethics", "--provider", "Board", "--date", "2025-02-01",
                                  "--hours", "6", "--category", "ethics", "--certificate", str(cert)],
                           capture_output=True, timeout=120)  # fmt: skip
    assert added.returncode == 0, added.stderr
    tid = added.stdout.decode().strip()
    status = subprocess.run(cmd + ["training", "status", "--rules", "icrc", "--certified-on", "2024-06-01",
                                   "--on", "2025-06-01", "--format", "json"], capture_output=True, timeout=120)  # fmt: skip
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    STATUS_SCHEMA.validate(doc)
    assert doc["categories"][0] == {"name": "ethics", "required": 6, "done": 6, "missing": 0, "label": "Ethics",
                                    "met": True}  # fmt: skip
    back = subprocess.run(cmd + ["training", "certificate", tid[:8]], capture_output=True, timeout=120)
    assert back.returncode == 0 and back.stdout == cert.read_bytes()


def test_doctor_reads_the_trainings_and_repair_restores_a_damaged_file(tmp_path: Path):
    add()
    add(title="Second")
    table = tmp_path / "journal.json.d" / "trainings.json"
    good = stored()
    table.write_text('{"trainings": {"1": {"title": "x"}}}')  # valid JSON, not a training
    result = run("doctor")
    assert result.exit_code == 1 and "trainings.json" in result.stdout + result.stderr
    assert run("doctor", "--repair").exit_code == 0
    assert stored() == good


def test_what_a_training_holds_cannot_drive_the_terminal(db_path: Path):
    add(title="Ethics\x1b[2J\nforged line", provider="P\x07")
    add(title="ethics\x1b[2J\nforged line", provider="p\x07", when="2025-04-01")
    table = run("training", "list").stdout
    assert "\x1b" not in table and "\x07" not in table and len(table.splitlines()) == 3
    assert "Ethics\\x1b[2J forged line (P\\x07)" in table  # whitespace folded, as the entry table does
    text = run("training", "status", "--rules", "nebraska", "--certified-on", "2024-07-01", "--on", "2025-05-01").stdout
    assert "\x1b" not in text and "\x07" not in text and "Counted once: Ethics\\x1b[2J forged line" in text


def test_training_commands_never_import_textual(tmp_path: Path):
    import sys

    code = (
        "import sys\nfrom reflect.cli import main\n"
        "for args in (['training', 'add', '--title', 'T', '--provider', 'P', '--date', '2025-01-01', '--hours', '1',"
        " '--category', 'peer'], ['training', 'list', '--json'],"
        " ['training', 'status', '--rules', 'icrc', '--certified-on', '2024-01-01']):\n"
        "    main(args, standalone_mode=False)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_category_case_and_tags_as_people_type_them(db_path: Path):
    tid = add("--tag", "Network", category="Peer", hours="6")
    assert stored()[0]["category"] == "peer"
    doc = json.loads(run("training", "status", "--rules", "ga-cps", "--format", "json", "--on", "2025-12-31").stdout)
    assert next(c for c in doc["categories"] if c["name"] == "network")["done"] == 6
    assert run("training", "edit", tid, "--tag", "").exit_code == 0
    assert stored()[0]["tags"] == []


def test_a_training_dated_ahead_is_added_with_a_note(db_path: Path):
    from datetime import date, timedelta

    ahead = (date.today() + timedelta(days=30)).isoformat()
    result = run("training", "add", "--title", "T", "--provider", "P", "--date", ahead, "--hours", "1",
                 "--category", "peer")  # fmt: skip
    assert result.exit_code == 0 and "counts it from that day on" in result.stderr
    assert result.stdout.strip() == stored()[0]["id"]


def test_doctor_names_a_damaged_certificate_and_not_one_imported_without_its_file(tmp_path: Path):
    cert = tmp_path / "inputs" / "c.pdf"
    cert.parent.mkdir()
    cert.write_bytes(b"original")
    tid = add("--certificate", str(cert))
    assert run("doctor").exit_code == 0
    kept = next((tmp_path / "journal.json.d" / "certificates").iterdir())
    kept.unlink()  # as after an import: the record names a file this journal never had
    assert run("doctor").exit_code == 0
    kept.write_bytes(b"tampered")
    result = run("doctor")
    assert result.exit_code == 1 and f"the certificate of training {tid} does not match" in result.stdout + result.stderr
    assert run("doctor", "--repair").exit_code == 1  # nothing can restore it: it stays reported


def test_an_export_window_takes_the_trainings_dated_in_it(tmp_path: Path):
    add(when="2025-03-01")
    inside = add(when="2025-04-01", title="April")
    out = tmp_path / "export.json"
    assert run("export", "--since", "2025-03-15", "--until", "2025-04-01", "-o", str(out)).exit_code == 0
    assert [t["id"] for t in json.loads(out.read_text())["trainings"]] == [inside]
