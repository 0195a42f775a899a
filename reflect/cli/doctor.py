"""`reflect doctor`: check every file of the journal, and repair from backups."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from reflect.cli.kit import (
    EXIT_ERROR,
    ReflectContext,
    data_out,
    handle_errors,
    pass_rctx,
    plural,
    say,
)

if TYPE_CHECKING:
    from reflect.store import HealthReport


def _report_dict(report: HealthReport) -> dict[str, Any]:
    return {
        "journal": str(report.journal),
        "ok": report.ok,
        "schema": report.schema,
        "entries": report.entries,
        "months": report.months,
        "stories": report.stories,
        "meetings": report.meetings,
        "drafts": report.drafts,
        "files": [{"path": str(f.path), "status": f.status, "detail": f.detail} for f in report.files],
        "problems": list(report.problems),
        "repaired": list(report.repaired),
    }


def _report_lines(report: HealthReport) -> Iterator[str]:
    yield f"journal:  {report.journal}"
    yield f"schema:   {report.schema if report.schema is not None else 'unknown'}"
    yield (
        f"contents: {plural(report.entries, 'entry')} in {report.months} month file(s), "
        f"{plural(report.stories, 'story')}, {plural(report.meetings, 'meeting')}, "
        f"{report.drafts} draft(s)"
    )
    bad = [f for f in report.files if f.status != "ok"]
    yield f"files:    {len(report.files) - len(bad)} ok, {len(bad)} not"
    for f in bad:
        yield f"  {f.status}: {f.path}" + (f" ({f.detail})" if f.detail else "")
    if report.repaired:
        yield "repaired:"
        for line in report.repaired:
            yield f"  - {line}"
    if report.problems:
        yield "problems:"
        for line in report.problems:
            yield f"  - {line}"
    yield "status:   ok" if report.ok else f"status:   {len(report.problems)} problem(s) remain"


@click.command("doctor")
@click.option("--repair", is_flag=True, help="Restore unreadable files from their newest good backup; rebuild the index.")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON.")
@pass_rctx
@handle_errors
def doctor(rctx: ReflectContext, repair: bool, as_json: bool) -> None:
    """Check every file of the journal; exit 1 when problems remain."""
    from reflect.domain.terminal import escape

    report = rctx.journal.check(repair=repair)
    with data_out() as out:
        if as_json:
            out.write(json.dumps(_report_dict(report), ensure_ascii=False, indent=2) + "\n")
        else:
            for line in _report_lines(report):
                out.write(escape(line, keep_lines=False) + "\n")
    if not report.ok:
        if not repair:
            say("run `reflect doctor --repair` to restore from backups and rebuild the index")
        sys.exit(EXIT_ERROR)
