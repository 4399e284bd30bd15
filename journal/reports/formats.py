"""One call for every export format: what `tandem export` and the app's Export call.

warning = export_to(journal, "html", Path("report.html"), since="2025-03-01",
                    pseudonym="Alex")
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Unpack

from journal.errors import UsageError
from journal.journal import Journal
from journal.reports.csv import export_csv
from journal.reports.html import export_html
from journal.reports.ics import export_ics
from journal.reports.json import export_json
from journal.reports.markdown import export_markdown
from journal.reports.selection import ExportFilters, check_filters
from journal.reports.writing import not_encrypted_warning, write_export

EXPORT_FORMATS: dict[str, str] = {
    "html": "HTML report (print it or save it as PDF)",
    "md": "Markdown",
    "csv": "CSV for a spreadsheet (a folder, or a .zip)",
    "json": "JSON (Tandem can import it back)",
    "ics": "Calendar of the sessions (.ics)",
}
"""The export formats by the name `tandem export --format` takes, with a description."""

EXPORT_SUFFIXES = {"html": ".html", "md": ".md", "csv": ".zip", "json": ".json", "ics": ".ics"}
"""The usual file name ending of each format (CSV: a zip; a folder works too)."""

_TEXT_EXPORTS: dict[str, Callable[..., str]] = {
    "html": export_html,
    "md": export_markdown,
    "json": export_json,
    "ics": export_ics,
}


def export_to(journal: Journal, fmt: str, out: Path | str, **filters: Unpack[ExportFilters]) -> str:
    """Export the journal (or a filtered part) as `fmt` to `out`; returns the warning.

    `fmt` is one of EXPORT_FORMATS: html (`export_html`), md, json, ics (the
    sessions as a calendar, `export_ics`), or csv (`export_csv`: a folder, or a
    zip when `out` ends with .zip). Filters and
    pseudonym as in `export_json`. Written atomically, never over the
    journal; the result is the one-line warning "the export is NOT
    encrypted: <out>", for the caller to show.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    check_filters(filters)
    path = Path(out)
    if fmt == "csv":
        export_csv(journal, path, **filters)
    else:
        write_export(journal.path, path, _TEXT_EXPORTS[fmt](journal, **filters))
    return not_encrypted_warning(path)
