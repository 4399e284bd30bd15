"""Records as `tandem list` and `tandem show` print them: JSON, who made them, threads,
and the versions of a record in conflict with the commands that resolve them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journal.cli.output import indent, local_time
from journal.merge_report import (
    RECORD_TYPE,
    conflict_state,
    record_name,
    record_type,
    short_id,
)
from journal.model import Comment, Entry, Record
from journal.text import safe_line

if TYPE_CHECKING:
    from journal.journal import Journal


def names(journal: Journal) -> dict[str, str]:
    """Member id: name, of everyone who ever was a member."""
    return {member_id: m.name for member_id, m in journal.members_by_id().items()}


def table_of(record: Record) -> str:
    """The table a record is stored in."""
    return str(type(record).TABLE)


def stored_doc(journal: Journal, record: Record) -> dict[str, Any] | None:
    """The record as stored, with its merge metadata (conflicts, deletion)."""
    return journal.stored_doc(table_of(record), record.id)


def who_json(record: Record, names: dict[str, str]) -> dict[str, Any]:
    """Who created a record and who last changed it, by name and id, and when."""
    return {
        "created_by": names.get(record.author, "unknown"),
        "created_by_id": record.author,
        "created_at": record.created_at,
        "updated_by": names.get(record.updated_by, "unknown"),
        "updated_by_id": record.updated_by,
        "updated_at": record.updated_at,
    }


def trust_json(journal: Journal, record: Record, names: dict[str, str]) -> dict[str, Any]:
    """Whose signatures a shown record carries (docs/SYNC.md, "Signatures").

    `author` is the member whose signature its creation carries, `changed_by`
    who made the latest change shown, `verified` true when every version shown
    carries a valid signature of its author (a record carried over from format
    2 names its carrier instead, `carried_over_by`).
    """
    trust = journal.record_trust(record.id)
    return {
        "author": names.get(trust.author, "unknown"),
        "author_id": trust.author,
        "changed_by": names.get(trust.changed_by, "unknown"),
        "changed_by_id": trust.changed_by,
        "verified": trust.verified,
        "carried_over_by": names.get(trust.carried_by) if trust.carried_by else None,
        "not_verified": [
            {"change": held.dot, "reason": held.reason, "detail": held.detail}
            for held in trust.problems
        ],
    }


def trust_line(journal: Journal, record: Record, names: dict[str, str]) -> str:
    """'Signed:  by Ana Rivera, every version', or what is not, in one line."""
    data = trust_json(journal, record, names)
    if data["verified"]:
        return f"Signed:  yes, by {safe_line(data['author'])} (every version shown)"
    if data["not_verified"]:
        reasons = sorted({problem["detail"] for problem in data["not_verified"]})
        return f"Signed:  NOT VERIFIED: {safe_line('; '.join(reasons))} (tandem verify)"
    if data["carried_over_by"]:
        return f"Signed:  carried over from format 2 by {safe_line(data['carried_over_by'])}"
    return "Signed:  no (written before format 3)"


def who_line(record: Record, names: dict[str, str]) -> str:
    """'created by Ana on ..., last changed by Dr. Lee on ...'."""
    created = safe_line(names.get(record.author, "unknown"))
    changed = safe_line(names.get(record.updated_by or record.author, "unknown"))
    when = local_time(record.updated_at or record.created_at)
    return (
        f"created by {created} on {local_time(record.created_at)}, "
        f"last changed by {changed} on {when}"
    )


def entry_json(entry: Entry, names: dict[str, str]) -> dict[str, Any]:
    """An entry as JSON, without its conflicts."""
    return {
        "type": "entry",
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "body": entry.body,
        "tags": list(entry.tags),
        "author": names.get(entry.author, "unknown"),
        "author_id": entry.author,
        **who_json(entry, names),
        "occurred_at": entry.occurred_at,
        "goals": list(entry.goals),
        "fields": dict(entry.fields),
        "status": entry.status,
        "finalized_at": entry.finalized_at,
        "session_id": entry.session_id,
        "deleted_at": entry.deleted_at,
    }


def comment_json(comment: Comment, names: dict[str, str]) -> dict[str, Any]:
    """A comment or an addendum as JSON."""
    return {
        "id": comment.id,
        "author": names.get(comment.author, "unknown"),
        "author_id": comment.author,
        "body": comment.body,
        "created_at": comment.created_at,
        "created_by": names.get(comment.author, "unknown"),
        "created_by_id": comment.author,
    }


def record_json(journal: Journal, record: Record, names: dict[str, str]) -> dict[str, Any]:
    """Any record as JSON: its type, id, title and own fields, who made it, its conflicts."""
    table = table_of(record)
    doc = record.to_doc()
    envelope = set(Record.field_names())
    data: dict[str, Any] = {
        "type": record_type(table),
        "id": record.id,
        "title": record_name(table, doc, record.id),
        "author": names.get(record.author, "unknown"),
        "author_id": record.author,
        **who_json(record, names),
    }
    data.update({k: v for k, v in doc.items() if k not in envelope and k not in data})
    data["deleted_at"] = record.deleted_at
    data.update(conflicts_json(journal, record, names))
    return data


def thread_of(journal: Journal, record_id: str) -> tuple[list[Comment], str]:
    """The comments in the thread on a record, and its status ('open' or 'resolved')."""
    return journal.thread(record_id), journal.thread_status(record_id)


def thread_lines(comments: list[Comment], names: dict[str, str], status: str) -> list[str]:
    """'Thread (open, 2 comments):' and each comment under its author and time."""
    lines = [f"Thread ({status}, {len(comments)} comment{'s' if len(comments) != 1 else ''}):"]
    for comment in comments:
        who = safe_line(names.get(comment.author, "unknown"))
        lines.append(f"  {who}, {local_time(comment.created_at)}:")
        lines.extend(indent(comment.body, "    "))
    return lines


# --- conflicts ---------------------------------------------------------------------------


def conflicts_json(journal: Journal, record: Record, names: dict[str, str]) -> dict[str, Any]:
    """The `conflicts` list and `deleted_by_other` notice of a record, for JSON."""
    doc = stored_doc(journal, record)
    units, overridden = conflict_state(doc)
    items: list[dict[str, Any]] = []
    if units:
        for unit, versions in journal.conflicts(record.id).items():
            for number, version in enumerate(versions, 1):
                items.append(
                    {
                        "field": unit,
                        "version": number,
                        "shown": number == 1,
                        "dot": version.dot,
                        "value": version.value,
                        "author": names.get(version.author, "unknown"),
                        "author_id": version.author,
                        "at": version.at,
                    }
                )
    notice = None
    if overridden and doc is not None:
        deletion = doc.get("deletion") or {}
        by = str(deletion.get("by") or "")
        notice = {"by": names.get(by, "unknown"), "by_id": by, "at": deletion.get("at")}
    return {"conflicts": items, "deleted_by_other": notice}


def _value_lines(value: Any, prefix: str) -> list[str]:
    if isinstance(value, str):
        return indent(value.rstrip() or "(empty)", prefix)
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return [prefix + safe_line(text)]


def conflict_lines(journal: Journal, path: str, record: Record) -> list[str]:
    """The versions of every unit in conflict, numbered, and the commands that resolve them."""
    import shlex

    doc = stored_doc(journal, record)
    units, overridden = conflict_state(doc)
    if not units and not overridden:
        return []
    members = names(journal)
    base = f"tandem resolve {shlex.quote(path)} {short_id(record.id)}"
    what = RECORD_TYPE.get(table_of(record), "record")
    lines: list[str] = []
    conflicts = journal.conflicts(record.id) if units else {}
    for unit, versions in conflicts.items():
        lines.append("")
        lines.append(
            f"! Conflict in {safe_line(unit)}: changed on two copies at once "
            f"({len(versions)} versions)"
        )
        for number, version in enumerate(versions, 1):
            who = safe_line(members.get(version.author, "unknown"))
            shown = " (shown)" if number == 1 else ""
            lines.append(f"  Version {number}{shown}, by {who} on {local_time(version.at)}:")
            lines.extend(_value_lines(version.value, "    "))
        field = f" --field {shlex.quote(unit)}" if len(conflicts) > 1 else ""
        option = {"body": "--body", "title": "--title"}.get(unit, "--value")
        example = "'the merged text'"
        if not isinstance(versions[0].value, str | None):
            import json

            example = shlex.quote(json.dumps(versions[0].value, ensure_ascii=False))
        lines.append(f"  Keep one:   {base}{field} --keep N   (N: a version number above)")
        lines.append(f"  Or write:   {base}{field} {option} {safe_line(example)}")
    if overridden and doc is not None:
        deletion = doc.get("deletion") or {}
        who = safe_line(members.get(str(deletion.get("by") or ""), "unknown"))
        lines.append("")
        lines.append(
            f"! {who} deleted this {what} on {local_time(deletion.get('at'))}, but it was "
            "changed on another copy at the same time, so it was kept."
        )
        lines.append(f"  Keep it:    {base} --keep-record")
        lines.append(f"  Delete it:  {base} --delete")
    return lines
