"""Exports of a journal (HTML report, Markdown, CSV, JSON), their preview, and imports.

    warning = export_to(journal, "html", Path("report.html"), since="2025-03-01",
                        pseudonym="Alex")            # what `tandem export` and the app call
    text = export_markdown(journal, kind="incident")
    export_csv(journal, Path("tables.zip"))          # or a folder of CSV files
    preview = preview_export(journal, goal="3fa2")   # what an export would hold
    report = import_file(journal, Path("jrnl.json")) # or a Tandem JSON export

An export is the only way Tandem writes a journal's contents in plaintext, so
every export is written atomically and refuses to write over the journal (or
any Tandem file), `export_to` returns the "NOT encrypted" warning for the
caller to show, and a report can replace the child's name with a pseudonym,
the same in every format.

The modules, none of which imports a format module but `formats`:

- `selection`: the filters (`ExportFilters`), the records they select, and
  `read`, the one consistent reading of the journal every format builds from;
- `pseudonyms`: the child's name and its replacement;
- `json`, `markdown`, `csv`, `html` (with `chart`, `safe_markdown` and the
  Jinja2 templates in templates/): one format each;
- `formats`: `export_to`, one call for every format;
- `preview`: what an export will hold; `importers`: jrnl and Tandem JSON;
- `common` and `writing`: what the formats share, and writing a file safely.
"""

from __future__ import annotations

from journal.reports.chart import CHART_HEIGHT, CHART_WIDTH, chart_svg
from journal.reports.common import EXPORT_VERSION, SECTIONS, SYNC_KEYS
from journal.reports.csv import CSV_FILES, csv_cell, csv_files, entry_field_columns, export_csv
from journal.reports.formats import EXPORT_FORMATS, EXPORT_SUFFIXES, export_to
from journal.reports.html import CSP, STYLE, export_html
from journal.reports.importers import ImportReport, import_file, jrnl_entry_id
from journal.reports.json import export_data, export_json, record_to_export
from journal.reports.markdown import export_markdown
from journal.reports.preview import ExportPreview, preview_export
from journal.reports.pseudonyms import name_pattern, pseudonymizer
from journal.reports.safe_markdown import (
    is_plain_prose,
    markdown_renderer,
    render_markdown,
    safe_link,
)
from journal.reports.selection import (
    MEETING_WEEKS,
    PRESETS,
    ExportFilters,
    Lookups,
    Selection,
    preset_filters,
    read,
    select,
)
from journal.reports.writing import not_encrypted_warning, write_export, write_export_bytes

__all__ = [
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "CSP",
    "CSV_FILES",
    "EXPORT_FORMATS",
    "EXPORT_SUFFIXES",
    "EXPORT_VERSION",
    "MEETING_WEEKS",
    "PRESETS",
    "ExportFilters",
    "ExportPreview",
    "ImportReport",
    "Lookups",
    "SECTIONS",
    "STYLE",
    "SYNC_KEYS",
    "Selection",
    "chart_svg",
    "csv_cell",
    "csv_files",
    "entry_field_columns",
    "export_csv",
    "export_data",
    "export_html",
    "export_json",
    "export_markdown",
    "export_to",
    "import_file",
    "is_plain_prose",
    "jrnl_entry_id",
    "markdown_renderer",
    "name_pattern",
    "not_encrypted_warning",
    "preset_filters",
    "preview_export",
    "pseudonymizer",
    "read",
    "record_to_export",
    "render_markdown",
    "safe_link",
    "select",
    "write_export",
    "write_export_bytes",
]
