"""The people screen: who is on the team, what works for the child, and the journal's own page.

"Personal rapport": each member's profile says who they are (name, role,
background, values), what works for the child in their experience, and
when they prefer to be contacted. The journal's own page holds the child's
first name or a pseudonym, interests, strengths and what to avoid.

The list on the left holds the journal's page, then the members in the order
they joined (with when, whether an invited member has joined yet, and the
safety numbers you checked); the right shows the highlighted one, with their
safety number and whether they are an owner. `e` edits the member's own profile or the journal's
page; `i` invites a member and shows their one-time code, once; `k` marks a
safety number compared (`k`). Owners also make owners (`o`), remove members (`x`)
and renew the key (`r`), each after a question that says what it does and,
for a removal, what it cannot do (docs/MODEL.md, "Owners").

Reading runs in a thread worker (`PeopleData.load`), and so does every
change; after one the screen posts `JournalEdited` and reads the journal
again (`ListDetailScreen`). Every row is plain `Content`; text placed into Markdown is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, Markdown, OptionList
from textual.widgets.option_list import Option

from journal.dates import local_time
from journal.journal import Journal, MemberInfo
from journal.model import JOURNAL_FIELDS, MEMBER_FIELDS, JournalInfo, Member, ProfileField
from screens.confirm_dialog import ConfirmDialog
from screens.invite_code_dialog import InviteCodeDialog
from screens.list_detail import ListDetailScreen
from screens.profile_dialog import ProfileDialog
from widgets.entry_view import escape_markdown, markdown_parser, one_line
from widgets.messages import JournalEdited

__all__ = [
    "JOURNAL_PAGE",
    "PeopleData",
    "PeopleScreen",
    "journal_page_markdown",
    "member_markdown",
    "member_prompt",
]

JOURNAL_PAGE = "journal-page"
"""The list's option id of the journal's own page."""

JOINED, INVITED = "joined", "invited"
"""How a member holds a key to the file: their own passphrase, or an invite code only."""


# --- what the screen shows, read in a worker (no Textual) ------------------------------------


@dataclass(frozen=True)
class PeopleData:
    """The members and the journal's page, as the screen shows them."""

    me: str
    """The id of the member looking."""
    info: JournalInfo
    """The journal's own page."""
    members: tuple[Member, ...] = ()
    """The members, in the order they joined."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Member id -> JOINED (has a passphrase) or INVITED (an invite code only)."""
    file_name: str = ""
    """The journal file's name, to say which file an invited member opens."""
    can_invite: bool = True
    """False when this copy was opened with an invite code (set a passphrase first)."""
    trust: Mapping[str, MemberInfo] = field(default_factory=dict)
    """Member id -> their safety number, owner mark and my checked mark."""
    i_am_owner: bool = False
    """True when the member looking is an owner (owners decide who is in the journal)."""

    @classmethod
    def load(cls, journal: Journal) -> PeopleData:
        """Read the members and the page from `journal` (no Textual; fine in a thread)."""
        with journal.lock:
            info = journal.info
            members = journal.members()
            owners = info.slot_owners
            with_passphrase = {
                owners[slot] for slot in journal.file.live_slot_ids("passphrase") if slot in owners
            }
            with_invite = {
                owners[slot] for slot in journal.file.live_slot_ids("invite") if slot in owners
            }
            keys = {member_id: INVITED for member_id in with_invite}
            keys.update({member_id: JOINED for member_id in with_passphrase})
            trust = {person.id: person for person in journal.members_info()}
            for member_id, person in trust.items():  # format 3: how their keys came
                if person.keys == "invited":
                    keys[member_id] = INVITED
                elif person.keys not in ("", "held"):
                    keys[member_id] = JOINED
            return cls(
                me=journal.me.id,
                info=info,
                members=tuple(members),
                keys=keys,
                file_name=journal.path.name,
                can_invite=not journal.needs_own_passphrase,
                trust=trust,
                i_am_owner=journal.i_am_owner,
            )

    def member(self, member_id: str) -> Member | None:
        """The member with this id, or None."""
        return next((m for m in self.members if m.id == member_id), None)

    def joined(self, member: Member) -> str:
        """When and how a member came in: 'joined 2026-01-01', 'invited …, not joined yet'."""
        day = local_time(member.created_at)[:10]
        if self.keys.get(member.id) == INVITED:
            return f"invited {day}, not joined yet"
        if self.keys.get(member.id) == JOINED:
            return f"joined {day}"
        return f"added {day}"


# --- rows and details --------------------------------------------------------------------


def member_prompt(member: Member, data: PeopleData) -> Content:
    """A member's row: the name (and 'you'); role and when they joined."""
    parts: list[str | tuple[str, str]] = [(one_line(member.name) or "(no name)", "bold")]
    if member.id == data.me:
        parts.append(("  you", "$text-accent"))
    person = data.trust.get(member.id)
    if person is not None and person.checked:
        parts.append(("  ✓ checked", "$text-success"))
    parts.append((f"\n  {one_line(member.role)} · {data.joined(member)}", "$text-muted"))
    return Content.assemble(*parts)


KEY_ORIGINS = {
    "created": "made with the journal",
    "invited": "made for the invitation, not used yet",
    "accepted": "their own, made when they joined",
    "held": "kept for them by the owner who added them (they have no passphrase)",
    "upgrade": (
        "introduced by themselves when the journal moved to format 3: nobody vouched for "
        "them yet, so compare the safety number before you rely on it"
    ),
    "reset": "set again by an owner (a lost passphrase): compare the new safety number",
}
"""How a member's keys came to be, in words (docs/MODEL.md, `keys`)."""


def trust_markdown(member: Member, data: PeopleData) -> list[str]:
    """The lines about a member's keys: the safety number, where it came from, my check."""
    person = data.trust.get(member.id)
    if person is None:
        return []
    if not person.safety_number:
        return [
            "",
            "### Safety number",
            "",
            "*No keys yet: they get theirs when they next open it.*",
        ]
    lines = ["", "### Safety number", "", f"`{person.safety_number}`", ""]
    lines.append(f"Keys {KEY_ORIGINS.get(person.keys, person.keys)}.")
    if person.me:
        lines += ["", "*Read it out when another member compares it with you.*"]
    elif person.checked:
        lines += ["", "✓ You compared it with them (press k to take the mark back)."]
    else:
        lines += [
            "",
            "*Not checked: compare these digits with what they see on their own People "
            "screen, by phone or in person, then press k.*",
        ]
    return lines


def journal_prompt(info: JournalInfo) -> Content:
    """The journal page's row: what it is; the child and the title."""
    child = one_line(info.child_name) or "the child is not named yet"
    return Content.assemble(
        ("The journal's page", "bold"),
        (f"\n  {child} · {one_line(info.title)}", "$text-muted"),
    )


def _sections(fields: tuple[ProfileField, ...], record: Any, skip: set[str]) -> list[str]:
    lines: list[str] = []
    for spec in fields:
        if spec.name in skip:
            continue
        value = str(getattr(record, spec.name, "") or "")
        lines += ["", f"### {escape_markdown(spec.label)}", ""]
        lines.append(escape_markdown(value) if value.strip() else "*Not filled in yet.*")
    return lines


def member_markdown(member: Member, data: PeopleData) -> str:
    """The Markdown of a member's profile; every piece of user text escaped."""
    facts = [one_line(member.role).capitalize(), data.joined(member)]
    if member.last_seen:
        facts.append(f"last looked {local_time(member.last_seen)}")
    lines = [
        f"## {escape_markdown(one_line(member.name)) or '(no name)'}",
        "",
        escape_markdown(" · ".join(facts)),
    ]
    if member.id == data.me:
        lines += ["", "*This is you: press e to edit your profile.*"]
    person = data.trust.get(member.id)
    if person is not None and person.owner:
        lines += ["", "*An owner: owners invite and remove members and decide who else is one.*"]
    lines += trust_markdown(member, data)
    lines += _sections(MEMBER_FIELDS, member, {"name", "role"})
    return "\n".join(lines) + "\n"


def journal_page_markdown(info: JournalInfo) -> str:
    """The Markdown of the journal's own page; every piece of user text escaped."""
    lines = [
        f"## {escape_markdown(one_line(info.title)) or '(untitled journal)'}",
        "",
        "*The journal's own page, about the child, for everyone on the team. Press e to edit it.*",
    ]
    lines += _sections(JOURNAL_FIELDS, info, {"title"})
    return "\n".join(lines) + "\n"


# --- the screen ------------------------------------------------------------------------------


class PeopleScreen(ListDetailScreen[PeopleData]):
    """The journal's page and the members on the left; the highlighted one on the right."""

    AUTO_FOCUS = "#people"
    LIST_ID = "people"
    WORKER_ERRORS: ClassVar[dict[str, str]] = {
        "read": "Could not read the journal",
        "write": "Could not change the journal",
        "invite": "Could not invite",
        "members": "Could not change who is in the journal",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="people.edit"),
        Binding("i", "invite", "Invite", id="people.invite"),
        Binding("k", "check", "Checked", id="people.check"),
        Binding("o", "owner", "Owner", id="people.owner"),
        Binding("l", "role", "Role", id="people.role"),
        Binding("x", "remove", "Remove", id="people.remove"),
        Binding("r", "rotate", "Renew key", id="people.rotate"),
        Binding("escape", "focus_list", "People", id="people.list", show=False),
    ]

    DEFAULT_CSS = """
    PeopleScreen {
        & #people { min-width: 36; max-width: 60; }
        & #person { width: 3fr; min-width: 40; padding: 0 1; }
        & #person > Markdown { margin: 0; padding: 0 1; }
        & #person-text > MarkdownH2 { margin: 1 0 0 0; }
    }
    """

    @dataclass
    class Invited(Message):
        """A member was invited: their code, to show once (from the worker)."""

        member: Member
        code: str
        """The invitation code."""

    def compose(self) -> ComposeResult:
        """Header, the two panes and the footer."""
        yield Header()
        with Horizontal(id="people-panes", classes="panes"):
            yield self.make_list(Option(Content("Loading…"), disabled=True))
            with VerticalScroll(id="person"):
                yield Markdown(
                    "", id="person-text", parser_factory=markdown_parser, open_links=False
                )
        yield Footer()

    # --- the MainScreen contract --------------------------------------------------------

    def show_record(self, record_id: str) -> None:
        """Highlight a member, or the journal's page (its id is the journal's)."""
        self._wanted = JOURNAL_PAGE if record_id == self.journal.journal_id else record_id
        if self.data is not None and self.is_mounted and not self._apply_wanted():
            self.reload()

    # --- loading ----------------------------------------------------------------------

    def read_data(self) -> PeopleData:
        """Read the members and the page (in a worker)."""
        return PeopleData.load(self.journal)

    def show_data(self, data: PeopleData) -> None:
        """List the page and the members; the row shown stays, else the page."""
        options = self.list_view
        keep = self.selected_id
        rows = [
            Option(journal_prompt(data.info), id=JOURNAL_PAGE),
            Option(
                Content.styled(f"Members ({len(data.members)})", "bold underline"), disabled=True
            ),
        ]
        rows += [Option(member_prompt(member, data), id=member.id) for member in data.members]
        options.set_options(rows)
        if not (keep and self.highlight(keep)):
            self.highlight(JOURNAL_PAGE)
        if self._wanted is not None:
            self._apply_wanted()
        self.show_selected()

    def _apply_wanted(self) -> bool:
        wanted = self._wanted
        if wanted is None or not self.highlight(wanted):
            return False
        self._wanted = None
        self.show_selected()
        self.list_view.focus()
        return True

    # --- the one shown -------------------------------------------------------------------

    def show_selected(self) -> None:
        """The journal's page or the highlighted member, in full."""
        data, selected = self.data, self.selected_id
        text = self.query_one("#person-text", Markdown)
        if data is None or selected is None:
            text.update("")
        elif selected == JOURNAL_PAGE:
            text.update(journal_page_markdown(data.info))
        elif (member := data.member(selected)) is not None:
            text.update(member_markdown(member, data))
        self.refresh_bindings()

    def row_highlighted(self) -> None:
        """Another row: show it, from its top."""
        self.show_selected()
        self.query_one("#person", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#people")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#person", VerticalScroll).focus()

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit only the member's own profile and the page; invite when the copy allows."""
        if action == "edit":
            selected = self.selected_id
            return self.data is not None and selected in (JOURNAL_PAGE, self.data.me)
        if action == "invite":
            return self.data is not None and self.data.can_invite
        if action in ("check", "owner", "role", "remove", "rotate"):
            return self._may(action)
        return True

    def _may(self, action: str) -> bool:
        """Whether `action` applies: checking others' keys; owners' decisions about others."""
        data, selected = self.data, self.selected_id
        if data is None:
            return False
        if action == "rotate":
            return data.i_am_owner
        person = data.trust.get(selected or "")
        if action == "role":  # an owner's own role too
            return data.i_am_owner and person is not None and not person.removed
        if person is None or person.me or person.removed:
            return False
        if action == "check":
            return bool(person.safety_number)
        return data.i_am_owner and not (action == "owner" and person.owner)

    def _name_taken(
        self, values: Mapping[str, str], *, besides: str | None = None
    ) -> dict[str, str]:
        """A problem when another member already has the name in `values`."""
        data = self.data
        name = values.get("name", "").casefold()
        if data is None or not name:
            return {}
        if any(m.name.casefold() == name and m.id != besides for m in data.members):
            return {"name": "A member already has this name: add a surname or an initial."}
        return {}

    def action_edit(self) -> None:
        """Edit the member's own profile, or the journal's page."""
        data, selected = self.data, self.selected_id
        if data is None:
            return
        if selected == JOURNAL_PAGE:
            info = data.info
            self.ask(
                ProfileDialog.for_journal(info),
                lambda values: self._save(info, values, JOURNAL_FIELDS),
            )
            return
        me = data.member(data.me)
        if selected != data.me or me is None:
            return
        dialog = ProfileDialog.for_member(
            me, check=lambda values: self._name_taken(values, besides=me.id), owner=data.i_am_owner
        )
        self.ask(dialog, lambda values: self._save(me, values, MEMBER_FIELDS))

    def _save(
        self,
        record: Member | JournalInfo,
        values: Mapping[str, str],
        fields: tuple[ProfileField, ...],
    ) -> None:
        """Send only what changed to a worker."""
        changes = {
            spec.name: values[spec.name]
            for spec in fields
            if spec.name in values and values[spec.name] != getattr(record, spec.name, "")
        }
        if not changes:
            self.notify("Nothing changed.", timeout=3)
            return
        if isinstance(record, Member):
            self._update_member(record.id, changes)
        else:
            self._update_info(changes)

    def action_invite(self) -> None:
        """Invite a member (name and role), then show their code once."""
        if self.data is not None and self.data.can_invite:
            self.ask(
                ProfileDialog.for_invite(check=self._name_taken),
                lambda values: self._invite(values["name"], values["role"]),
            )

    # --- writing (in workers) ------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="write")
    def _update_member(self, member_id: str, changes: dict[str, str]) -> None:
        """Change the member's profile (in a thread)."""
        self.journal.update_member(member_id, **changes)
        self.written("Profile saved", member_id)

    @work(thread=True, exit_on_error=False, group="write")
    def _update_info(self, changes: dict[str, str]) -> None:
        """Change the journal's page (in a thread)."""
        self.journal.update_info(**changes)
        self.written("Journal page saved", JOURNAL_PAGE)

    @work(thread=True, exit_on_error=False, group="invite")
    def _invite(self, name: str, role: str) -> None:
        """Invite a member (in a thread; the journal saves itself) and show the code."""
        member, code = self.journal.invite(name, role)
        self.post_message(self.Invited(member, code))

    @on(Invited)
    def _invited(self, event: Invited) -> None:
        self.post_message(JournalEdited(f"{one_line(event.member.name)} invited"))
        self._wanted = event.member.id
        self.reload()
        file_name = self.data.file_name if self.data is not None else ""
        self.app.push_screen(
            InviteCodeDialog(event.member.name, event.member.role, event.code, file_name)
        )

    # --- owners' decisions and checked marks ---------------------------------------------

    def _selected_person(self) -> MemberInfo | None:
        data = self.data
        return data.trust.get(self.selected_id or "") if data is not None else None

    def action_check(self) -> None:
        """Mark the highlighted member's safety number compared (or take the mark back)."""
        person = self._selected_person()
        if person is not None and self._may("check"):
            self._mark_checked(person.id, not person.checked)

    def action_owner(self) -> None:
        """Make the highlighted member an owner, after asking."""
        person = self._selected_person()
        if person is None or not self._may("owner"):
            return
        question = f"Make {one_line(person.name)} an owner?"
        detail = (
            "Owners invite and remove members, decide who else is an owner and renew the "
            "journal's key. Only an owner can make them an ordinary member again."
        )
        self.confirm(
            ConfirmDialog(question, detail=detail, yes="Make owner"),
            partial(self._make_owner, person.id),
        )

    def action_role(self) -> None:
        """Give the highlighted member another role (owners)."""
        data, person = self.data, self._selected_person()
        member = data.member(person.id) if data is not None and person is not None else None
        if member is None or not self._may("role"):
            return
        self.ask(ProfileDialog.for_role(member), partial(self._set_role, member))

    def _set_role(self, member: Member, values: Mapping[str, str]) -> None:
        role = values.get("role", member.role)
        if role == member.role:
            self.notify("Nothing changed.", timeout=3)
            return
        self._change_role(member.id, role)

    def action_remove(self) -> None:
        """Remove the highlighted member, after a question that says what removal cannot do."""
        person = self._selected_person()
        if person is None or not self._may("remove"):
            return
        name = one_line(person.name)
        detail = (
            f"Their passphrases stop opening this journal, and a new key encrypts everything "
            f"written from now on, so nothing new reaches them. What removal cannot do: {name} "
            "keeps every copy and every word they already had, and can still read those."
        )
        self.confirm(
            ConfirmDialog(
                f"Remove {name} from the journal?", detail=detail, yes="Remove", destructive=True
            ),
            partial(self._remove, person.id),
        )

    def action_rotate(self) -> None:
        """Renew the journal's key, after asking."""
        if not self._may("rotate"):
            return
        detail = (
            "A new key encrypts everything written from now on: used invitation codes and "
            "replaced passphrases open none of it. Everyone in the journal keeps their access. "
            "It cannot take back what anyone already had."
        )
        self.confirm(
            ConfirmDialog("Renew the journal's key now?", detail=detail, yes="Renew"), self._rotate
        )

    @work(thread=True, exit_on_error=False, group="members")
    def _mark_checked(self, member_id: str, checked: bool) -> None:
        """Mark a safety number compared (in a thread)."""
        self.journal.mark_checked(member_id, checked)
        self.written("Marked checked" if checked else "Check mark taken back", member_id)

    @work(thread=True, exit_on_error=False, group="members")
    def _make_owner(self, member_id: str) -> None:
        """Make a member an owner (in a thread)."""
        member = self.journal.make_owner(member_id)
        self.written(f"{one_line(member.name)} is now an owner", member_id)

    @work(thread=True, exit_on_error=False, group="members")
    def _change_role(self, member_id: str, role: str) -> None:
        """Give a member another role (in a thread)."""
        member = self.journal.set_role(member_id, role)
        self.written(f"{one_line(member.name)} is now a {role}", member_id)

    @work(thread=True, exit_on_error=False, group="members")
    def _remove(self, member_id: str) -> None:
        """Remove a member and renew the key (in a thread)."""
        member = self.journal.remove_member(member_id)
        self.written(f"{one_line(member.name)} removed; the key was renewed")

    @work(thread=True, exit_on_error=False, group="members")
    def _rotate(self) -> None:
        """Renew the journal's key (in a thread)."""
        left_out = self.journal.rotate_key()
        what = "The key was renewed"
        if left_out:
            what += f"; {', '.join(one_line(n) for n in left_out)} will need a new invitation"
        self.written(what)
