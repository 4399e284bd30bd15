"""Replacing the child's name with a pseudonym, the same way in every export."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from journal.errors import UsageError
from journal.journal import Journal


def name_pattern(journal: Journal) -> re.Pattern[str] | None:
    """The child's name (from the journal page) as a pattern, or None when the page has none.

    The name matches as a whole word, ignoring case; when it has several
    words, the first name alone matches too ("Sam" as well as "Sam Rivera").
    `pseudonymizer` replaces what it matches; the export preview counts it.
    """
    return child_name_pattern(journal.info.child_name)


def child_name_pattern(child_name: str) -> re.Pattern[str] | None:
    """`name_pattern` of a name already read."""
    name = " ".join(child_name.split())
    if not name:
        return None
    variants = {name, name.split()[0]}
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in variant.split())
        for variant in sorted(variants, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def pseudonymizer(journal: Journal, pseudonym: str | None) -> Callable[[str], str]:
    """A function that replaces the child's name with `pseudonym` in a text.

    The child's name (from the journal page) is matched as a whole word,
    ignoring case; when it has several words, the first name alone is
    replaced too ("Sam" as well as "Sam Rivera"). Without a pseudonym the
    function returns texts unchanged. A pseudonym is one line, and cannot
    itself contain the child's name.
    """
    if pseudonym is None:
        return lambda text: text
    replacement = " ".join(pseudonym.split())
    if not replacement:
        raise UsageError("the pseudonym cannot be empty")
    pattern = name_pattern(journal)
    if pattern is None:
        raise UsageError(
            "the journal page has no child's name to replace; set it before using a pseudonym"
        )
    if pattern.search(replacement):
        raise UsageError("the pseudonym cannot contain the child's name")
    return lambda text: pattern.sub(lambda _match: replacement, text)


def replace_everywhere(value: Any, replace: Callable[[str], str]) -> Any:
    """`value` (JSON-like: texts, dicts, lists) with `replace` applied to every text, keys too."""
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):
        return {
            replace_everywhere(k, replace): replace_everywhere(v, replace) for k, v in value.items()
        }
    if isinstance(value, list):
        return [replace_everywhere(item, replace) for item in value]
    return value
