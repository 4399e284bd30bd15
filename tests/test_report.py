"""The HTML progress report: escaped, self-contained, charted, pseudonymized, filtered.

Also `export_to` (the one call behind `tandem export` and the app's Export
command) and the app's Export command itself (`ExportScreen`).
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from textual.app import App
from textual.widgets import Input, Select, Static
from textual.worker import WorkerCancelled, WorkerFailed

from journal.demo import write_demo_journal
from journal.errors import TandemError, UsageError
from journal.journal import Journal
from journal.model import Goal, Measurement
from journal.reports import (
    CHART_HEIGHT,
    CSP,
    STYLE,
    chart_svg,
    export_html,
    export_markdown,
    export_to,
    is_plain_prose,
    markdown_renderer,
    preview_export,
    render_markdown,
    safe_link,
)
from journal.reports.selection import preset_filters, select
from screens.export_screen import ExportScreen, default_output

SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
TODAY = date(2025, 6, 1)


# --- reading the HTML as a browser would -----------------------------------------------


class Page(HTMLParser):
    """Every element with its attributes, the text, and the inside of <style>."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == name]


FORBIDDEN_TAGS = {"script", "img", "iframe", "frame", "object", "embed", "link", "base", "form"}
FORBIDDEN_TAGS |= {"input", "audio", "video", "source", "track", "picture", "image", "use"}
URL_ATTRIBUTES = {"src", "srcset", "action", "formaction", "poster", "background", "data"}
URL_ATTRIBUTES |= {"xlink:href", "ping", "manifest", "cite", "longdesc"}


def assert_self_contained(text: str) -> Page:
    """No script, no element that loads anything, no event handler, safe links only."""
    page = Page(text)
    for tag, attrs in page.elements:
        assert tag not in FORBIDDEN_TAGS, (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert name not in URL_ATTRIBUTES, (tag, name, value)
            assert name != "style", (tag, value)
            if name == "href":
                assert tag == "a" and safe_link(value), (tag, value)
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            raise AssertionError("a meta refresh loads another page")
    assert page.styles == [STYLE]
    assert "url(" not in STYLE and "@import" not in STYLE
    [csp] = [a for t, a in page.elements if t == "meta" and a.get("http-equiv") == CSP_HEADER]
    assert csp["content"] == CSP
    names = [tag for tag, _attrs in page.elements]
    assert names.index("meta") < names.index("style")  # the policy comes first
    return page


CSP_HEADER = "Content-Security-Policy"


def test_the_policy_forbids_scripts_and_requests() -> None:
    assert "default-src 'none'" in CSP
    assert "style-src 'unsafe-inline'" in CSP
    assert "img-src data:" in CSP
    assert "script-src" not in CSP  # falls back to default-src 'none'


# --- journals ---------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Journal:
    """The demo journal (fixed dates), opened by Maya."""
    return write_demo_journal(tmp_path / "demo.tandem", today=TODAY)


def add_hostile(journal: Journal) -> None:
    """HTML, scripts and dangerous links in every kind of text people write."""
    goal = journal.add_goal(f"Goal {SCRIPT}", description=IMG, method="[x](javascript:alert(1))")
    journal.record_measurement(goal.id, correct=5, total=10, note=IMG, date="2025-05-30")
    entry = journal.add_entry(
        "incident",
        f"Title {SCRIPT}",
        f"{SCRIPT}\n\n{IMG}\n\n[click](javascript:alert(1)) [data](data:text/html,<b>x</b>) "
        "[vb](vbscript:msgbox) [file](file:///etc/passwd) [rel](//evil.example/x) "
        "<javascript:alert(1)> ![pixel](https://tracker.example/p.png) "
        "[ok](https://example.org/ok) <mailto:team@example.org>",
        tags=["<b>tag</b>"],
        fields={"setting": IMG, "behavior": SCRIPT, "intensity": 3},
        goals=[goal.id],
        occurred_at="2025-05-31T10:00",
    )
    journal.comment(entry.id, f"Reply {SCRIPT} {IMG}")
    member = journal.add_member(f"Eve {IMG}", "other", what_works=SCRIPT)
    with journal.acting_as(member.id):
        journal.add_entry("win", "From Eve", "Hello", occurred_at="2025-05-31T11:00")
    journal.add_resource(f"Res {SCRIPT}", url="javascript:alert(1)", text=IMG)
    journal.add_session("2025-05-31T15:00", location=IMG, notes=SCRIPT)
    journal.new_topic(f"Topic {IMG}", SCRIPT)


# --- escaping and self-containment -------------------------------------------------------


def test_html_people_wrote_shows_as_text_everywhere(demo: Journal) -> None:
    add_hostile(demo)
    text = export_html(demo)
    page = assert_self_contained(text)
    assert page.text.count(SCRIPT) >= 6
    assert page.text.count(IMG) >= 6
    assert "<b>tag</b>" in page.text
    assert "<script" not in text.lower().replace("&lt;script", "")
    assert "<img" not in text.lower().replace("&lt;img", "")


def test_only_http_https_and_mailto_links_survive(demo: Journal) -> None:
    add_hostile(demo)
    page = assert_self_contained(export_html(demo))
    hrefs = [a["href"] for a in page.tags("a")]
    outside = [h for h in hrefs if not h.startswith("#")]
    assert "https://example.org/ok" in outside
    assert "mailto:team@example.org" in outside
    assert "https://tracker.example/p.png" in outside  # an image becomes a link, never loaded
    assert all(re.match(r"(https?|mailto):", h) for h in outside), outside
    assert "[image: pixel]" in page.text
    for a in page.tags("a"):
        if not a["href"].startswith("#"):
            assert a["rel"] == "noopener noreferrer"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "vbscript:msgbox",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "relative/page.html",
        "",
    ],
)
def test_unsafe_links_are_refused(url: str) -> None:
    assert not safe_link(url)


@pytest.mark.parametrize(
    "url", ["http://a.example", "https://a.example/x?y", "mailto:a@b.example", "#goal-1"]
)
def test_safe_links_are_kept(url: str) -> None:
    assert safe_link(url)


def test_markdown_renders_with_raw_html_escaped() -> None:
    md = markdown_renderer()
    out = render_markdown(md, f"**bold** {SCRIPT}\n\n- a\n- b\n\n<div onclick=x>hi</div>")
    assert "<strong>bold</strong>" in out and "<li>a</li>" in out
    assert "<script" not in out and "<div" not in out
    assert "&lt;script&gt;" in out and "&lt;div onclick=x&gt;" in out
    for unsafe in (
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "<javascript:alert(1)>",
        "![a](javascript:x)",
        "[x](data:text/html,hi)",
    ):
        assert "<a " not in render_markdown(md, unsafe), unsafe  # left as text
    assert render_markdown(md, '[x](https://e.org "t")') == (
        '<p><a href="https://e.org" title="t" rel="noopener noreferrer">x</a></p>\n'
    )


def test_plain_prose_takes_the_shortcut_with_the_same_result() -> None:
    md = MarkdownIt("commonmark", {"html": False})
    samples = [
        "Slept well.",
        'Ate pasta, "two" bites; it\'s new.\nSecond line.\n\nNew paragraph.',
        "  leading spaces",
        "1. a list",
        "- item",
        "trailing two  \nspaces",
        "tab\tinside",
        "",
        "\n\n",
        "a\r\nb",
        "un\u00a0break\u00a0",
        "\u00a0starts with nbsp",
        "Ends with\n\n\n",
    ]
    for text in samples:
        assert render_markdown(markdown_renderer(), text) == md.render(text), text
    assert is_plain_prose("Slept well. Ate pasta.\n\nGood day.")
    assert not is_plain_prose("**bold**")
    assert not is_plain_prose("- item")


PROSE_ALPHABET = "ab Z.,;:'\"?()-+1 \n\t\u00a0é\u2003*_#>!<&"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(PROSE_ALPHABET)), max_size=60))
def test_the_shortcut_never_changes_the_html(text: str) -> None:
    md = MarkdownIt("commonmark", {"html": False})
    if is_plain_prose(text):
        assert render_markdown(markdown_renderer(), text) == md.render(text)


def test_an_empty_journal_makes_a_valid_report(journal: Journal) -> None:
    text = export_html(journal)
    page = assert_self_contained(text)
    assert "No entries in this period." in page.text
    assert not page.tags("svg")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")


# --- the cover and the print layout ---------------------------------------------------------


def test_cover_has_title_period_team_and_goal_status(demo: Journal) -> None:
    page = Page(export_html(demo))
    text = page.text
    assert "Sam's journal" in text and "Progress report" in text
    assert "Period" in text and "Child" in text
    for member in demo.members():
        assert member.name in text
    assert "therapist" in text and "parent" in text
    for goal in demo.goals():
        assert goal.title in text
    assert "criterion met, awaiting the therapist’s confirmation" in text
    assert "not encrypted" in text


def test_print_css_breaks_pages_before_major_sections() -> None:
    assert "@media print" in STYLE and "@page" in STYLE
    assert re.search(r"\.major\s*{\s*break-before:\s*page", STYLE)


def article_of(text: str, anchor: str) -> str:
    """The `<article>` of the HTML report whose id is `anchor` (`entry-ID`, `goal-ID`)."""
    article = text[text.index(f'id="{anchor}"') :]
    return article[: article.index("</article>")]


def test_entries_show_structured_fields_with_their_labels(demo: Journal) -> None:
    entry = demo.add_entry(
        "checkin",
        "Evening",
        "Asleep at **20:30**.",
        fields={"bedtime": "20:15", "mood": 4, "medication": "Melatonin 1 mg\nstarted Monday"},
        occurred_at="2025-05-31T21:00",
    )
    demo.comment(entry.id, "Thanks! _Great_ sleep.")
    text = export_html(demo)
    article = article_of(text, f"entry-{entry.id}")
    assert "<dt>Bedtime</dt>" in article and "20:15" in article
    assert "<dt>Mood (1-5)</dt>" in article
    assert "<dt>Medication or supplement changes</dt>" in article
    assert "Melatonin 1 mg\nstarted Monday" in article
    assert "<strong>20:30</strong>" in article
    assert "Thread (open, 1 comment)" in article and "<em>Great</em>" in article


def test_finalized_notes_show_their_addenda(demo: Journal) -> None:
    note = demo.add_entry(
        "session", "Session", "Worked on requests.", occurred_at="2025-05-31T16:00"
    )
    demo.finalize(note.id)
    demo.add_addendum(note.id, "Correction: **3/5**, not 4/5.")
    text = export_html(demo)
    article = article_of(text, f"entry-{note.id}")
    assert "finalized" in article and "Addendum by Maya Rivera" in article
    assert "<strong>3/5</strong>" in article


# --- charts ----------------------------------------------------------------------------------


def charts(text: str) -> dict[str, str]:
    """Goal id -> the SVG chart in its section."""
    found = {}
    for match in re.finditer(
        r'<article class="goal" id="goal-([^"]+)">(.*?)</article>', text, re.S
    ):
        [svg] = re.findall(r"<svg .*?</svg>", match.group(2), re.S)
        found[match.group(1)] = svg
    return found


def test_every_goal_has_a_chart_with_its_points_and_a_dashed_criterion(demo: Journal) -> None:
    text = export_html(demo)
    by_goal = charts(text)
    goals = demo.goals()
    assert set(by_goal) == {g.id for g in goals}
    for goal in goals:
        svg = by_goal[goal.id]
        points = demo.measurements(goal.id)
        [polyline] = re.findall(r'<polyline class="series" points="([^"]+)"', svg)
        assert len(polyline.split()) == len(points) > 0
        assert svg.count("<circle") == len(points)
        [criterion] = re.findall(r'<line class="criterion"[^>]*>', svg)
        assert 'stroke-dasharray="6 4"' in criterion
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert labelled is not None
        for ref in labelled.group(1).split():
            assert f'id="{ref}"' in svg
        assert re.search(r'class="xlabel"[^>]*>\d{4}-\d{2}-\d{2}<', svg)  # dated x axis
        assert 'class="ylabel"' in svg  # valued y axis
        data_table = article_of(text, f"goal-{goal.id}")
        assert data_table.count("<tr>") == len(points) + 1  # header + one row per point


def test_criterion_line_sits_at_the_criterion_value() -> None:
    goal = Goal(title="Requests", measure="percent", criterion_value=80.0)
    points = [
        Measurement(goal_id=goal.id, date=f"2025-03-0{d}", correct=c, total=10)
        for d, c in ((1, 2), (2, 5), (3, 10))
    ]
    svg = chart_svg(goal, points, "c1", "Requests")
    y = float(re.findall(r'<line class="criterion" x1="[\d.]+" y1="([\d.]+)"', svg)[0])
    ys = [float(p.split(",")[1]) for p in re.findall(r'points="([^"]+)"', svg)[0].split()]
    top, bottom = min(ys), max(ys)  # 100% and 20%
    assert top < y < bottom
    assert abs((bottom - y) / (bottom - top) - (80 - 20) / (100 - 20)) < 0.01
    assert "criterion 80%" in svg


def test_charts_of_other_measures_and_of_no_data() -> None:
    count = Goal(title="Words", measure="count", criterion_value=10.0)
    svg = chart_svg(count, [Measurement(date="2025-03-01", value=25.0)], "c2", "Words")
    assert "<polyline" in svg and svg.count("<circle") == 1
    ys = [float(v) for v in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert all(0 <= v <= CHART_HEIGHT for v in ys)  # the axis reaches the highest value
    empty = chart_svg(count, [], "c3", "Words")
    assert "<polyline" not in empty and "No data in this period" in empty
    assert '<line class="criterion"' in empty
    rating = Goal(title="Calm", measure="rating", criterion_value=4.0)
    svg = chart_svg(rating, [Measurement(date="bad date", value=3.0)], "c4", "Calm")
    assert "No data in this period" in svg  # an unreadable date is left out, not a crash


# --- pseudonym ---------------------------------------------------------------------------------


def names_child(text: str, name: str = "Sam") -> bool:
    return re.search(rf"(?<!\w){name}(?!\w)", html.unescape(text), re.IGNORECASE) is not None


def test_a_pseudonym_leaves_no_trace_of_the_childs_name(demo: Journal) -> None:
    entry = demo.add_entry(
        "observation",
        "SAM at the park",
        "sam said *Sam* twice; [Sam](https://example.org/sam)",
        fields={"setting": "Sam's school"},
        occurred_at="2025-05-31T09:00",
    )
    demo.comment(entry.id, "Go Sam!")
    assert names_child(export_html(demo))
    text = export_html(demo, pseudonym="Alex")
    assert not names_child(text)
    shown_text = Page(text).text
    assert "Alex's journal" in shown_text and "Alex at the park" in shown_text
    assert not names_child(export_markdown(demo, pseudonym="Alex"))  # both agree


def test_a_full_name_is_replaced_and_its_first_name_too(demo: Journal) -> None:
    demo.update_info(child_name="Sam Rivera")
    demo.add_entry(
        "win", "Sam Rivera tied his shoes", "Well done Sam", occurred_at="2025-05-31T09:00"
    )
    text = export_html(demo, pseudonym="Alex")
    assert not names_child(text, "Sam")
    assert "Alex tied his shoes" in text
    preview = preview_export(demo, pseudonym="Alex")
    assert not preview.name_appears
    # Issue #13: members are named by role, so the family name goes with their names ...
    assert preview.family_names == [] and "Parent 1" in preview.members
    kept = preview_export(demo, pseudonym="Alex", names=True)
    assert "Maya Rivera" in kept.family_names  # ... unless kept: then the preview says so


def test_a_pseudonym_cannot_contain_the_childs_name(demo: Journal) -> None:
    with pytest.raises(UsageError):
        export_html(demo, pseudonym="Sam Junior")
    with pytest.raises(UsageError):
        export_html(demo, pseudonym="  ")


def test_an_html_pseudonym_is_escaped_too(demo: Journal) -> None:
    text = export_html(demo, pseudonym="<b>A</b>")
    assert "<b>A</b>" not in text and "&lt;b&gt;A&lt;/b&gt;" in text


# --- filters -------------------------------------------------------------------------------------


def entry_ids(text: str) -> list[str]:
    return re.findall(r'<article class="entry [^"]*" id="entry-([^"]+)"', text)


def test_period_narrows_entries_and_data(demo: Journal) -> None:
    text = export_html(demo, since="2025-04-01", until="2025-04-30")
    expected = demo.entries(since="2025-04-01", until="2025-04-30")
    assert entry_ids(text) == [e.id for e in expected]
    assert "2025-04-01 to 2025-04-30" in Page(text).text
    for svg in charts(text).values():
        for day in re.findall(r"<title>(\d{4}-\d{2}-\d{2}):", svg):
            assert "2025-04-01" <= day <= "2025-04-30"


def test_kind_narrows_entries(demo: Journal) -> None:
    text = export_html(demo, kind="incident")
    ids = entry_ids(text)
    assert ids and ids == [e.id for e in demo.entries(kind="incident")]
    assert set(re.findall(r'<article class="entry kind-(\w+)"', text)) == {"incident"}


def test_goal_narrows_to_the_goal_its_objectives_and_their_entries(demo: Journal) -> None:
    parent = next(g for g in demo.goals() if demo.subgoals(g.id))
    family = {parent.id, *(g.id for g in demo.subgoals(parent.id))}
    text = export_html(demo, goal=parent.id[:8])
    assert set(charts(text)) == family
    linked = [e.id for e in demo.entries() if family.intersection(e.goals)]
    assert entry_ids(text) == linked


def test_the_report_reads_each_table_a_fixed_number_of_times(
    demo: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reads(journal: Journal) -> int:
        calls: list[str] = []
        raw = Journal._raw

        def counting(self: Journal, cls: type) -> Any:
            calls.append(cls.__name__)
            return raw(self, cls)

        monkeypatch.setattr(Journal, "_raw", counting)
        export_html(journal)
        monkeypatch.setattr(Journal, "_raw", raw)
        return len(calls)

    before = reads(demo)
    for n in range(60):
        entry = demo.add_entry("win", f"Win {n}", "More", occurred_at="2025-05-31T08:00")
        demo.comment(entry.id, "Nice")
    assert reads(demo) == before  # not one more read per entry or comment


# --- export_to -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_export_to_writes_and_warns(demo: Journal, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    warning = export_to(demo, fmt, out, kind="win", pseudonym="Alex")
    assert warning == f"the export is NOT encrypted: {out}"
    assert "\n" not in warning
    written = out.read_text(encoding="utf-8")
    assert written and not names_child(written)
    assert out.stat().st_mode & 0o777 == 0o600


def test_export_to_refuses_the_journal_and_bad_choices(demo: Journal, tmp_path: Path) -> None:
    before = demo.path.read_bytes()
    with pytest.raises(TandemError):
        export_to(demo, "html", demo.path)
    assert demo.path.read_bytes() == before
    other = tmp_path / "copy.tandem"
    other.write_bytes(before)
    with pytest.raises(TandemError, match="Tandem journal"):
        export_to(demo, "html", other)
    with pytest.raises(UsageError, match="format"):
        export_to(demo, "pdf", tmp_path / "x.pdf")
    with pytest.raises(UsageError, match="after"):
        export_to(demo, "html", tmp_path / "x.html", since="2025-05-01", until="2025-04-01")
    with pytest.raises(UsageError):
        export_to(demo, "html", tmp_path / "x.html", since="May")
    assert not (tmp_path / "x.html").exists()


def test_preview_counts_what_an_export_holds(demo: Journal) -> None:
    preview = preview_export(demo, kind="session")
    assert preview.entries == len(demo.entries(kind="session"))
    assert preview.goals == len(demo.goals())
    assert preview.members == [m.name for m in demo.members()]
    assert preview.child_name == "Sam" and preview.name_appears and preview.mentions > 0
    lines = "\n".join(preview.lines())
    assert "Sam" in lines and "pseudonym" in lines
    hidden = preview_export(demo, pseudonym="Alex")
    assert not hidden.name_appears
    assert "does not appear" in "\n".join(hidden.lines())


# --- the app's Export command ------------------------------------------------------------------


class Host(App[None]):
    """A bare app that shows the Export command on a journal."""

    def __init__(self, journal: Journal, folder: Path) -> None:
        super().__init__()
        self.journal = journal
        self.folder = folder
        self.export_closed = False

    def on_mount(self) -> None:
        self.push_screen(
            ExportScreen(self.journal, folder=self.folder, today=TODAY),
            callback=self._export_closed,
        )

    def _export_closed(self, _result: None) -> None:
        self.export_closed = True


async def settle(app: App[Any]) -> None:
    """Wait for the screen's workers (a cancelled or failed one included: the screen
    shows what went wrong, which is what the tests look at)."""
    for _ in range(6):
        await asyncio.sleep(0.05)
        for _attempt in range(10):
            try:
                await app.workers.wait_for_complete()
                break
            except (WorkerCancelled, WorkerFailed):
                continue


def run_screen(journal: Journal, folder: Path, scenario: Callable[..., Any]) -> None:
    async def main() -> None:
        app = Host(journal, folder)
        async with app.run_test(size=(110, 48)) as pilot:
            await settle(app)
            await scenario(app, pilot)

    asyncio.run(main())


def shown(app: App[Any], widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).content)


@pytest.fixture
def quick_preview(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("screens.export_screen.PREVIEW_DELAY", 0.01)
    yield


def test_export_screen_previews_then_writes(
    demo: Journal, tmp_path: Path, quick_preview: None
) -> None:
    async def scenario(app: Host, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert "NOT encrypted" in str(screen.query_one("#warning").render())
        preview = shown(app, "#preview")
        assert f"{len(demo.entries())} entries" in preview
        assert "Members named: Maya Rivera, Daniel Rivera, Dr. Lee Chen" in preview
        assert "The child's name (Sam) appears" in preview
        assert screen.query_one("#out", Input).value == str(default_output("html", tmp_path, TODAY))

        screen.query_one("#pseudonym", Input).value = "Alex"
        screen.query_one("#kind", Select).value = "win"
        await settle(app)
        preview = shown(app, "#preview")
        assert "does not appear" in preview
        assert f"{len(demo.entries(kind='win'))} entr" in preview

        screen.query_one("#format", Select).value = "csv"
        await settle(app)
        assert screen.query_one("#out", Input).value.endswith(".zip")
        screen.query_one("#format", Select).value = "html"
        await settle(app)
        out = tmp_path / f"tandem-export-{TODAY}.html"
        assert screen.query_one("#out", Input).value == str(out)

        await pilot.click("#export")
        await settle(app)
        assert app.export_closed
        assert out.exists() and not names_child(out.read_text(encoding="utf-8"))
        assert any("NOT encrypted" in str(n.message) for n in app._notifications)

    run_screen(demo, tmp_path, scenario)


def test_export_screen_offers_a_team_meeting_report(
    demo: Journal, tmp_path: Path, quick_preview: None
) -> None:
    async def scenario(app: Host, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#preset", Select).value = "meeting"
        await settle(app)
        meeting = preset_filters("meeting", {}, today=TODAY.isoformat())
        chosen = screen.filters()
        assert chosen["kind"] == meeting["kind"] and chosen["since"] == meeting["since"]
        assert chosen["drafts"] is False and chosen["threads"] is False
        kept = select(
            demo, since=meeting.get("since"), kind=meeting.get("kind"), drafts=False, threads=False
        ).entries
        assert 0 < len(kept) < len(demo.entries())
        assert f"{len(kept)} entr" in shown(app, "#preview")
        screen.query_one("#kind", Select).value = "win"  # what is chosen wins over the preset
        await settle(app)
        assert screen.filters()["kind"] == "win"

    run_screen(demo, tmp_path, scenario)


def test_export_screen_says_what_is_wrong_and_writes_nothing(
    demo: Journal, tmp_path: Path, quick_preview: None
) -> None:
    async def scenario(app: Host, pilot: Any) -> None:
        screen = app.screen
        screen.query_one("#since", Input).value = "last May"
        await settle(app)
        assert "Cannot export" in shown(app, "#preview")
        assert screen.query_one("#export").disabled
        screen.query_one("#since", Input).value = ""
        screen.query_one("#out", Input).value = str(demo.path)
        await settle(app)
        await pilot.click("#export")
        await settle(app)
        assert "Could not export" in shown(app, "#status")
        assert not app.export_closed
        await pilot.press("escape")
        await settle(app)
        assert app.export_closed

    before = demo.path.read_bytes()
    run_screen(demo, tmp_path, scenario)
    assert demo.path.read_bytes() == before
    assert not list(tmp_path.glob("tandem-export-*"))
