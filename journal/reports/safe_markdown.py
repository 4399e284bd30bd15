"""Markdown people wrote, as HTML that is safe to put in the report.

    md = markdown_renderer()
    html_text = render_markdown(md, entry.body)

CommonMark by markdown-it-py with raw HTML escaped, links limited to http,
https, mailto and #anchors (`safe_link`), and images turned into links (the
report loads nothing). Plain prose (most entries) takes a shortcut to the
same HTML (`is_plain_prose`). What `render_markdown` returns is escaped
already: the report marks it safe.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = ["LINK_SCHEMES", "is_plain_prose", "markdown_renderer", "render_markdown", "safe_link"]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only URL schemes a link in the report may use (besides #anchors inside it)."""

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _esc(text: Any) -> str:
    """Text for HTML (element content or a quoted attribute)."""
    return html.escape(str(text), quote=True)


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
    label = _esc(f"[image: {alt}]" if alt.strip() else "[image]")
    src = token.attrGet("src")
    if isinstance(src, str) and src and safe_link(src):
        return f'<a class="image-link" href="{_esc(src)}" rel="noopener noreferrer">{label}</a>'
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
