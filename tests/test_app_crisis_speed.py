"""What makes the crisis panel and the next screens quick to appear (issue 9, item 18).

The figures are bench/bench_tmux.py's; these tests hold the two causes found, without a clock.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from encounter_helpers import SIZE, new_app, settle
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen

ROOT = Path(__file__).resolve().parent.parent


async def test_the_crisis_panel_is_opaque_so_the_form_beneath_is_not_redrawn() -> None:
    """A see-through modal makes Textual redraw the whole encounter beneath, dimmed."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EncounterScreen)
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, CrisisPanel)
        assert app.screen.styles.background.a == 1


def test_home_imports_the_next_screens_once_it_is_ready(tmp_path: Path) -> None:
    """A fresh interpreter (as `reflect` starts): after home shows its list, the encounter
    and the entry view are imported off the UI thread, not when the person presses a key."""
    code = textwrap.dedent(f"""
        import asyncio, sys
        sys.path.insert(0, {str(ROOT)!r})
        from reflect.store import Journal
        from reflect.screens.app import ReflectApp
        async def main():
            app = ReflectApp(Journal({str(tmp_path / "j.json")!r}))
            async with app.run_test(size=(80, 24)) as pilot:
                before = "reflect.screens.encounter" in sys.modules
                wanted = ("reflect.screens.encounter", "reflect.screens.entry_view", "reflect.screens.help")
                # Wait for the warm-up itself (its timer starts the worker a little after
                # home is ready, so "no worker running" was no sign that it had run).
                for _ in range(1500):
                    await pilot.pause(0.02)
                    if getattr(app.screen, "ready", False) and all(m in sys.modules for m in wanted):
                        break
                await app.workers.wait_for_complete()
                print(before, all(m in sys.modules for m in wanted))
        asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"REFLECT_CONFIG": str(tmp_path / "s.json"), "HOME": str(tmp_path),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["False", "True"], done.stdout
