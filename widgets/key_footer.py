"""The key footer: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's footer rebuilds itself (a widget per key, each styled and mounted)
every time a screen says its bindings may have changed: focus moving, a
screen shown, each `refresh_bindings()`. A screen opening says so about ten
times at once, and each rebuild takes 10 to 50 ms of the UI thread, so the
journal screen was busy rebuilding its footer for a third of a second after
its entries arrived. This footer waits until the calls stop (the next
refresh), then rebuilds once, and only when a key, its label or whether it is
enabled differs from what it shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeyFooter"]

_Keys = tuple[tuple[object, ...], ...]


class KeyFooter(Footer):
    """A `Footer` that coalesces binding refreshes and skips those that change nothing."""

    _pending = False  # a look at the keys waits for the next refresh
    _shown: _Keys | None = None  # the keys as last shown

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Note that the keys may have changed; look once the screen has refreshed."""
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._check_keys, screen)

    def _check_keys(self, screen: Screen[object]) -> None:
        self._pending = False
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self._keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """The keys, as `Footer` makes them, each already in the footer's style.

        A new key starts compact and is then bound to the footer's `compact`,
        which restyles it twice more; giving it the value first leaves the
        styling to mounting. (The command palette key is not bound: it stays.)
        """
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _keys(self, screen: Screen[object]) -> _Keys:
        """What the footer would show: every active key, its label and its state."""
        return tuple(
            (
                key,
                binding.action,
                binding.description,
                binding.tooltip,
                binding.show,
                self.app.get_key_display(binding),
                enabled,
                tooltip,
            )
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        )
