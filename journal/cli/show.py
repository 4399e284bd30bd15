"""`tandem list` and `tandem show`: entries as a table or JSON, one record in full.

Records with a conflict to resolve are marked `!` in the list, and `show`
prints their versions with the commands that resolve them.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from journal.cli.goals import show_goal
from journal.cli.opening import open_journal
from journal.cli.output import (
    AUTHOR_WIDTH,
    TAGS_WIDTH,
    TITLE_WIDTH,
    err,
    indent,
    local_time,
    out_json,
    out_lines,
    table,
    underline,
)
from journal.cli.parser import Commands, TandemArgumentParser, non_negative_int
from journal.cli.records import (
    comment_json,
    conflict_lines,
    conflicts_json,
    entry_json,
    names,
    record_json,
    stored_doc,
    table_of,
    thread_lines,
    thread_of,
    trust_json,
    trust_line,
    who_line,
)
from journal.errors import NotFound, UsageError
from journal.merge_report import needs_attention, record_label, record_name, record_type, short_id
from journal.model import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    KIND_FIELDS,
    Entry,
    Goal,
    Record,
    Thread,
)
from journal.text import clip, plural, safe_line, safe_text

if TYPE_CHECKING:
    from journal.journal import Journal


def register(commands: Commands) -> None:
    """Define `list` and `show`."""
    commands.add("list", cmd_list, _list_arguments)
    commands.add("show", cmd_show, _show_arguments)


def _list_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--kind", choices=ENTRY_KINDS)
    p.add_argument("--tag")
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--author", metavar="NAME")
    p.add_argument("-n", type=non_negative_int, metavar="N", help="show at most N entries")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument(
        "--conflicts",
        action="store_true",
        help="list only records with a conflict to resolve (of every kind)",
    )


def _show_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="an id or a unique prefix of one")
    p.add_argument("--json", action="store_true")


def _author_ids(journal: Journal, name: str) -> set[str]:
    wanted = name.strip().casefold()
    members = journal.members_by_id()
    ids = {mid for mid, m in members.items() if m.name.casefold() == wanted}
    if not ids:
        ids = {mid for mid in members if wanted and mid.startswith(wanted)}
    if not ids:
        known = ", ".join(m.name for m in journal.members())
        raise UsageError(f"no member named {name!r}; members: {known}")
    return ids


def _entries(journal: Journal, args: argparse.Namespace) -> list[Entry]:
    """The entries the filters choose, newest first (all of them with --conflicts)."""
    filters: dict[str, Any] = {"kind": args.kind, "tag": args.tag, "search": args.search}
    limit = None if args.conflicts else args.n
    if args.author is None:
        return journal.entries(**filters, limit=limit)
    ids = _author_ids(journal, args.author)
    if len(ids) == 1:
        return journal.entries(**filters, author=next(iter(ids)), limit=limit)
    found = [e for e in journal.entries(**filters) if e.author in ids]
    return found if limit is None else found[:limit]


def cmd_list(args: argparse.Namespace) -> int:
    """`tandem list`: entries newest first, as a table or JSON; records in conflict marked."""
    journal = open_journal(args)
    members = names(journal)
    entries = _entries(journal, args)
    flagged = {e.id for e in entries if needs_attention(stored_doc(journal, e))}
    others: list[Any] = []
    if args.conflicts:
        entries = [e for e in entries if e.id in flagged]
        unfiltered = args.kind is None and args.tag is None and args.search is None
        if unfiltered and args.author is None:
            others = [
                r
                for r in journal.records_in_conflict()
                if not isinstance(r, Entry) and not r.deleted
            ]
        if args.n is not None:
            entries = entries[: args.n]
            others = others[: max(args.n - len(entries), 0)]
    if args.json:
        items = [{**entry_json(e, members), **conflicts_json(journal, e, members)} for e in entries]
        items.extend(record_json(journal, r, members) for r in others)
        out_json(items)
        return 0
    if not entries and not others:
        sys.stderr.write("no records in conflict\n" if args.conflicts else "no entries\n")
        return 0
    _say_unsigned(journal, entries)
    rows = []
    for entry in entries:
        tags = " ".join(f"#{t}" for t in entry.tags)
        rows.append(
            [
                "!" if entry.id in flagged else "",
                local_time(entry.occurred_at),
                entry.kind,
                clip(safe_line(members.get(entry.author, "unknown")), AUTHOR_WIDTH),
                clip(safe_line(entry.title), TITLE_WIDTH),
                clip(safe_line(tags), TAGS_WIDTH),
                short_id(entry.id),
            ]
        )
    for record in others:
        kind = table_of(record)
        rows.append(
            [
                "!",
                local_time(record.created_at),
                record_type(kind),
                clip(safe_line(members.get(record.author, "unknown")), AUTHOR_WIDTH),
                clip(record_label(kind, record.to_doc(), record.id), TITLE_WIDTH),
                "",
                short_id(record.id),
            ]
        )
    header: tuple[str, ...] = ("!", "DATE", "KIND", "AUTHOR", "TITLE", "TAGS", "ID")
    if not any(row[0] for row in rows):
        header, rows = header[1:], [row[1:] for row in rows]
    out_lines(table(header, rows))
    if not args.conflicts:
        waiting = sum(1 for r in journal.records_in_conflict() if not r.deleted)
        if waiting:
            err(
                f"{plural(waiting, 'record')} {'has' if waiting == 1 else 'have'} a conflict "
                "to resolve; see 'tandem list --conflicts'"
            )
    return 0


CHECKED_ROWS = 200
"""`list` checks the signatures of the entries it shows when it shows at most this many."""


def _say_unsigned(journal: Journal, entries: list[Entry]) -> None:
    """Say on stderr when an entry shown carries a signature that is not its author's."""
    if len(entries) > CHECKED_ROWS:
        return  # a whole large journal: `tandem verify` checks it all
    forged = sum(1 for trust in journal.records_trust([e.id for e in entries]) if trust.problems)
    if forged:
        err(
            f"{plural(forged, 'entry')} shown {'is' if forged == 1 else 'are'} not signed by "
            "their author: someone holding the key changed them (see 'tandem verify')"
        )


def cmd_show(args: argparse.Namespace) -> int:
    """`tandem show`: one entry (or goal, or other record) in full, with its thread."""
    journal = open_journal(args)
    record = journal.find(args.id)
    if isinstance(record, Goal):
        return show_goal(journal, record, args)
    if not isinstance(record, Entry):
        return _show_record(journal, record, args)
    entry = record
    thread, status = thread_of(journal, entry.id)
    addenda = journal.addenda(entry.id)
    members = names(journal)
    if args.json:
        data = entry_json(entry, members)
        data["addenda"] = [comment_json(c, members) for c in addenda]
        data["comments"] = [comment_json(c, members) for c in thread]
        data["thread_status"] = status
        data.update(conflicts_json(journal, entry, members))
        data.update(trust_json(journal, entry, members))
        out_json(data)
        return 0
    author = journal.members_by_id().get(entry.author)
    who = f"{author.name} ({author.role})" if author else "unknown"
    title = safe_line(entry.title)
    lines = [title, underline(title)]
    kind = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
    if entry.kind == "session":
        kind += " (final)" if entry.locked else " (draft)"
    lines.append(f"Kind:    {kind}")
    lines.append(f"Date:    {local_time(entry.occurred_at)}")
    lines.append(f"Author:  {safe_line(who)}")
    lines.append(f"History: {who_line(entry, members)}")
    lines.append(trust_line(journal, entry, members))
    if entry.finalized_at:
        by = safe_line(members.get(entry.finalized_by or "", "unknown"))
        lines.append(f"Final:   {local_time(entry.finalized_at)} by {by}")
    if entry.deleted_at:
        lines.append(f"Deleted: {local_time(entry.deleted_at)}")
    if entry.tags:
        lines.append("Tags:    " + safe_line(" ".join(f"#{t}" for t in entry.tags)))
    if entry.goals:
        linked = []
        for goal_id in entry.goals:
            try:
                linked.append(f"{journal.get(Goal, goal_id).title} ({short_id(goal_id)})")
            except NotFound:
                linked.append(short_id(goal_id))
        lines.append("Goals:   " + safe_line("; ".join(linked)))
    lines.append(f"ID:      {entry.id}")
    lines.extend(_field_lines(entry))
    if entry.body.strip():
        lines.append("")
        lines.extend(safe_text(entry.body.rstrip()).split("\n"))
    if addenda:
        lines.append("")
        lines.append("Addenda:")
        for addendum in addenda:
            who_added = safe_line(members.get(addendum.author, "unknown"))
            lines.append(f"  {local_time(addendum.created_at)}, {who_added}:")
            lines.extend(indent(addendum.body, "    "))
    lines.extend(conflict_lines(journal, str(args.path), entry))
    lines.append("")
    lines.extend(thread_lines(thread, members, status))
    out_lines(lines)
    return 0


def _field_lines(entry: Entry) -> list[str]:
    """The entry's structured fields that have a value, under a blank line."""
    specs = {spec.name: spec for spec in KIND_FIELDS.get(entry.kind, ())}
    shown = [name for name in specs if entry.fields.get(name) not in (None, "")]
    shown += [name for name in entry.fields if name not in specs and entry.fields[name] != ""]
    lines = [""] if shown else []
    for name in shown:
        label = specs[name].label if name in specs else name
        value = str(entry.fields[name])
        if "\n" in value.strip():
            lines.append(f"{safe_line(label)}:")
            lines.extend(indent(value.strip()))
        else:
            lines.append(f"{safe_line(label)}: {safe_line(value)}")
    return lines


_NAMED_BY_ID = ("author", "target_id", "goal_id", "moved_to", "parent_id", "resolved_by")


def _show_record(journal: Journal, record: Record, args: argparse.Namespace) -> int:
    """Any other record (member, resource, session, topic, comment, ...) in full."""
    members = names(journal)
    kind = table_of(record)
    has_thread = kind in ("resources", "meta") or (isinstance(record, Thread) and record.topic)
    thread, status = thread_of(journal, record.id) if has_thread else ([], "")
    if args.json:
        data = record_json(journal, record, members)
        if has_thread:
            data["comments"] = [comment_json(c, members) for c in thread]
            data["thread_status"] = status
        data.update(trust_json(journal, record, members))
        out_json(data)
        return 0
    title = safe_line(record_name(kind, record.to_doc(), record.id))
    heading = f"{record_type(kind).capitalize()}: {title}"
    lines = [heading, underline(heading)]
    envelope = set(Record.field_names())
    for key, value in record.to_doc().items():
        if key in envelope or key == "title" or value in (None, "", [], {}):
            continue
        label = key.replace("_", " ").capitalize()
        if key in _NAMED_BY_ID:
            value = members.get(str(value)) or short_id(str(value))
        elif key == "acknowledged" and isinstance(value, dict):
            value = ", ".join(
                f"{members.get(k, 'unknown')} ({local_time(v)})" for k, v in value.items()
            )
        elif key.endswith("_at") or key == "last_seen":
            value = local_time(str(value))
        if isinstance(value, str) and "\n" in value.strip():
            lines.append(f"{label}:")
            lines.extend(indent(value.strip()))
        elif isinstance(value, list):
            lines.append(f"{label}: {safe_line(', '.join(map(str, value)))}")
        else:
            lines.append(f"{label}: {safe_line(str(value))}")
    lines.append(f"History: {who_line(record, members)}")
    lines.append(trust_line(journal, record, members))
    if record.deleted_at:
        lines.append(f"Deleted: {local_time(record.deleted_at)}")
    lines.append(f"ID: {record.id}")
    lines.extend(conflict_lines(journal, str(args.path), record))
    if has_thread:
        lines.append("")
        lines.extend(thread_lines(thread, members, status))
    out_lines(lines)
    return 0
