"""The entry list: a table of entries, newest first, that reports the highlighted one.

A Line API widget (a `ScrollView` that renders only the rows on screen), so
setting 10,000 entries costs a few milliseconds; `DataTable` and `OptionList`
measure or lay out every row up front, which takes over a second at that size.
It is given light `EntryRow` tuples (`journal.rows`), not full `Entry` records.

Every cell is plain text drawn as a `Segment` (never Rich or Textual markup),
with control characters replaced, so a title like `[bold red]hi[/]` shows
exactly as typed and no entry can send terminal escapes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from journal.model import ENTRY_KIND_LABELS
from journal.rows import EntryRow
from journal.text import one_line

__all__ = ["CONFLICT_MARK", "EntryList", "EntryListMessage", "column_widths"]

CONFLICT_MARK = "⚠ "
"""Before the title of an entry changed on two copies at once (to resolve)."""

HEADERS = ("Date", "Kind", "Author", "Title", "Tags")
"""The column headings, left to right."""

DATE_WIDTH, KIND_WIDTH, AUTHOR_WIDTH = 16, 12, 12
TITLE_MIN, TAGS_MIN, TAGS_MAX = 24, 8, 24


def column_widths(width: int) -> tuple[int, int, int, int, int]:
    """The widths of the five columns for a list `width` cells wide.

    Date, kind and author are fixed; the title takes what is left (at least
    `TITLE_MIN`, scrolling sideways below that); tags get up to `TAGS_MAX` of
    the rest and disappear (width 0) when there is no room for `TAGS_MIN`.
    Titles come before authors: when there is no room for `TITLE_MIN`, the
    author goes first, then the kind (width 0).
    """
    fixed = DATE_WIDTH + KIND_WIDTH + AUTHOR_WIDTH
    rest = width - fixed - 6  # a space before each of the five columns and one after
    if rest >= TITLE_MIN + TAGS_MIN:
        tags = min(TAGS_MAX, rest - TITLE_MIN)
        return (DATE_WIDTH, KIND_WIDTH, AUTHOR_WIDTH, rest - tags, tags)
    if rest + 1 >= TITLE_MIN:
        return (DATE_WIDTH, KIND_WIDTH, AUTHOR_WIDTH, rest + 1, 0)
    without_author = rest + 1 + AUTHOR_WIDTH + 1
    if without_author >= TITLE_MIN:
        return (DATE_WIDTH, KIND_WIDTH, 0, without_author, 0)
    return (DATE_WIDTH, 0, 0, max(TITLE_MIN, without_author + KIND_WIDTH + 1), 0)


def fit(text: str, width: int) -> str:
    """`text` padded or cut (with an ellipsis) to exactly `width` cells."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class _Styles(NamedTuple):
    base: Style
    header: Style
    even: Style
    muted: Style
    title: Style
    cursor: Style


@dataclass
class EntryListMessage(Message):
    """The base of the messages an `EntryList` posts."""

    entry_list: EntryList
    """The list that posted the message."""
    entry_id: str | None
    """The id of the entry concerned, or `None` when there is none (the list is empty)."""

    @property
    def control(self) -> EntryList:
        """The list that posted the message (for `@on` selectors)."""
        return self.entry_list


class EntryList(ScrollView, can_focus=True):
    """A table of entries: date, kind, author, title and tags, one row per entry.

    Set the rows with `set_entries`; the list posts `EntryList.Selected` when
    the highlighted entry changes and `EntryList.Opened` on Enter or a double click.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Previous entry", show=False, id="entry_list.up"),
        Binding("down,j", "cursor_down", "Next entry", show=False, id="entry_list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="entry_list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="entry_list.page_down"),
        Binding("home", "first", "Newest entry", show=False, id="entry_list.first"),
        Binding("end", "last", "Oldest entry", show=False, id="entry_list.last"),
        Binding("enter", "open", "Open", id="entry_list.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--header",
        "entry-list--even-row",
        "entry-list--cursor",
        "entry-list--muted",
        "entry-list--title",
    }

    DEFAULT_CSS = """
    EntryList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .entry-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .entry-list--even-row { background: $surface-lighten-1 50%; }
        & > .entry-list--muted { color: $text-muted; }
        & > .entry-list--title { text-style: bold; }
        & > .entry-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .entry-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .entry-list--even-row { background: $surface-darken-1 40%; }
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """The index of the highlighted row (nothing is announced before the first rows)."""

    class Selected(EntryListMessage):
        """The highlighted entry changed (`entry_id` is `None` when the list is empty)."""

    class Opened(EntryListMessage):
        """The user opened the highlighted entry (Enter or a double click)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """An empty entry list."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._rows: Sequence[EntryRow] = ()
        self._authors: Mapping[str, str] = {}
        self._marked: frozenset[str] = frozenset()
        self._row_of: dict[str, int] | None = {}  # entry id -> row; made when first needed
        self._announced: str | None = None
        self._announced_once = False
        self._style_cache: _Styles | None = None
        self._line_cache: LRUCache[tuple[int, bool, int], Strip] = LRUCache(1024)

    # --- data -----------------------------------------------------------------

    @property
    def entry_ids(self) -> list[str]:
        """The ids of the entries shown, top to bottom."""
        return [row.id for row in self._rows]

    @property
    def row_count(self) -> int:
        """How many entries the list shows."""
        return len(self._rows)

    @property
    def entry_id(self) -> str | None:
        """The id of the highlighted entry, or `None` when the list is empty."""
        return self._rows[self.cursor].id if self._rows else None

    @property
    def entry_row(self) -> EntryRow | None:
        """The highlighted entry's row, or `None` when the list is empty."""
        return self._rows[self.cursor] if self._rows else None

    @property
    def neighbour_id(self) -> str | None:
        """The entry to highlight when the highlighted one goes: the next down, else up."""
        below, above = self.cursor + 1, self.cursor - 1
        if below < len(self._rows):
            return self._rows[below].id
        return self._rows[above].id if above >= 0 else None

    def _row_index(self, entry_id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {row.id: index for index, row in enumerate(self._rows)}
        return self._row_of.get(entry_id)

    def set_entries(
        self,
        rows: Sequence[EntryRow],
        authors: Mapping[str, str],
        *,
        select: str | None = None,
        marked: Collection[str] = (),
    ) -> None:
        """Show the entries of `rows` in this order; `authors` maps member ids to names.

        The entries in `marked` (in conflict) show `CONFLICT_MARK` before their title.

        `select` is highlighted when it is in the list; otherwise the highlighted
        entry stays highlighted when it is still there, else the first row is.
        Cheap: nothing is measured or drawn here, and a row's text is made only
        when the row is drawn. `rows` is kept as given: do not change it after.
        """
        keep = self.entry_id
        self._rows = rows
        self._row_of = None
        self._authors = authors
        self._marked = frozenset(marked)
        self._line_cache.clear()
        self._update_virtual_size()
        if select is not None and self._row_index(select) is not None:
            keep = select
        row = (self._row_index(keep) or 0) if keep is not None else 0
        self.set_reactive(EntryList.cursor, row)
        if row == 0:
            self.scroll_to(y=0, animate=False)
        else:
            self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def select_entry(self, entry_id: str) -> bool:
        """Highlight the entry `entry_id`; False when it is not in the list."""
        row = self._row_index(entry_id)
        if row is None:
            return False
        self.cursor = row
        return True

    def row_text(self, row: int) -> str:
        """The text of row `row` as drawn (at the current width), for tests and tools."""
        return self._render_row(row).text

    # --- cursor -------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(cursor, len(self._rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw the two rows, bring the new one into view and tell the screen."""
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._scroll_to_cursor()
        self._announce()

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self._visible_rows:
            self.scroll_to(y=self.cursor - self._visible_rows + 1, animate=False)

    def _announce(self) -> None:
        """Post `Selected` when the highlighted entry is not the one last posted."""
        entry_id = self.entry_id
        if self._announced_once and entry_id == self._announced:
            return
        self._announced, self._announced_once = entry_id, True
        self.post_message(self.Selected(self, entry_id))

    def action_cursor_up(self) -> None:
        """Highlight the entry above."""
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        """Highlight the entry below."""
        self.cursor += 1

    def action_page_up(self) -> None:
        """Move up a page."""
        self.cursor -= max(1, self._visible_rows - 1)

    def action_page_down(self) -> None:
        """Move down a page."""
        self.cursor += max(1, self._visible_rows - 1)

    def action_first(self) -> None:
        """Highlight the first (newest) entry."""
        self.cursor = 0

    def action_last(self) -> None:
        """Highlight the last (oldest) entry."""
        self.cursor = len(self._rows) - 1

    def action_open(self) -> None:
        """Open the highlighted entry."""
        if self._rows:
            self.post_message(self.Opened(self, self.entry_id))

    def on_click(self, event: events.Click) -> None:
        """Highlight the clicked row; a double click opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self._rows):
            self.cursor = row
            if event.chain >= 2:
                self.action_open()

    # --- drawing ------------------------------------------------------------------

    def _widths(self) -> tuple[int, ...]:
        return column_widths(self.scrollable_content_region.width)

    def _update_virtual_size(self) -> None:
        widths = self._widths()
        shown = [width for width in widths if width]
        self.virtual_size = Size(sum(shown) + len(shown) + 1, len(self._rows) + 1)

    def on_resize(self) -> None:
        """Refit the columns."""
        self._update_virtual_size()
        self._scroll_to_cursor()

    def _styles(self) -> _Styles:
        if self._style_cache is None:
            base = self.rich_style
            self._style_cache = _Styles(
                base=base,
                header=self.get_component_rich_style("entry-list--header"),
                even=base + self.get_component_rich_style("entry-list--even-row"),
                muted=self.get_component_rich_style("entry-list--muted", partial=True),
                title=self.get_component_rich_style("entry-list--title", partial=True),
                cursor=self.get_component_rich_style("entry-list--cursor"),
            )
        return self._style_cache

    def _line(self, cells: Sequence[tuple[str, Style]], background: Style) -> Strip:
        segments = [Segment(" ", background)]
        for (text, style), width in zip(cells, self._widths(), strict=True):
            if width:
                segments += [Segment(fit(text, width), style), Segment(" ", background)]
        return Strip(segments)

    def _render_header(self) -> Strip:
        style = self._styles().header
        return self._line([(label, style) for label in HEADERS], style)

    def _row_values(self, row: int) -> tuple[str, str, str, str, str]:
        """The five cells of row `row`, made when the row is first drawn (not up front)."""
        entry = self._rows[row]
        return (
            entry.occurred_at.replace("T", " ", 1),
            ENTRY_KIND_LABELS.get(entry.kind, entry.kind),
            self._authors.get(entry.author, "unknown"),
            CONFLICT_MARK + entry.title if entry.id in self._marked else entry.title,
            " ".join(f"#{tag}" for tag in entry.tags),
        )

    def _render_row(self, row: int) -> Strip:
        is_cursor = row == self.cursor
        key = (row, is_cursor, self.scrollable_content_region.width)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        styles = self._styles()
        base = styles.even if row % 2 else styles.base
        cells = [base + styles.muted, base, base, base + styles.title, base + styles.muted]
        if is_cursor:
            base += styles.cursor
            cells = [style + styles.cursor for style in cells]
        values = self._row_values(row)
        strip = self._line(
            [(one_line(value), style) for value, style in zip(values, cells, strict=True)],
            base,
        )
        self._line_cache[key] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the header, then the rows scrolled into view."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._render_header()
        else:
            row = scroll_y + y - 1
            if row >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            strip = self._render_row(row)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def notify_style_update(self) -> None:
        """Redraw with the new styles (a theme change, or focus moving)."""
        super().notify_style_update()
        self._clear_caches()
        self.refresh()

    def _clear_caches(self) -> None:
        self._style_cache = None
        self._line_cache.clear()
