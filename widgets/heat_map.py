"""A week by hours heat map: when incidents happen (a terminal scatterplot).

Seven rows, Monday first, and a column of two cells per hour of the day;
each cell is shaded by how many incidents fell in it (none, then four
shades up to the busiest cell), with the row's total at the right. The
screen hands it the counts (`show`); it only draws.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from journal.patterns import HOURS, WEEKDAYS, shade

__all__ = ["HeatMap", "heat_content"]

_CELLS = ("· ", "░░", "▒▒", "▓▓", "██")
_STYLES = ("$text-muted", "$accent 40%", "$accent 60%", "$accent 80%", "$accent")

Part = str | tuple[str, str]


def heat_content(heat: Sequence[Sequence[int]]) -> Content:
    """The heat map as styled text: an hours ruler, a row per weekday, a legend."""
    busiest = max((max(row) for row in heat), default=0)
    ruler = "".join(f"{hour:<6}" for hour in range(0, HOURS, 3))
    parts: list[Part] = [("     " + ruler, "$text-muted"), "\n"]
    for day, row in zip(WEEKDAYS, heat, strict=True):
        parts.append((f"{day}  ", "bold"))
        for count in row:
            level = shade(count, busiest)
            parts.append((_CELLS[level], _STYLES[level]))
        parts += [(f" {sum(row):>4}", "bold"), "\n"]
    legend = "  ".join(
        f"{_CELLS[level]} {label}"
        for level, label in ((0, "none"), (1, "few"), (4, f"most ({busiest})"))
    )
    parts.append((f"     {legend}  · hour of the day", "$text-muted"))
    return Content.assemble(*parts)


class HeatMap(Static):
    """Incidents by weekday and hour, shaded."""

    DEFAULT_CSS = """
    HeatMap { height: auto; width: auto; }
    """

    def show(self, heat: Sequence[Sequence[int]]) -> None:
        """Draw `heat`: seven rows (Monday first) of 24 hourly counts."""
        self.heat = [list(row) for row in heat]
        self.update(heat_content(heat))
