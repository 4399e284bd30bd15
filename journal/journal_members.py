"""The members part of `Journal`: who is in it, their keys and passphrases, owners, removal.

`MemberMethods` is mixed into `Journal` (journal/journal.py); see
`journal_base`, docs/MODEL.md ("Owners", "Rights") and docs/SYNC.md
("Removing a member"). Only owners invite, add or remove members, change
roles and make owners; a member changes only their own passphrase (an owner
who opened the journal with the recovery code may reset anyone's, which
gives that member new keys). Removing a member revokes their slots, cuts off
their later changes and renews the journal key; what they already had, they
keep.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from journal.errors import JournalLocked, UsageError
from journal.identity import MemberKeys, PublicKeys, b64, safety_number
from journal.journal_base import check_choice, locked
from journal.journal_trust import TrustMethods
from journal.membership import removal
from journal.model import ROLES, Member, new_id

__all__ = ["MemberInfo", "MemberMethods"]


@dataclass
class MemberInfo:
    """A member as the People screen and `tandem member list` show them."""

    id: str
    name: str
    role: str
    owner: bool
    safety_number: str
    """Twenty digits to compare by phone or in person; '' while the member has no keys."""
    checked: bool
    """True when I compared this safety number and marked it checked."""
    removed: bool
    keys: str
    """How their keys came: created, invited, accepted, held, upgrade, reset, or '' (none yet)."""
    me: bool

    def to_json(self) -> dict[str, Any]:
        """What `tandem member list --json` prints for one member: every field but `me`."""
        shown = asdict(self)
        del shown["me"]
        return shown


class MemberMethods(TrustMethods):
    """Members: invitations, passphrases, owners, safety numbers, removal and key renewal."""

    @locked
    def members(self) -> list[Member]:
        """Members in the order they joined (removed ones left out)."""
        current = (m for m in self.all(Member) if not m.removed)
        return sorted(current, key=lambda m: m.created_at)

    @locked
    def members_by_id(self) -> dict[str, Member]:
        """Every member (also removed ones, so old records still show their author)."""
        return {m.id: m for m in self.all(Member, include_deleted=True)}

    @locked
    def member_name(self, member_id: str | None) -> str:
        """A member's display name, or 'unknown'."""
        member = self.members_by_id().get(member_id or "")
        return member.name if member else "unknown"

    @locked
    def find_member(self, name_or_id: str) -> Member:
        """The member named `name_or_id` (any case) or whose id starts with it."""
        wanted = name_or_id.strip().casefold()
        everyone = sorted(self.all(Member), key=lambda m: m.created_at)
        matches = [m for m in everyone if m.name.casefold() == wanted]
        if not matches and wanted:
            matches = [m for m in everyone if m.id.startswith(wanted)]
        if len(matches) != 1:
            known = ", ".join(m.name for m in everyone)
            what = "more than one member" if matches else "no member"
            raise UsageError(f"{what} named {name_or_id!r}; members: {known}")
        return matches[0]

    @locked
    def members_info(self) -> list[MemberInfo]:
        """Every member with their role, owner mark, safety number and my checked mark."""
        me = self.member_id or ""
        people = self._people()
        found = []
        for member in sorted(self.all(Member), key=lambda m: m.created_at):
            keys = PublicKeys.read(member.keys)
            number = safety_number(self.journal_id, member.id, keys.sign, keys.box) if keys else ""
            found.append(
                MemberInfo(
                    id=member.id,
                    name=member.name,
                    role=member.role,
                    owner=people.is_owner(member.id) and member.id not in people.removed,
                    safety_number=number,
                    checked=keys is not None and member.checked.get(me) == b64(keys.sign),
                    removed=member.removed is not None,
                    keys=keys.via if keys is not None else "",
                    me=member.id == me,
                )
            )
        return found

    @property
    @locked
    def i_am_owner(self) -> bool:
        """True when the member who opened the journal is one of its owners."""
        return self._people().current_owner(self.member_id or "")

    def _refuse_unless_owner(self, what: str) -> None:
        if not self._people().current_owner(self.member_id or ""):
            raise JournalLocked(f"only an owner {what}")

    # --- adding people ----------------------------------------------------------------

    @locked
    def add_member(self, name: str, role: str, **profile: Any) -> Member:
        """Add a member without an invitation (their keys stay in my care: docs/MODEL.md)."""
        check_choice("role", role, ROLES)
        if not name.strip():
            raise UsageError("a member needs a name")
        member = Member(name=name.strip(), role=role)
        for key, value in profile.items():
            if key not in member.field_names() or key in _NOT_PROFILE:
                raise UsageError(f"member has no field {key!r}")
            setattr(member, key, value)
        self._ensure_signing()
        if self._signed:
            self._refuse_unless_owner("adds members")
            member.keys = self._custody_keys(member.id)
        self._insert(member)
        return member

    def invite(self, name: str, role: str, **profile: Any) -> tuple[Member, str]:
        """Add a member with a one-time invite code (at least 80 bits); saves the journal.

        Give the code by phone or in person, never in the same email as the
        file. Opened with it, Tandem only lets the person set their own
        passphrase, which replaces the invite slot (and, in format 3, their keys).
        """
        with self.lock:
            self._refuse_if_invite()
            check_choice("role", role, ROLES)
            if not name.strip():
                raise UsageError("a member needs a name")
            self._ensure_signing()
            signed = self._signed
            if signed:
                self._refuse_unless_owner("invites members")
            member_id = new_id()
        keys = MemberKeys.generate(member_id) if signed else None
        code, slot = self.file.new_invite_slot(member_id, keys)  # slow: no lock
        with self.lock:
            member = Member(id=member_id, name=name.strip(), role=role)
            for key, value in profile.items():
                if key not in member.field_names() or key in _NOT_PROFILE:
                    raise UsageError(f"member has no field {key!r}")
                setattr(member, key, value)
            if keys is not None:
                member.keys = keys.public("invited")
                member.slots = {slot.id: slot.binding()}
            self._insert(member)
            self.file.add_invite_slot(slot)
            if keys is None:  # format 2: the journal page binds the slot to its member
                self.update_info(slot_owners={**self.info.slot_owners, slot.id: member.id})
            self._forget_trust()
        self.save()
        return member, code

    @property
    @locked
    def needs_own_passphrase(self) -> bool:
        """True when opened with an invite code: the person must set a passphrase first."""
        return self.opened_with == "invite"

    def _refuse_if_invite(self) -> None:
        if self.needs_own_passphrase:
            raise UsageError(
                "this is an invite code: set your own passphrase first (tandem passwd)"
            )

    # --- profiles ---------------------------------------------------------------------

    @locked
    def update_member(self, member_id: str, **changes: Any) -> Member:
        """Edit a member's profile (name, role, background, values, ...); only an owner
        changes a role (docs/MODEL.md, "Rights")."""
        member = self.get(Member, member_id)
        if "role" in changes:
            check_choice("role", changes["role"], ROLES)
            if changes["role"] != member.role:
                self._refuse_unless_owner("changes roles")
        for key in changes:
            if key in _NOT_PROFILE:
                raise UsageError(f"member has no field {key!r}")
        return self._apply(member, changes)

    @locked
    def set_role(self, member_id: str, role: str) -> Member:
        """Give a member another role (parent, therapist, other); owners only."""
        member = self.get(Member, member_id)
        if member.removed is not None:
            raise JournalLocked(f"{member.name} was removed")
        return self.update_member(member.id, role=role)  # storing it renews who is who

    @locked
    def mark_seen(self) -> None:
        """Record that the current member has looked at the journal now."""
        self.update_member(self.me.id, last_seen=self._now())

    @locked
    def mark_checked(self, member_id: str, checked: bool = True) -> Member:
        """Mark that I compared this member's safety number with them (or take the mark back)."""
        member = self.get(Member, member_id)
        keys = PublicKeys.read(member.keys)
        if keys is None:
            raise UsageError(f"{member.name} has no keys yet: there is nothing to check")
        me = self.me.id
        marks = dict(member.checked)
        if checked:
            marks[me] = b64(keys.sign)
        else:
            marks.pop(me, None)
        member.checked = marks
        self._update(member)
        return member

    # --- passphrases --------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str, member_id: str | None = None) -> None:
        """Set a new passphrase for `member_id` (default: me); saves the journal.

        The slot used to unlock is revoked unless it was the recovery slot.
        Format 3: my own passphrase wraps my same keys; opened with an
        invitation, I take keys of my own (signed with the invitation's key);
        an owner with the recovery code resetting someone else's gives them
        new keys (their safety number changes).
        """
        if not new_passphrase:
            raise UsageError("the new passphrase cannot be empty")
        with self.lock:
            member = self.get(Member, member_id or self.me.id)
            mine = member.id == self.me.id
            if not mine and self.opened_with != "recovery":
                raise UsageError(
                    "you can only change your own passphrase (or anyone's with the recovery code)"
                )
            if not self.needs_own_passphrase:
                self._ensure_signing()
            signed = self._signed
            old_keys = self.file.member_keys
            keys: MemberKeys | None = old_keys
            if signed and (not mine or self.opened_with == "invite" or old_keys is None):
                keys = MemberKeys.generate(member.id)
            if signed and not mine:
                self._refuse_unless_owner("resets another member's passphrase")
        slot = self.file.new_passphrase_slot(new_passphrase, member.id, keys)  # slow: no lock
        with self.lock:
            if not signed:
                self._legacy_passphrase(slot, member.id)
            else:
                self._member_passphrase(slot, member, keys, old_keys, mine)
            self._middleware.dirty = True
        self.save()

    def _legacy_passphrase(self, slot: Any, member_id: str) -> None:
        """Format 2: bind the slot by the journal page; revoke the member's earlier ones."""
        owners = self.info.slot_owners
        previous = {
            slot_id
            for slot_id in self.file.live_slot_ids("passphrase", "invite")
            if owners.get(slot_id) == member_id
        }
        slot_id = self.file.add_passphrase_slot(slot, member_id)
        # Every earlier passphrase (and invite) of this member stops working; the
        # recovery code keeps working.
        self.file.revoke_slots(previous)
        self.update_info(slot_owners={**owners, slot_id: member_id})

    def _member_passphrase(
        self, slot: Any, member: Member, keys: Any, old_keys: Any, mine: bool
    ) -> None:
        """Format 3: bind the new slot, revoke the member's earlier ones, record new keys."""
        previous = {
            slot_id
            for slot_id, binding in member.slots.items()
            if binding.split(":")[0] in ("passphrase", "invite")
        }
        legacy = self.info.slot_owners
        previous |= {s for s, owner in legacy.items() if owner == member.id}
        previous &= self.file.live_slot_ids("passphrase", "invite")
        bindings = {slot_id: "revoked" for slot_id in previous}
        bindings[slot.id] = slot.binding()
        changes: dict[str, Any] = {}
        signing = None
        if keys is not old_keys or not mine:
            if not mine:
                changes["keys"] = keys.public("reset", **{"from": member.keys})
            else:
                changes["keys"] = keys.public("accepted", **{"from": member.keys})
                signing = old_keys  # the invitation's key signs the change of keys, once
        self.file.add_passphrase_slot(slot, member.id, keys)
        self.file.revoke_slots(previous)
        self._signing_keys = signing
        try:
            self._set_member(member.id, slots=bindings, **changes)
        finally:
            self._signing_keys = None
        self._forget_trust()

    # --- owners, removal, renewing the key ----------------------------------------------

    @locked
    def make_owner(self, member_id: str, owner: bool = True) -> Member:
        """Make a member an owner (or an ordinary member again); owners only."""
        self._refuse_unless_owner("makes owners")
        member = self.get(Member, member_id)
        if member.removed is not None:
            raise JournalLocked(f"{member.name} was removed")
        people = self._people()
        if not owner and member.id == people.creator:
            raise JournalLocked("the journal's creator is always an owner")
        self._set_member(member.id, owner=owner)
        self._forget_trust()
        return self.get(Member, member.id)

    @locked
    def remove_member(self, member_id: str) -> Member:
        """Remove a member (owners only): revoke their slots, cut off their later changes,
        and renew the journal key for the others. They keep what they already had."""
        self._refuse_unless_owner("removes members")
        member = self.get(Member, member_id)
        if member.id == self.me.id:
            raise JournalLocked("you cannot remove yourself; another owner can")
        if member.removed is not None:
            raise JournalLocked(f"{member.name} was already removed")
        value = removal(self.document(), member.id, self.me.id, self._now())
        slots = {slot_id: "revoked" for slot_id in member.slots}
        legacy = self.info.slot_owners
        slots.update({s: "revoked" for s, owner in legacy.items() if owner == member.id})
        self.file.revoke_slots(slots)
        self._set_member(member.id, slots=slots, removed=value, owner=False)
        self._forget_trust()
        self._new_epoch()
        return self.get(Member, member.id)

    @locked
    def rotate_key(self) -> list[str]:
        """Renew the journal key now (owners only): later saves open only for current members.

        Used invitation codes and replaced passphrases stop being a way into
        anything written afterwards. Returns the names of members without keys
        of their own yet (they have not opened the journal since the upgrade),
        who will need a new invitation.
        """
        self._refuse_unless_owner("renews the journal key")
        self._ensure_signing()
        self._new_epoch()
        return [m.name for m in self.members_info() if not m.keys and not m.removed]


_NOT_PROFILE = frozenset(Member.field_names()) - frozenset(
    {"name", "role", "background", "values", "what_works", "contact_times", "last_seen", "read"}
)
