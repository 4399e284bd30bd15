"""The Markdown export: a readable report in plain text.

text = export_markdown(journal, since="2025-03-01", pseudonym="Alex")
"""

from __future__ import annotations

from typing import Any, Unpack

from journal import goals as goal_rules
from journal.journal import Journal
from journal.model import ENTRY_KIND_LABELS, KIND_FIELDS, Goal, Measurement, utc_now
from journal.reports.common import local_when, one_line
from journal.reports.selection import ExportFilters, Lookups, read

RECENT_POINTS = 6
"""How many of a goal's latest data points the report lists."""


def _point(goal: Goal, m: Measurement, *, short: bool = False) -> str:
    return goal_rules.point_text(goal.measure, m, short=short) or "-"


def _block(label: str, value: Any) -> list[str]:
    lines = [line.strip() for line in str(value).strip().splitlines() if line.strip()]
    head = f"- **{label}**" if label.endswith("?") else f"- **{label}:**"
    if len(lines) <= 1:
        return [f"{head} {lines[0] if lines else ''}".rstrip()]
    return [head, *(f"  - {line}" for line in lines)]


def _blocks(*labelled: tuple[str, Any]) -> list[str]:
    """`_block` of each (label, value) whose value is not blank."""
    return [line for label, value in labelled if value.strip() for line in _block(label, value)]


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()]


def _thread_lines(found: Lookups, target_id: str) -> list[str]:
    posts = found.posts(target_id)
    if not posts:
        return []
    lines = ["", f"**Thread ({found.status(target_id)}):**", ""]
    for post in posts:
        lines.append(f"> **{found.name(post.author)}**, {local_when(post.created_at)}:")
        lines.extend(_quote(post.body))
        lines.append("")
    return lines[:-1]


def export_markdown(journal: Journal, **filters: Unpack[ExportFilters]) -> str:
    """A readable Markdown report of the journal (filters as in `export_json`).

    Title and period, the child's page, the team, goals with status,
    criterion and latest data, then entries newest first with their kind,
    date, author, tags, structured fields, body, addenda and threads; then
    sessions, resources and standalone topics.
    """
    reading = read(journal, filters)
    chosen, found = reading.chosen, reading.found
    since, until, kind = filters.get("since"), filters.get("until"), filters.get("kind")
    info = chosen.info
    goal_titles = found.goal_titles
    out: list[str] = [f"# {one_line(info.title)}", ""]

    days = sorted(e.occurred_at[:10] for e in chosen.entries)
    start = since or (days[0] if days else "")
    end = until or (days[-1] if days else "")
    period = f"{start} to {end}" if start or end else "no entries"
    out.append(f"- **Period:** {period}")
    out.append(f"- **Exported:** {local_when(utc_now())}")
    narrowed = []
    kinds = [kind] if isinstance(kind, str) else list(kind or ())
    if kinds:
        narrowed.append("kind " + ", ".join(ENTRY_KIND_LABELS.get(k, k) for k in kinds))
    if filters.get("goal") is not None and chosen.goals:
        narrowed.append(f"goal {chosen.goals[0].title!r}")
    if narrowed:
        out.append(f"- **Only:** {', '.join(narrowed)}")
    if info.child_name:
        out.append(f"- **Child:** {info.child_name}")
    out += _blocks(
        ("Interests", info.interests),
        ("Strengths", info.strengths),
        ("Please avoid", info.avoid),
    )

    out += ["", "## Team", ""]
    for member in chosen.members:
        out.append(f"- **{member.name}** ({member.role})")
        for label, value in (
            ("Background", member.background),
            ("Values", member.values),
            ("What works", member.what_works),
            ("Best times to reach", member.contact_times),
        ):
            if value.strip():
                out.append(f"  - {label}: {one_line(value)}")

    if chosen.goals:
        out += ["", "## Goals"]
        by_goal = reading.period_points()
        for g in chosen.goals:
            heading = g.title
            if g.parent_id:
                heading = f"{g.title} (objective of {goal_titles.get(g.parent_id, 'a goal')!r})"
            out += ["", f"### {one_line(heading)}", ""]
            status = g.status
            if reading.criterion_met(g) and g.status in ("baseline", "acquisition"):
                status += " · criterion met, awaiting the therapist's confirmation"
            out.append(f"- **Status:** {status}")
            if g.domain:
                out.append(f"- **Domain:** {g.domain}")
            out.append(f"- **Criterion:** {g.criterion_text()} ({g.measure})")
            out += _blocks(
                ("Definition", g.description),
                ("Method", g.method),
                ("Desired outcome", g.desired_outcome),
                ("Setting", g.setting),
            )
            if g.start_date or g.review_date:
                out.append(
                    f"- **Started:** {g.start_date or '-'} · **Review:** {g.review_date or '-'}"
                )
            points = by_goal.get(g.id, [])
            if points:
                last = points[-1]
                detail = ", ".join(
                    part for part in (last.prompt, last.setting, found.name(last.author)) if part
                )
                out.append(f"- **Latest data:** {last.date}: {_point(g, last)} ({detail})")
                recent = " → ".join(_point(g, m, short=True) for m in points[-RECENT_POINTS:])
                shown = min(len(points), RECENT_POINTS)
                out.append(f"- **Recent ({shown} of {len(points)}):** {recent}")
            else:
                out.append("- **Latest data:** none yet")
            out.extend(_thread_lines(found, g.id))

    out += ["", f"## Entries ({len(chosen.entries)}, newest first)"]
    for entry in chosen.entries:
        label = ENTRY_KIND_LABELS.get(entry.kind, entry.kind)
        when = entry.occurred_at.replace("T", " ")
        out += ["", f"### {when} · {label} · {one_line(entry.title)}", ""]
        byline = f"*By {found.name(entry.author)}*"
        if entry.kind == "session":
            byline += " · finalized" if entry.locked else " · draft"
        out.append(byline)
        if entry.tags:
            out.append("")
            out.append("Tags: " + " ".join(f"#{t}" for t in entry.tags))
        if entry.goals:
            out.append("")
            out.append("Goals: " + "; ".join(goal_titles.get(g, g[:8]) for g in entry.goals))
        specs = KIND_FIELDS.get(entry.kind, ())
        known = {spec.name for spec in specs}
        field_lines: list[str] = []
        for spec in specs:
            shown_value = entry.fields.get(spec.name)
            if shown_value is None or (isinstance(shown_value, str) and not shown_value.strip()):
                continue
            field_lines.extend(_block(spec.label, shown_value))
        for name, extra in entry.fields.items():
            if name not in known and extra not in (None, ""):
                field_lines.extend(_block(name.replace("_", " ").capitalize(), extra))
        if field_lines:
            out.append("")
            out.extend(field_lines)
        if entry.body.strip():
            out += ["", entry.body.strip()]
        for addendum in found.addenda(entry.id):
            out += [
                "",
                f"**Addendum** by {found.name(addendum.author)}, "
                f"{local_when(addendum.created_at)}:",
                "",
            ]
            out.extend(_quote(addendum.body))
        out.extend(_thread_lines(found, entry.id))

    if chosen.sessions:
        out += ["", "## Sessions", ""]
        for s in chosen.sessions:
            line = f"- {s.starts_at.replace('T', ' ')} · {s.duration_min} min · {s.status}"
            if s.location:
                line += f" · {one_line(s.location)}"
            if s.notes.strip():
                line += f" · {one_line(s.notes)}"
            out.append(line)
            discussion = _thread_lines(found, s.id)
            if discussion:
                out.extend([*discussion, ""])

    if chosen.resources:
        out += ["", "## Resources"]
        for r in chosen.resources:
            out += ["", f"### {one_line(r.title)} ({r.kind})", ""]
            out.append(f"*Shared by {found.name(r.author)}*")
            if r.url:
                out += ["", f"<{r.url}>"]
            if r.text.strip():
                out += ["", r.text.strip()]
            readers = [found.name(m) for m in r.acknowledged]
            out += ["", f"Read by: {', '.join(readers) if readers else 'nobody yet'}"]
            out.extend(_thread_lines(found, r.id))

    topics = [t for t in chosen.threads if t.topic]
    if topics:
        out += ["", "## Discussions"]
        for t in topics:
            out += ["", f"### {one_line(t.title)}", ""]
            out.append(f"*Started by {found.name(t.author)}*")
            out.extend(_thread_lines(found, t.id))

    return reading.replace("\n".join(out).rstrip() + "\n")
