"""The Jinja2 environment the HTML report is written in (templates in templates/).

Autoescaping is on: every `{{ value }}` is escaped unless it is `Markup`.
Filters the templates use:

- `pseudo`: text people wrote, with the child's name replaced by the
  pseudonym (the page's `replace`); apply it before the value is escaped.
- `markdown`: Markdown people wrote, as safe HTML (`Page.markdown`).
- `utc`: a stored UTC time as '2025-03-01 14:05 UTC'.
- the test `safe_link`: whether a URL may be a link (`safe_link`).

The pseudonym filters read the `page` of the template's context.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context

from journal.reports.common import local_when
from journal.reports.safe_markdown import safe_link


@pass_context
def _pseudo(context: Context, text: Any) -> str:
    replaced: str = context["page"].replace(str(text))
    return replaced


@pass_context
def _markdown(context: Context, text: str) -> Any:
    return context["page"].markdown(text)


ENV = Environment(
    loader=PackageLoader("journal.reports", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)
ENV.filters.update(pseudo=_pseudo, markdown=_markdown, when=local_when)
ENV.tests["safe_link"] = safe_link


def template(name: str) -> Template:
    """A template of templates/, compiled once."""
    return ENV.get_template(name)
