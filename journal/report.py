"""The printable progress report: one self-contained HTML file.

    html_text = export_html(journal, since="2025-03-01", pseudonym="Alex")
    write_export(journal.path, Path("report.html"), html_text)

Families bring the report to school meetings and doctors; clinicians attach
it to records. It is one file that makes no network request and runs no
script: a strict Content-Security-Policy forbids both, images may only be
inline `data:` URLs, and the charts are SVG drawn here. Entry bodies are
Markdown rendered by markdown-it-py with raw HTML escaped and links limited
to http, https and mailto; every other text people wrote goes through
`html.escape`. With a pseudonym, the child's name is replaced in every text
before it is escaped or rendered, with the same replacement as the other
exports (`journal.exports.pseudonymizer`).

The report reads each table of the journal once, under the journal's lock
(one consistent reading while the app saves), then builds the page from
dictionaries without touching the journal again; plain-prose bodies skip
markdown-it (same HTML, see `render_markdown`). A 10,000-entry journal with
50 goals takes under a second of CPU (bench/report.py).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from journal.exports import (
    Lookups,
    Selection,
    criterion_met,
    lookups,
    measurements_by_goal,
    pseudonymizer,
    select,
)
from journal.journal import Journal
from journal.model import (
    ENTRY_KIND_LABELS,
    KIND_FIELDS,
    Entry,
    Goal,
    GoalEvent,
    Measurement,
    Resource,
    Session,
    Thread,
    utc_now,
)

__all__ = [
    "CSP",
    "chart_svg",
    "export_html",
    "markdown_renderer",
    "is_plain_prose",
    "render_markdown",
    "safe_link",
]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
"""The report's Content-Security-Policy: no script, no request, inline styles and data: images."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only URL schemes a link in the report may use (besides #anchors inside it)."""

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")

UNITS = {"percent": "%", "count": "", "duration": " min", "rating": "/5"}


def esc(text: Any) -> str:
    """Text for HTML (element content or a quoted attribute)."""
    return html.escape(str(text), quote=True)


# --- Markdown ----------------------------------------------------------------------


def safe_link(url: str) -> bool:
    """Whether a link may stay a link: http, https and mailto URLs, or an #anchor.

    Browsers ignore tabs, newlines and control characters inside a scheme
    ("java\\tscript:"), so they are removed before the scheme is read. A
    link with any other scheme, or a relative one, stays text.
    """
    cleaned = _INVISIBLE.sub("", url)
    if cleaned.startswith("#"):
        return True
    match = _SCHEME.match(cleaned)
    return match is not None and match.group(1).lower() in LINK_SCHEMES


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image in an entry becomes a link to it (the report loads no image from anywhere)."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    label = esc(f"[image: {alt}]" if alt.strip() else "[image]")
    src = token.attrGet("src")
    if isinstance(src, str) and src and safe_link(src):
        return f'<a class="image-link" href="{esc(src)}" rel="noopener noreferrer">{label}</a>'
    return label


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


class _SafeMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        """Only links `safe_link` accepts."""
        return safe_link(url)


def markdown_renderer() -> MarkdownIt:
    """CommonMark with raw HTML escaped, links limited by `safe_link`, images as links."""
    md = _SafeMarkdown("commonmark", {"html": False})
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    return md


_MARKDOWN_BYTES = bytes(
    sorted(set(b"\\`*_[]!<>&#=~|") | set(range(0, 9)) | set(range(11, 32)) | {127})
)
"""Characters Markdown gives a meaning to, or that CommonMark changes (\r, NUL...)."""
_LINE_START = re.compile(r"\n[ \t\d+-]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def is_plain_prose(text: str) -> bool:
    """True when CommonMark would render `text` as nothing but paragraphs of its text.

    No character Markdown gives a meaning to, no line starting with a space,
    a tab, a digit, - or +, and no line ending in a space or tab. Checked
    with bytes.translate and substring searches: a regular expression over
    every character is the slow part of a big report otherwise.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw.translate(None, _MARKDOWN_BYTES)) != len(raw):
        return False
    if " \n" in text or "\t\n" in text:
        return False
    return _LINE_START.search("\n" + text) is None


def _escape(text: str) -> str:
    """Escape as markdown-it does (& < > and double quotes)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def render_markdown(md: MarkdownIt, text: str) -> str:
    """Markdown to HTML with `md`; plain prose (most entries) takes a shortcut, same result.

    For text `is_plain_prose` accepts, CommonMark's result is its paragraphs
    (split at blank lines, stripped) escaped as markdown-it escapes them:
    that is built directly, because markdown-it is the slow part of a big
    report. tests/test_report.py checks both give the same HTML.
    """
    if is_plain_prose(text):
        # A paragraph is what is between blank lines (of spaces and tabs only); its
        # text is stripped of any whitespace, as markdown-it-py does (str.strip).
        return "".join(
            f"<p>{_escape(paragraph.strip())}</p>\n"
            for paragraph in _BLANK_LINE.split(text)
            if paragraph.strip(" \t\n")
        )
    return md.render(text)


# --- small formatting helpers --------------------------------------------------------


def _day_label(day: str) -> str:
    """'2025-03-04' as 'Tuesday 4 March 2025' (the text itself if it is not a date)."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return day
    return f"{parsed:%A} {parsed.day} {parsed:%B %Y}"


def _when(stamp: str) -> str:
    """A stored UTC time as '2025-03-01 14:05 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


def _score(goal: Goal, m: Measurement) -> str:
    """A data point as people read it: '7/10 (70%)', '12', '8 min', '4/5'."""
    score = m.score
    if score is None:
        return "-"
    if m.correct is not None and m.total:
        return f"{m.correct}/{m.total} ({score:.0f}%)"
    return f"{score:g}{UNITS.get(goal.measure, '')}"


def _value(goal: Goal, value: float) -> str:
    unit = UNITS.get(goal.measure, "")
    return f"{value:.0f}{unit}" if goal.measure == "percent" else f"{value:g}{unit}"


def _text_block(text: str) -> str:
    """A plain text that keeps its line breaks (structured fields, notes)."""
    return f'<span class="text">{esc(text.strip())}</span>'


# --- the goal chart --------------------------------------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 16, 14, 40


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def chart_svg(goal: Goal, points: Sequence[Measurement], chart_id: str, title: str) -> str:
    """An inline SVG line chart of a goal's data points over time.

    Axes with value and date labels, the mastery criterion as a dashed line,
    the points joined by a polyline, each point with its own <title>, and a
    <title>/<desc> for screen readers. `title` is the (escaped here) goal
    title as the report shows it. Points without a score are left out.
    """
    data: list[tuple[int, float, Measurement]] = []
    for m in points:
        score = m.score
        try:
            day = date.fromisoformat(m.date[:10]).toordinal()
        except ValueError:
            continue
        if score is not None and math.isfinite(score):
            data.append((day, score, m))
    criterion = goal.criterion_value
    if goal.measure == "percent":
        low, high = 0.0, 100.0
    elif goal.measure == "rating":
        low, high = 0.0, 5.0
    else:
        top = max([criterion, *(s for _d, s, _m in data)])
        if top <= 0:
            low, high = 0.0, 1.0
        else:
            step = _nice_step(top * 1.1)
            low, high = 0.0, step * math.ceil(top * 1.1 / step)
    first = min((d for d, _s, _m in data), default=0)
    last = max((d for d, _s, _m in data), default=0)
    if last == first:
        first, last = first - 1, last + 1
    plot_w = CHART_WIDTH - _LEFT - _RIGHT
    plot_h = CHART_HEIGHT - _TOP - _BOTTOM

    def x(day: int) -> float:
        return _LEFT + (day - first) / (last - first) * plot_w

    def y(value: float) -> float:
        clamped = min(max(value, low), high)
        return _TOP + (1 - (clamped - low) / (high - low)) * plot_h

    scores = [s for _d, s, _m in data]
    summary = (
        f"{len(data)} data points from {data[0][2].date} to {data[-1][2].date}; "
        f"latest {_score(goal, data[-1][2])}; criterion {goal.criterion_text()}."
        if data
        else "No data points in this period."
    )
    if scores:
        summary += f" Lowest {_value(goal, min(scores))}, highest {_value(goal, max(scores))}."
    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="{CHART_WIDTH}" '
        f'height="{CHART_HEIGHT}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{title}: data over time</title>',
        f'<desc id="{chart_id}-d">{esc(summary)}</desc>',
        '<g class="grid">',
    ]
    step = _nice_step(high - low, 5)
    tick = low
    while tick <= high + 1e-9:
        ty = y(tick)
        parts.append(
            f'<line x1="{_LEFT}" y1="{ty:.1f}" x2="{CHART_WIDTH - _RIGHT}" y2="{ty:.1f}"/>'
            f'<text class="ylabel" x="{_LEFT - 6}" y="{ty + 3.5:.1f}">'
            f"{esc(_value(goal, tick))}</text>"
        )
        tick += step
    parts.append("</g>")
    bottom = _TOP + plot_h
    parts.append(
        f'<g class="axis"><line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}"/>'
        f'<line x1="{_LEFT}" y1="{bottom}" x2="{CHART_WIDTH - _RIGHT}" y2="{bottom}"/>'
    )
    if data:
        count = min(6, max(2, len({d for d, _s, _m in data})))
        seen: set[int] = set()
        for i in range(count):
            day = round(first + (last - first) * i / (count - 1))
            if day in seen:
                continue
            seen.add(day)
            label = date.fromordinal(day).isoformat()
            anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
            tx = x(day)
            parts.append(
                f'<line x1="{tx:.1f}" y1="{bottom}" x2="{tx:.1f}" y2="{bottom + 4}"/>'
                f'<text class="xlabel" x="{tx:.1f}" y="{bottom + 16}" '
                f'text-anchor="{anchor}">{label}</text>'
            )
    parts.append("</g>")
    cy = y(criterion)
    parts.append(
        f'<line class="criterion" x1="{_LEFT}" y1="{cy:.1f}" x2="{CHART_WIDTH - _RIGHT}" '
        f'y2="{cy:.1f}" stroke-dasharray="6 4"><title>Mastery criterion: '
        f"{esc(goal.criterion_text())}</title></line>"
        f'<text class="criterion-label" x="{CHART_WIDTH - _RIGHT}" y="{cy - 4:.1f}" '
        f'text-anchor="end">criterion {esc(_value(goal, criterion))}</text>'
    )
    if data:
        coords = [(x(d), y(s)) for d, s, _m in data]
        joined = " ".join(f"{px:.1f},{py:.1f}" for px, py in coords)
        parts.append(f'<polyline class="series" points="{joined}"/>')
        parts.append('<g class="points">')
        for (px, py), (_d, _s, m) in zip(coords, data, strict=True):
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.2">'
                f"<title>{esc(m.date)}: {esc(_score(goal, m))}</title></circle>"
            )
        parts.append("</g>")
    else:
        parts.append(
            f'<text class="empty" x="{_LEFT + plot_w / 2:.0f}" y="{_TOP + plot_h / 2:.0f}" '
            'text-anchor="middle">No data in this period</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- the page -------------------------------------------------------------------------

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.5rem 4rem; color: #1d232a;
  background: #fff; font: 16px/1.5 Georgia, "Times New Roman", "DejaVu Serif", serif; }
h1, h2, h3, h4, h5, .kicker, nav, table, .meta, dl, figcaption, .notice, .tags {
  font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 2rem; margin: .2rem 0 1rem; line-height: 1.2; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 1rem; padding-bottom: .3rem;
  border-bottom: 2px solid #1f5f8b; }
h3 { font-size: 1.2rem; margin: 2rem 0 .6rem; }
h4 { font-size: 1.05rem; margin: 0 0 .3rem; }
h5 { font-size: .95rem; margin: 1rem 0 .3rem; }
a { color: #1f5f8b; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #555; margin: 0;
  font-size: .85rem; }
.cover { border-bottom: 1px solid #ccc; padding-bottom: 1.5rem; }
dl { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .15rem 1rem;
  margin: .6rem 0; font-size: .92rem; }
dt { font-weight: 600; color: #333; }
dd { margin: 0; }
dl.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
  gap: .1rem 1.2rem; }
dl.fields > div { display: flex; gap: .5rem; }
dl.fields > div.wide { grid-column: 1 / -1; display: grid;
  grid-template-columns: minmax(9rem, max-content) 1fr; gap: 0 1rem; }
.text { white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .88rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .5rem;
  border-bottom: 1px solid #ddd; }
th { background: #eef3f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; background: #eef3f7;
  font-size: .85rem; white-space: nowrap; }
.met { background: #e3f4e1; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
.notice { background: #fff6e0; border-left: 4px solid #d99a00; padding: .5rem .8rem;
  font-size: .9rem; }
figure { margin: .8rem 0; }
figcaption { font-size: .85rem; color: #444; }
svg.chart { width: 100%; height: auto; max-width: 640px; display: block;
  font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
svg.chart .grid line { stroke: #e2e6ea; stroke-width: 1; }
svg.chart .axis line { stroke: #555; stroke-width: 1; }
svg.chart text { font-size: 11px; fill: #333; }
svg.chart .ylabel { text-anchor: end; }
svg.chart .criterion { stroke: #b03a2e; stroke-width: 1.5; }
svg.chart .criterion-label { fill: #b03a2e; font-size: 11px; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; }
svg.chart .series { fill: none; stroke: #1f5f8b; stroke-width: 2; stroke-linejoin: round; }
svg.chart .points circle { fill: #1f5f8b; stroke: #fff; stroke-width: 1; }
svg.chart .empty { fill: #777; font-size: 13px; }
article.goal { margin: 1.5rem 0 2.5rem; }
/* A browser lays out only the days on screen: a 10,000-entry report opens 3x faster. */
.day, article.goal { content-visibility: auto; contain-intrinsic-size: auto 600px; }
article.entry { margin: 0 0 1.2rem; padding: .6rem .9rem; border: 1px solid #dde3e8;
  border-radius: .4rem; }
article.entry .kind { font-weight: 400; color: #1f5f8b; margin-right: .4rem; }
article.entry time { color: #555; font-weight: 400; margin-right: .4rem; }
.meta { color: #555; font-size: .85rem; margin: 0 0 .4rem; }
.body p:first-child { margin-top: .4rem; }
.body { overflow-wrap: anywhere; }
.body pre { white-space: pre-wrap; background: #f5f5f5; padding: .5rem; }
blockquote { margin: .4rem 0; padding-left: .8rem; border-left: 3px solid #ccc; color: #333; }
.thread, .addenda { margin-top: .6rem; padding-left: .8rem; border-left: 3px solid #dde3e8; }
.comment { margin: .4rem 0; }
.comment .body p { margin: .2rem 0; }
@page { margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .major { break-before: page; page-break-before: always; }
  nav, .screen-only { display: none; }
  h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  figure, tr, article.entry, .comment, dl { break-inside: avoid; page-break-inside: avoid; }
  article.goal > header { break-after: avoid; }
  .day, article.goal { content-visibility: visible; }
  a { color: inherit; }
  a[href^="http"]::after, a[href^="mailto"]::after { content: " <" attr(href) ">";
    font-size: .8em; overflow-wrap: anywhere; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


class _Report:
    """Builds the report's HTML from one selection, reading each table once."""

    def __init__(
        self,
        journal: Journal,
        chosen: Selection,
        replace: Callable[[str], str],
        *,
        since: str | None,
        until: str | None,
        kind: str | None,
        goal: str | None,
    ) -> None:
        self.chosen = chosen
        self.replace = replace
        self.filters = {"since": since, "until": until, "kind": kind, "goal": goal}
        self.found: Lookups = lookups(journal, chosen)
        self.md = markdown_renderer()
        self.all_points = measurements_by_goal(journal)
        self.period_points: dict[str, list[Measurement]] = {}
        for m in chosen.measurements:
            self.period_points.setdefault(m.goal_id, []).append(m)
        self.history: dict[str, list[GoalEvent]] = {}
        if chosen.goals:
            for event in sorted(journal.all(GoalEvent), key=lambda e: (e.created_at, e.id)):
                self.history.setdefault(event.goal_id, []).append(event)
        self.out: list[str] = []
        self._names: dict[str, str] = {}
        self._goal_titles: dict[str, str] = {}

    # text people wrote: replaced, then escaped or rendered
    def t(self, text: Any) -> str:
        return esc(self.replace(str(text)))

    def block(self, text: str) -> str:
        return _text_block(self.replace(text))

    def markdown(self, text: str) -> str:
        return render_markdown(self.md, self.replace(text))

    def name(self, member_id: str | None) -> str:
        key = member_id or ""
        shown = self._names.get(key)
        if shown is None:
            shown = self._names[key] = self.t(self.found.name(member_id))
        return shown

    def goal_title(self, goal_id: str) -> str:
        shown = self._goal_titles.get(goal_id)
        if shown is None:
            title = self.found.goal_titles.get(goal_id, goal_id[:8])
            shown = self._goal_titles[goal_id] = self.t(title)
        return shown

    # --- the whole page -------------------------------------------------------------
    def build(self) -> str:
        info = self.chosen.info
        title = self.t(" ".join(info.title.split()) or "Tandem journal")
        out = self.out
        out.append(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="Tandem">\n'
            f"<title>{title}: progress report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        )
        self.cover(title)
        self.goals()
        self.entries()
        self.sessions()
        self.resources()
        self.topics()
        out.append(
            '<footer class="meta"><p>Made with Tandem. This file is not encrypted.</p></footer>\n'
            "</body>\n</html>\n"
        )
        return "".join(out)

    def period(self) -> str:
        days = [e.occurred_at[:10] for e in self.chosen.entries]
        days += [m.date for m in self.chosen.measurements]
        start = self.filters["since"] or (min(days) if days else "")
        end = self.filters["until"] or (max(days) if days else "")
        return f"{start} to {end}" if start or end else "nothing in this period"

    def cover(self, title: str) -> None:
        chosen, out = self.chosen, self.out
        info = chosen.info
        out.append('<header class="cover" id="cover">\n<p class="kicker">Progress report</p>\n')
        out.append(f"<h1>{title}</h1>\n<dl>\n")
        out.append(f"<dt>Period</dt><dd>{esc(self.period())}</dd>\n")
        child = " ".join(info.child_name.split())
        if child:
            out.append(f"<dt>Child</dt><dd>{self.t(child)}</dd>\n")
        narrowed = []
        if self.filters["kind"]:
            kind = self.filters["kind"] or ""
            narrowed.append(f"entries of the kind {ENTRY_KIND_LABELS.get(kind, kind)}")
        if self.filters["goal"] and chosen.goals:
            narrowed.append(f"the goal “{self.replace(chosen.goals[0].title)}” and its objectives")
        if narrowed:
            out.append(f"<dt>Only</dt><dd>{esc('; '.join(narrowed))}</dd>\n")
        for label, value in (
            ("Interests", info.interests),
            ("Strengths", info.strengths),
            ("Please avoid", info.avoid),
        ):
            if value.strip():
                out.append(f"<dt>{label}</dt><dd>{self.block(value)}</dd>\n")
        out.append(f"<dt>Made</dt><dd>{esc(_when(utc_now()))}</dd>\n</dl>\n")

        out.append('<h2 id="team">Team</h2>\n<table class="team"><thead><tr><th>Name</th>')
        out.append("<th>Role</th><th>What works</th></tr></thead><tbody>\n")
        for member in chosen.members:
            out.append(
                f"<tr><td>{self.t(member.name)}</td><td>{esc(member.role)}</td>"
                f"<td>{self.block(member.what_works)}</td></tr>\n"
            )
        out.append("</tbody></table>\n")

        if chosen.goals:
            out.append('<h2 id="goal-summary">Goals</h2>\n<table class="goals"><thead><tr>')
            out.append(
                "<th>Goal</th><th>Status</th><th>Criterion</th><th>Latest</th>"
                '<th class="num">Data points</th></tr></thead><tbody>\n'
            )
            for g in chosen.goals:
                points = self.period_points.get(g.id, [])
                latest = "-"
                if points:
                    latest = f"{esc(points[-1].date)}<br>{esc(_score(g, points[-1]))}"
                out.append(
                    f'<tr><td><a href="#goal-{esc(g.id)}">{self.t(g.title)}</a></td>'
                    f"<td>{self.status(g)}</td><td>{esc(g.criterion_text())}</td>"
                    f'<td class="nowrap">{latest}</td><td class="num">{len(points)}</td></tr>\n'
                )
            out.append("</tbody></table>\n")

        out.append(
            '<p class="notice">This report is a plain file: it is <strong>not encrypted</strong>. '
            "Anyone who can open it can read it. Share it only with people who should see it."
            "</p>\n<nav><ul>"
        )
        links = [("goals", "Goals", len(chosen.goals)), ("entries", "Entries", len(chosen.entries))]
        links += [("sessions", "Sessions", len(chosen.sessions))]
        links += [("resources", "Resources", len(chosen.resources))]
        links += [("discussions", "Discussions", sum(1 for t in chosen.threads if t.topic))]
        for anchor, label, count in links:
            if count:
                out.append(f'<li><a href="#{anchor}">{label} ({count:,})</a></li>')
        out.append("</ul></nav>\n</header>\n")

    def status(self, g: Goal) -> str:
        met = criterion_met(g, self.all_points.get(g.id, ()))
        if met and g.status in ("baseline", "acquisition"):
            return (
                f'<span class="status">{esc(g.status)}</span> '
                '<span class="status met">criterion met, awaiting the therapist’s '
                "confirmation</span>"
            )
        return f'<span class="status">{esc(g.status)}</span>'

    # --- goals ----------------------------------------------------------------------
    def goals(self) -> None:
        chosen, out = self.chosen, self.out
        if not chosen.goals:
            return
        out.append('<section class="major" id="goals">\n<h2>Goals and their data</h2>\n')
        for number, g in enumerate(chosen.goals, start=1):
            title = self.t(g.title)
            out.append(f'<article class="goal" id="goal-{esc(g.id)}">\n<header>')
            out.append(f"<h3>{title}</h3>\n")
            if g.parent_id:
                out.append(f'<p class="meta">Objective of “{self.goal_title(g.parent_id)}”</p>\n')
            out.append(f"</header>\n<dl>\n<dt>Status</dt><dd>{self.status(g)}</dd>\n")
            if g.domain:
                out.append(f"<dt>Domain</dt><dd>{self.t(g.domain)}</dd>\n")
            out.append(f"<dt>Criterion</dt><dd>{esc(g.criterion_text())} ({esc(g.measure)})</dd>\n")
            for label, value in (
                ("Definition", g.description),
                ("Method", g.method),
                ("Desired outcome", g.desired_outcome),
                ("Setting", g.setting),
                ("Owner", g.owner),
                ("Started", g.start_date),
                ("Review", g.review_date),
            ):
                if value.strip():
                    out.append(f"<dt>{label}</dt><dd>{self.block(value)}</dd>\n")
            moves = self.history.get(g.id, [])
            if moves:
                shown = "; ".join(
                    f"{esc(e.old_status)} → {esc(e.new_status)} ({esc(e.created_at[:10])}, "
                    f"{self.name(e.author)})"
                    + (f": {self.t(' '.join(e.note.split()))}" if e.note.strip() else "")
                    for e in moves
                )
                out.append(f"<dt>Status history</dt><dd>{shown}</dd>\n")
            out.append("</dl>\n")
            points = self.period_points.get(g.id, [])
            chart_id = f"chart-{number}"
            out.append(
                f"<figure>{chart_svg(g, points, chart_id, title)}<figcaption>{title}: "
                f"{len(points)} data point{'' if len(points) == 1 else 's'}; the dashed line "
                f"is the mastery criterion ({esc(g.criterion_text())}).</figcaption></figure>\n"
            )
            if points:
                out.append(
                    '<table class="data"><thead><tr><th>Date</th><th class="num">Result</th>'
                    "<th>Prompt</th><th>Setting</th><th>Recorded by</th><th>Note</th>"
                    "</tr></thead><tbody>\n"
                )
                for m in points:
                    out.append(
                        f'<tr><td>{esc(m.date)}</td><td class="num">{esc(_score(g, m))}</td>'
                        f"<td>{self.t(m.prompt)}</td><td>{self.t(m.setting)}</td>"
                        f"<td>{self.name(m.author)}</td><td>{self.block(m.note)}</td></tr>\n"
                    )
                out.append("</tbody></table>\n")
            self.thread(g.id)
            out.append("</article>\n")
        out.append("</section>\n")

    # --- entries --------------------------------------------------------------------
    def entries(self) -> None:
        chosen, out = self.chosen, self.out
        out.append(
            f'<section class="major" id="entries">\n<h2>Entries ({len(chosen.entries):,}, '
            "newest first)</h2>\n"
        )
        if not chosen.entries:
            out.append("<p>No entries in this period.</p>\n")
        day = None
        for entry in chosen.entries:
            this_day = entry.occurred_at[:10]
            if this_day != day:
                if day is not None:
                    out.append("</section>\n")
                out.append(
                    f'<section class="day"><h3 id="day-{esc(this_day)}">'
                    f"{esc(_day_label(this_day))}</h3>\n"
                )
                day = this_day
            self.entry(entry)
        if day is not None:
            out.append("</section>\n")
        out.append("</section>\n")

    def entry(self, entry: Entry) -> None:
        out = self.out
        label = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
        out.append(
            f'<article class="entry kind-{esc(entry.kind)}" id="entry-{esc(entry.id)}">\n'
            f'<h4><span class="kind">{esc(label)}</span><time>{esc(entry.occurred_at[11:16])}'
            f"</time>{self.t(entry.title)}</h4>\n"
        )
        meta = [f"By {self.name(entry.author)}"]
        role = self.found.role(entry.author)
        if role:
            meta[0] += f" ({esc(role)})"
        if entry.kind == "session":
            meta.append("finalized" if entry.locked else "draft")
        if entry.tags:
            meta.append("Tags: " + " ".join(f"#{self.t(tag)}" for tag in entry.tags))
        if entry.goals:
            meta.append("Goals: " + "; ".join(self.goal_title(g) for g in entry.goals))
        out.append(f'<p class="meta">{" · ".join(meta)}</p>\n')
        fields = self.fields(entry)
        if fields:
            out.append(f'<dl class="fields">\n{fields}</dl>\n')
        if entry.body.strip():
            out.append(f'<div class="body">{self.markdown(entry.body)}</div>\n')
        addenda = self.found.addenda(entry.id)
        if addenda:
            out.append('<div class="addenda">')
            for addendum in addenda:
                out.append(
                    f'<div class="comment"><h5>Addendum by {self.name(addendum.author)}, '
                    f"{esc(_when(addendum.created_at))}</h5>"
                    f'<div class="body">{self.markdown(addendum.body)}</div></div>\n'
                )
            out.append("</div>\n")
        self.thread(entry.id)
        out.append("</article>\n")

    def fields(self, entry: Entry) -> str:
        values = entry.fields
        if not values:
            return ""
        parts: list[str] = []
        specs = _SPECS.get(entry.kind, ())
        for name, label, long in specs:
            value = values.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            parts.append(self.field(label, str(value), long))
        known = _KNOWN.get(entry.kind, frozenset())
        for name, value in values.items():
            if name not in known and value not in (None, ""):
                label = self.replace(name.replace("_", " ").capitalize())
                parts.append(self.field(label, str(value), True))
        return "".join(parts)

    def field(self, label: str, value: str, long: bool) -> str:
        wide = ' class="wide"' if long or len(value) > 40 or "\n" in value else ""
        return f"<div{wide}><dt>{esc(label)}</dt><dd>{self.block(value)}</dd></div>\n"

    def thread(self, target_id: str) -> None:
        posts = self.found.posts(target_id)
        if not posts:
            return
        out = self.out
        out.append(
            f'<div class="thread"><h5>Thread ({esc(self.found.status(target_id))}, '
            f"{len(posts)} comment{'' if len(posts) == 1 else 's'})</h5>\n"
        )
        for post in posts:
            out.append(
                f'<div class="comment"><p class="meta"><strong>{self.name(post.author)}</strong>, '
                f"{esc(_when(post.created_at))}</p>"
                f'<div class="body">{self.markdown(post.body)}</div></div>\n'
            )
        out.append("</div>\n")

    # --- the rest -------------------------------------------------------------------
    def sessions(self) -> None:
        sessions: list[Session] = self.chosen.sessions
        if not sessions:
            return
        out = self.out
        out.append(
            '<section class="major" id="sessions">\n<h2>Sessions</h2>\n<table class="sessions">'
            '<thead><tr><th>Date</th><th>Time</th><th class="num">Minutes</th><th>Status</th>'
            "<th>Location</th><th>Notes</th></tr></thead><tbody>\n"
        )
        for s in sessions:
            out.append(
                f"<tr><td>{esc(s.starts_at[:10])}</td><td>{esc(s.starts_at[11:16])}</td>"
                f'<td class="num">{s.duration_min}</td><td>{esc(s.status)}</td>'
                f"<td>{self.t(s.location)}</td><td>{self.block(s.notes)}</td></tr>\n"
            )
        out.append("</tbody></table>\n")
        for s in sessions:
            if self.found.posts(s.id):
                out.append(
                    f"<h3>Session of {esc(s.starts_at.replace('T', ' '))}</h3>\n"
                    if s.starts_at
                    else "<h3>A session</h3>\n"
                )
                self.thread(s.id)
        out.append("</section>\n")

    def resources(self) -> None:
        resources: list[Resource] = self.chosen.resources
        if not resources:
            return
        out = self.out
        out.append('<section class="major" id="resources">\n<h2>Resources</h2>\n')
        for r in resources:
            out.append(f'<article class="resource"><h3>{self.t(r.title)} ({esc(r.kind)})</h3>\n')
            out.append(f'<p class="meta">Shared by {self.name(r.author)}')
            if r.goal_id:
                out.append(f" · Goal: {self.goal_title(r.goal_id)}")
            out.append("</p>\n")
            url = self.replace(r.url.strip())
            if url:
                shown = esc(url)
                if safe_link(url):
                    out.append(f'<p><a href="{shown}" rel="noopener noreferrer">{shown}</a></p>\n')
                else:
                    out.append(f"<p>{shown}</p>\n")
            if r.text.strip():
                out.append(f'<div class="body">{self.markdown(r.text)}</div>\n')
            readers = ", ".join(self.name(m) for m in r.acknowledged) or "nobody yet"
            out.append(f'<p class="meta">Read by: {readers}</p>\n')
            self.thread(r.id)
            out.append("</article>\n")
        out.append("</section>\n")

    def topics(self) -> None:
        topics: list[Thread] = [t for t in self.chosen.threads if t.topic]
        if not topics:
            return
        out = self.out
        out.append('<section class="major" id="discussions">\n<h2>Discussions</h2>\n')
        for t in topics:
            out.append(f'<article class="topic"><h3>{self.t(t.title)}</h3>\n')
            out.append(f'<p class="meta">Started by {self.name(t.author)}</p>\n')
            self.thread(t.id)
            out.append("</article>\n")
        out.append("</section>\n")


_SPECS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    kind: tuple((spec.name, spec.label, spec.type == "long") for spec in specs)
    for kind, specs in KIND_FIELDS.items()
}
_KNOWN: dict[str, frozenset[str]] = {
    kind: frozenset(spec.name for spec in specs) for kind, specs in KIND_FIELDS.items()
}


def export_html(
    journal: Journal,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    goal: str | None = None,
    pseudonym: str | None = None,
) -> str:
    """The progress report as one self-contained HTML page (filters as in `export_json`).

    A cover (title, period, the child, the team and their roles, the goals
    with their status), then each goal with its criterion, an SVG chart of
    its data with the criterion line, its data table and thread, then the
    entries by day, newest first, with their structured fields, body,
    addenda and threads, then sessions, resources and discussions. No
    script and no request: see the module's docstring. With `pseudonym`,
    the child's name is replaced everywhere.
    """
    replace = pseudonymizer(journal, pseudonym)
    with journal.lock:  # read once, consistently, even while the app saves or merges
        chosen = select(journal, since=since, until=until, kind=kind, goal=goal)
        report = _Report(
            journal,
            chosen,
            replace,
            since=since,
            until=until,
            kind=kind,
            goal=goal,
        )
    return report.build()  # from here on, only the records read above
