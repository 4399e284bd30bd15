"""The core in `journal/` is plain Python: it loads and works without textual or rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_journal_package_never_imports_textual_or_rich() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "journal").rglob("*.py")
        if p.stem != "__main__"
    )
    assert "journal.cli.app" in modules and "journal.reports.html" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"journal/ pulled in: {result.stdout}"


def test_the_app_imports_only_the_screen_it_opens_on() -> None:
    # Start-up time: `screens` and `widgets` import their modules on first use, and
    # the app imports a main screen's module only when it builds that screen.
    script = (
        "import sys\n"
        "from screens.app import TandemApp\n"
        "from screens.journal_screen import JournalScreen\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('screens', 'widgets'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.strip().split(","))
    for unused in ("screens.home_screen", "screens.goals_screen", "screens.welcome_screen"):
        assert unused not in loaded, f"{unused} imported at start: {sorted(loaded)}"
    for unused in ("screens.entry_form_screen", "widgets.thread_view", "widgets.file_picker"):
        assert unused not in loaded, f"{unused} imported at start: {sorted(loaded)}"
    import screens
    import widgets

    assert screens.JournalScreen.__name__ == "JournalScreen"
    assert {name for name in screens.__all__ if not hasattr(screens, name)} == set()
    assert {name for name in widgets.__all__ if not hasattr(widgets, name)} == set()
