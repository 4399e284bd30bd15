"""Choosing a journal file: a folder tree of `.tandem` files with a path field to type in.

`FilePicker` is a modal that returns the chosen file's `Path` (or `None` when
the person cancels). It opens with the focus in the path field: a path typed
there and submitted (Enter) opens that file, or shows that folder. The tree
shows folders and `.tandem` files only; while it has the focus, the path
field follows the highlighted item. Any file typed in can be
chosen: the unlock screen says clearly when it is not a journal.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text, TextType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Footer, Input, Label, Static, Tree

from journal.text import one_line
from widgets.button_row import ButtonRow
from widgets.key_button import KeyButton

__all__ = ["JOURNAL_SUFFIX", "FilePicker", "JournalTree", "shown_path", "tilde"]

JOURNAL_SUFFIX = ".tandem"
"""The extension of a journal file."""


def tilde(path: Path) -> str:
    """`path` as typed in a field: under the home folder it starts with `~`."""
    try:
        relative = path.absolute().relative_to(Path.home())
    except ValueError:
        return str(path)
    return str(Path("~") / relative)


def shown_path(path: Path) -> str:
    """`path` for the screen: on one line, with the home folder written as `~`."""
    return one_line(tilde(path))


class JournalTree(DirectoryTree):
    """A directory tree of folders and `.tandem` files, hidden ones left out.

    File names are shown exactly as they are (never read as markup) with any
    control character made visible.
    """

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Keep folders and journal files; drop hidden entries."""
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (self._safe_is_dir(path) or path.suffix.lower() == JOURNAL_SUFFIX)
        ]

    def process_label(self, label: TextType) -> Text:
        """A node's label: plain text, on one line, with controls made visible."""
        return super().process_label(one_line(label) if isinstance(label, str) else label)


def _typed_path(value: str) -> Path | None:
    """The path typed in the field (`~` expanded), or None when the field is empty."""
    value = value.strip()
    return Path(os.path.expanduser(value)) if value else None


_CANCEL = Binding("escape", "cancel", "Cancel", id="picker.cancel")
_UP = Binding("alt+up", "parent_folder", "Up a folder", id="picker.up")


class FilePicker(ModalScreen[Path | None]):
    """Pick a journal file from a folder tree, or type its path; returns it, or None."""

    DEFAULT_CSS = """
    FilePicker {
        align: center middle;
    }
    FilePicker #picker {
        width: 90%;
        max-width: 110;
        height: 90%;
        padding: 1 2;
        border: thick $primary 60%;
        background: $surface;
    }
    FilePicker .title {
        text-style: bold;
        margin-bottom: 1;
    }
    FilePicker #tree {
        height: 1fr;
        margin: 1 0 0 0;
        border: round $foreground 30%;
    }
    FilePicker #message {
        color: $text-error;
        height: auto;
    }
    """

    AUTO_FOCUS = "#path"
    """Typing goes to the path field at once (Enter opens what is typed); Tab: the tree."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _CANCEL,
        _UP,
        Binding("ctrl+l", "focus_path", "Type a path", id="picker.path"),
    ]

    def __init__(self, start: Path | None = None, *, title: str = "Open a journal file") -> None:
        """A picker showing the folder `start` (default: the home folder)."""
        super().__init__()
        folder = Path(start).expanduser() if start is not None else Path.home()
        if not folder.is_dir():
            folder = folder.parent if folder.parent.is_dir() else Path.home()
        self.start = folder.absolute()
        self.heading = title

    def compose(self) -> ComposeResult:
        """The heading, the path field, the tree, a message line and the buttons."""
        with Vertical(id="picker"):
            yield Label(self.heading, classes="title", markup=False)
            yield Static(
                "Choose a .tandem file in the tree (Enter or a click), "
                "or type its path below and press Enter.",
                markup=False,
            )
            yield Input(
                value=str(self.start) + os.sep,
                placeholder="A .tandem file or a folder",
                id="path",
                select_on_focus=False,  # type after the folder shown, not over it
            )
            yield JournalTree(self.start, id="tree")
            yield Static("", id="message", markup=False)
            with ButtonRow():
                yield KeyButton(_UP, id="up")
                yield KeyButton(_CANCEL, id="cancel")
                yield Button("Open", variant="primary", id="open", action="screen.open")
        yield Footer()

    # --- what the person does ---------------------------------------------------------

    @property
    def folder_tree(self) -> JournalTree:
        """The folder tree."""
        return self.query_one("#tree", JournalTree)

    def _say(self, message: str) -> None:
        self.query_one("#message", Static).update(message)

    def show_folder(self, folder: Path) -> None:
        """Show `folder` in the tree and in the path field."""
        self.folder_tree.path = folder
        self.query_one("#path", Input).value = str(folder.absolute()).rstrip(os.sep) + os.sep
        self._say("")

    def choose(self, path: Path | None) -> None:
        """Return `path` if it is a file, show it if it is a folder, else say what is wrong."""
        if path is None:
            self._say("Type the path of a journal file, or pick one in the tree.")
            return
        try:
            if path.is_dir():
                self.show_folder(path)
                return
            if path.is_file():
                self.dismiss(path.absolute())
                return
        except OSError as error:
            self._say(one_line(f"Cannot read {path}: {error.strerror or error}"))
            return
        self._say(one_line(f"There is no file at {path}."))

    def on_mount(self) -> None:
        """The cursor at the end of the folder shown, to type a name after it."""
        self.query_one("#path", Input).action_end()

    @on(Tree.NodeHighlighted, "#tree")
    def _follow_tree(self, event: Tree.NodeHighlighted[object]) -> None:
        if not self.folder_tree.has_focus:
            return  # the tree loading or moving by itself never replaces what was typed
        entry = event.node.data
        path = getattr(entry, "path", None)
        if isinstance(path, Path):
            self.query_one("#path", Input).value = str(path)
            self._say("")

    @on(DirectoryTree.FileSelected, "#tree")
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.choose(event.path)

    @on(Input.Submitted, "#path")
    def _path_submitted(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the file whose path is typed, or show the folder."""
        self.choose(_typed_path(self.query_one("#path", Input).value))

    def action_cancel(self) -> None:
        """Close without choosing a file."""
        self.dismiss(None)

    def action_parent_folder(self) -> None:
        """Show the folder above the one shown."""
        current = Path(self.folder_tree.path).absolute()
        if current.parent != current:
            self.show_folder(current.parent)

    def action_focus_path(self) -> None:
        """Move to the path field, to type a path."""
        self.query_one("#path", Input).focus()
