"""A button that does what one of its screen's keys does, and says it in the same words.

`KeyButton(binding)` is labelled with the binding's description (plain text,
never markup) and runs the binding's action on the screen it is on, so a
button and its key are written once, as the `Binding`, and never drift apart.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

__all__ = ["KeyButton"]


class KeyButton(Button):
    """A button for `binding`: its label is the key's description, its action the key's."""

    def __init__(
        self,
        binding: Binding,
        *,
        variant: ButtonVariant = "default",
        id: str | None = None,
        disabled: bool = False,
    ) -> None:
        """A button doing `binding.action` on its screen, labelled `binding.description`."""
        super().__init__(
            Content(binding.description),
            variant=variant,
            id=id,
            disabled=disabled,
            action=f"screen.{binding.action}",
        )
