"""Help: every key of the screen underneath and of the app, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

__all__ = ["MORE_KEYS", "HelpScreen", "keys_of"]

INTRO = (
    "Tandem keeps one journal for a child's parents and therapist. Every key below "
    "also shows in the footer; ctrl+p opens the command palette, where every screen "
    "and action can be found by name. The mouse works everywhere."
)


MORE_KEYS = "More keys"
"""The heading above the generic keys of Textual's own widgets (text fields, lists...)."""


def keys_of(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(where, key, what it does) for each described binding, the app's own keys first.

    First the keys that go to a screen ("Screens"), then those of `screen` and
    of this app's widgets on it, then the app's other keys ("Everywhere");
    after a `MORE_KEYS` heading row, the generic keys of Textual's widgets
    (moving in a text field, a list, a table).
    """
    app = screen.app
    own: list[tuple[str, str, str]] = []
    places: list[tuple[str, str, str]] = []
    everywhere: list[tuple[str, str, str]] = []
    generic: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    nodes: list[tuple[str, DOMNode]] = [(_label(screen), screen)]
    nodes += [(_label(widget), widget) for widget in screen.walk_children()]
    nodes.append(("Everywhere", app))
    for where, node in nodes:
        textual_widget = type(node).__module__.startswith("textual.")
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                if not binding.description or (where, binding.description) in seen:
                    continue
                seen.add((where, binding.description))
                shown = app.get_key_display(binding) or key
                if node is app and binding.action.startswith("go("):
                    places.append(("Screens", shown, binding.description))
                elif node is app:
                    everywhere.append((where, shown, binding.description))
                elif textual_widget:
                    generic.append((where, shown, binding.description))
                else:
                    own.append((where, shown, binding.description))
    rows = places + own + everywhere
    if generic:
        rows += [(MORE_KEYS, "", ""), *generic]
    return rows


def _label(node: DOMNode) -> str:
    name = type(node).__name__
    for suffix in ("Screen", "Widget"):
        name = name.removesuffix(suffix)
    return name or type(node).__name__


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened over, and of the whole app."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90%; max-width: 100; height: 85%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    HelpScreen #intro { margin-bottom: 1; }
    HelpScreen DataTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("f1", "dismiss", "Close", id="help.close_f1", show=False),
        Binding("question_mark", "dismiss", "Close", id="help.close_key", show=False),
    ]

    def __init__(self, under: Screen[object]) -> None:
        """Help for the screen `under`."""
        super().__init__()
        self._rows = keys_of(under)

    def compose(self) -> ComposeResult:
        """An introduction and a table of keys."""
        with Vertical():
            yield Static(INTRO, id="intro", markup=False)
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Where", "Key", "What it does")
            for where, key, what in self._rows:
                if where == MORE_KEYS and not key:
                    table.add_row(Text(MORE_KEYS, style="bold underline"), Text(""), Text(""))
                    continue
                table.add_row(Text(where), Text(key, style="bold"), Text(what))
            yield table

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        self.dismiss(result)
