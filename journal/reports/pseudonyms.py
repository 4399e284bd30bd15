"""Replacing the child's name with a pseudonym, the same way in every export."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from journal.errors import UsageError
from journal.journal import Journal
from journal.model import Member


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


def member_labels(members: Iterable[Member]) -> dict[str, str]:
    """Member id -> how a pseudonymised report names them: 'Parent 1', 'Parent 2', 'Therapist'.

    Numbered within a role in the order they joined, only when a role has
    several members.
    """
    ordered = sorted(members, key=lambda m: (m.created_at, m.id))
    by_role: dict[str, list[Member]] = {}
    for member in ordered:
        by_role.setdefault(member.role, []).append(member)
    labels: dict[str, str] = {}
    for role, group in by_role.items():
        title = role.capitalize() or "Member"
        for number, member in enumerate(group, start=1):
            labels[member.id] = f"{title} {number}" if len(group) > 1 else title
    return labels


_NAME_LEFT = "(name)"
"""What a word of a member's name shared by several members (a family name) becomes."""


def _names_pattern(members: Iterable[Member], labels: dict[str, str]) -> Callable[[str], str]:
    """A function replacing every member's full name, and each word of it, by their label."""
    replacements: dict[str, str] = {}
    words: dict[str, set[str]] = {}
    for member in members:
        full = " ".join(member.name.split())
        if not full:
            continue
        replacements[full.casefold()] = labels[member.id]
        for word in full.split():
            if len(word) > 1 and not word.endswith("."):  # "Dr." is not a name
                words.setdefault(word.casefold(), set()).add(labels[member.id])
    for word, owners in words.items():
        replacements.setdefault(word, owners.pop() if len(owners) == 1 else _NAME_LEFT)
    if not replacements:
        return lambda text: text
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in name.split())
        for name in sorted(replacements, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def replace(text: str) -> str:
        return pattern.sub(lambda m: replacements[" ".join(m.group(0).split()).casefold()], text)

    return replace


def pseudonymizer(
    journal: Journal, pseudonym: str | None, *, names: bool = False
) -> Callable[[str], str]:
    """A function that replaces the child's name with `pseudonym` in a text.

    The child's name (from the journal page) is matched as a whole word,
    ignoring case; when it has several words, the first name alone is
    replaced too ("Sam" as well as "Sam Rivera"). Without a pseudonym the
    function returns texts unchanged. A pseudonym is one line, and cannot
    itself contain the child's name. Unless `names` keeps them, the members'
    names go too: each full name, and each word of it, becomes the member's
    role (`member_labels`: "Parent 1", "Therapist"), in every text.
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
    if names:
        return lambda text: pattern.sub(lambda _match: replacement, text)
    members = journal.all(Member, include_deleted=True)
    labels = member_labels(members)
    members_out = _names_pattern(members, labels)
    return lambda text: members_out(pattern.sub(lambda _match: replacement, text))


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
