"""The trust part of `Journal`: signing every change, the upgrade to format 3, and checking.

`TrustMethods` is mixed into `Journal` (journal/journal.py); see `journal_base`
and docs/SYNC.md ("Signatures"). Every local change is checked against the
rights of docs/MODEL.md (`journal.rights`) and, in a format 3 journal,
signed by its author's key before it is stored (`_stamp`). A format 1 or 2
journal is upgraded at its creator's first change or save (`_upgrade`); a
member whose format 2 slot still opens the journal gets keys at theirs
(`_introduce_myself`). Signatures are checked for what is shown
(`record_trust`) and all at once by `verify_signatures`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from journal.both_cores import two_at_a_time
from journal.crypto import new_journal_key, new_recovery_code
from journal.errors import DamagedFile, JournalLocked, UsageError
from journal.identity import MemberKeys, PublicKeys, b64, seal_key, unseal
from journal.journal_base import JournalBase, locked
from journal.membership import (
    EPOCHS,
    MEMBERS,
    Checker,
    Epoch,
    Held,
    Trust,
    current_epoch,
    epoch_keys,
    keyring_recipients,
    slot_bindings,
)
from journal.merge import candidate_values, document_signed
from journal.model import TABLES, JournalInfo, Member
from journal.rights import People, author_of, refusal
from journal.signing import Change, changes_of, sign_change, value_hash
from journal.storage import SlotBindings

__all__ = ["RecordTrust", "SignatureReport", "TrustMethods"]

Doc = dict[str, Any]
DOCUMENT_VERSION = 2
"""The journal document version this code writes (docs/MODEL.md); it reads 1 too."""
_WHO_IS_WHO = frozenset({Member.TABLE, JournalInfo.TABLE, EPOCHS})
"""Tables whose changes can change who is who (members, owners, keys, the creator)."""


@dataclass
class RecordTrust:
    """Whose signatures a record carries, as `tandem show --json` and the app tell it."""

    author: str
    """The member whose signature its creation carries (or who it claims, if unsigned)."""
    changed_by: str
    """Who made the latest change shown."""
    verified: bool
    """True when every version shown carries a valid signature of its author."""
    carried_by: str | None = None
    """The owner who carried it over from format 2 (shown "carried over by NAME")."""
    problems: list[Held] = field(default_factory=list)


@dataclass
class SignatureReport:
    """Every change of the journal checked (`tandem verify`)."""

    verified: int = 0
    carried: int = 0
    unsigned: int = 0
    invalid: int = 0
    problems: list[Held] = field(default_factory=list)


class TrustMethods(JournalBase):
    """Signing, the rights of each change, the upgrade to format 3, checking signatures."""

    # --- who is who ------------------------------------------------------------------

    def _trust(self) -> Trust:
        """Who is who in this journal as it is (cached until members change)."""
        members = self._in_memory(Member.TABLE)
        cached = self._trust_cache
        if cached is not None and cached[0] is members and cached[1] == self._trust_epoch:
            return cached[2]
        trust = Trust.of_document(self._middleware.read() or {}, self.journal_id)
        trust.people.lookup = lambda table, record_id: self._in_memory(table).get(record_id)
        self._trust_cache = (members, self._trust_epoch, trust)
        return trust

    def _forget_trust(self) -> None:
        """Members, owners or keys changed: work out who is who again."""
        self._trust_epoch += 1

    def _stored(self, table: str) -> None:
        """A record of `table` was stored: who is who may have changed."""
        if table in _WHO_IS_WHO:
            self._forget_trust()

    def _people(self) -> People:
        return self._trust().people

    @property
    def _signed(self) -> bool:
        """True for a format 3 journal: every change is signed."""
        return self.file.format >= 3 or document_signed(self._middleware.read() or {})

    # --- signing a local change ------------------------------------------------------

    def _stamp(self, table: str, doc: Doc, dot: str, context: dict[str, int], *, new: bool) -> None:
        """Check a local change against the rights and sign it (in place, before it is stored).

        Raises `JournalLocked` with the rule when the member may not make it.
        """
        written = {
            unit: by_dot[dot] for unit, by_dot in candidate_values(doc).items() if dot in by_dot
        }
        writes = dict(doc.get("writes") or {})
        info = writes[dot]
        if self._signed:
            keys = self._signing_keys or self._keys_for(str(info[1]))
            info = sign_change(
                keys, self.journal_id, table, str(doc["id"]), dot, info, context, written
            )
            writes[dot] = info
            doc["writes"] = writes
        if self._bootstrapping:
            return
        change = Change(table, str(doc["id"]), dot, info, dict(written), creation=new)
        change.hashes = {unit: value_hash(value) for unit, value in written.items()}
        people = self._people()
        if change.signer in people.removed:
            raise JournalLocked("that member was removed from the journal")
        reason = refusal(change, doc, people)
        if reason is not None:
            raise JournalLocked(reason)

    def _keys_for(self, member_id: str) -> MemberKeys:
        """The private keys that sign as `member_id`: mine, or a member's held in my care."""
        mine = self.file.member_keys
        if mine is not None and mine.member_id == member_id:
            return mine
        held = self._custody.get(member_id)
        if held is not None:
            return held
        record = self._in_memory(Member.TABLE).get(member_id) or {}
        keys = PublicKeys.read(record.get("keys"))
        custody = keys.custody() if keys is not None else None
        if custody is not None and mine is not None and custody.get("by") == mine.member_id:
            plain = unseal(custody, mine.box_private, self._custody_aad(member_id))
            found = MemberKeys.from_plain(bytes.fromhex(member_id) + plain) if plain else None
            if found is not None:
                self._custody[member_id] = found
                return found
        name = record.get("name") or "that member"
        raise UsageError(f"{name}'s keys are not in your care: you cannot write as them")

    def _custody_aad(self, member_id: str) -> bytes:
        return (self.journal_id + "custody" + member_id).encode("ascii")

    def _custody_keys(self, member_id: str) -> dict[str, Any]:
        """Fresh keys for a member added without an invitation, held in my care."""
        mine = self.file.member_keys
        if mine is None:
            raise UsageError("you need keys of your own first (save once)")
        keys = MemberKeys.generate(member_id)
        sealed = seal_key(
            keys.sign_seed + keys.box_private, mine.box_public, self._custody_aad(member_id)
        )
        self._custody[member_id] = keys
        return keys.public("held", custody={"by": mine.member_id, **sealed})

    # --- getting ready to sign: the upgrade, and keys for a member who has none ----------

    def _ensure_signing(self) -> None:
        """Before a change or a save: upgrade a format 2 journal, or give me keys."""
        if self._bootstrapping:
            return
        document = self._middleware.read() or {}
        if document_signed(document):
            if self.file.member_keys is None and self.member_id is not None:
                self._introduce_myself()
        elif self._may_upgrade():
            self._upgrade()

    def _may_upgrade(self) -> bool:
        """The creator, opened with their passphrase, upgrades a format 1 or 2 journal."""
        me = self.file.member_id
        info = self._in_memory(JournalInfo.TABLE).get(self.journal_id)
        return (
            self.file.format < 3
            and me is not None
            and info is not None
            and author_of(info) == me
            and self.file.unlocked.slot.kind == "passphrase"
            and self.file.unlocked.kek is not None
        )

    def _upgrade(self) -> None:
        """Upgrade to format 3 (docs/FORMAT.md, "Upgrading from version 2")."""
        document = self.document()
        me = str(self.file.member_id)
        keys = MemberKeys.generate(me)
        for name, records in list(document.items()):
            if isinstance(records, dict) and name != "_default":
                document[name] = {
                    record_id: self._carried(name, record_id, doc, keys, me)
                    if isinstance(doc, dict)
                    else doc
                    for record_id, doc in records.items()
                }
        document["tandem"] = DOCUMENT_VERSION
        old_slot = self.file.unlocked.slot
        passphrase_slot = self.file.member_slot_with_kek(keys)
        assert passphrase_slot is not None  # `_may_upgrade` asked for the key-encryption key
        code = new_recovery_code()
        recovery_slot = self.file.new_member_slot("recovery", code, keys)
        revoked = [old_slot.id] + [
            s.id for s in self.file.header.slots if s.kind == "recovery" and not s.holds_member_keys
        ]
        self.file.header.slots += [passphrase_slot, recovery_slot]
        self.file.use_slot(passphrase_slot, keys, self.file.unlocked.kek)
        self.file.revoke_slots(revoked)
        members = document.get(Member.TABLE) or {}
        everyone = sorted(m for m, doc in members.items() if not doc.get("removed"))
        self._clear_caches()
        self._bootstrapping = True  # the creator becomes the first owner as the upgrade says
        try:
            epoch = Epoch(
                id=secrets.token_hex(8), n=1, key=b64(self.file.unlocked.key), to=everyone
            )
            self._insert(epoch)
            bindings = {passphrase_slot.id: passphrase_slot.binding()}
            bindings[recovery_slot.id] = recovery_slot.binding()
            bindings.update({slot_id: "revoked" for slot_id in revoked})
            self._set_member(me, keys=keys.public("upgrade"), owner=True, slots=bindings)
        finally:
            self._bootstrapping = False
        self.file.header.format = 3
        self.file.header.epoch = epoch.id
        self.file.epoch_keys = {epoch.id: self.file.unlocked.key}
        self._new_recovery_code = code
        self._middleware.dirty = True

    def _carried(
        self,
        table: str,
        record_id: str,
        doc: Doc,
        keys: MemberKeys,
        me: str,
        here: Doc | None = None,
    ) -> Doc:
        """A format 2 record with each of its unsigned changes signed once by an owner,
        marked carried over; those the journal's own copy `here` holds are left."""
        held = (here or {}).get("writes") or {}
        writes = dict(doc.get("writes") or {})
        context = dict(doc.get("vv") or {})
        try:
            changes = changes_of(table, record_id, doc)
        except ValueError:
            return doc
        for dot, change in changes.items():
            if change.signature is None and dot in writes and dot not in held:
                writes[dot] = sign_change(
                    keys,
                    self.journal_id,
                    table,
                    record_id,
                    dot,
                    writes[dot],
                    context,
                    change.values,
                    carried=me,
                )
        return {**doc, "writes": writes}

    def _carry_over(self, document: Doc) -> Doc:
        """A format 1 or 2 copy whose unsigned changes new to this journal I carry over.

        Owners only (docs/SYNC.md, "Key slots and membership"): each is signed
        by me, marked carried over, with the copy's vector of that record as its
        context. Changes this journal holds already are left as they are.
        """
        me = self.member_id or ""
        if not self._people().current_owner(me):
            raise JournalLocked("only an owner carries changes over from format 2")
        self._ensure_signing()
        keys = self._keys_for(me)
        carried: Doc = {}
        for name, records in document.items():
            if not isinstance(records, dict) or name == "_default":
                carried[name] = records
                continue
            here = self._in_memory(name)
            carried[name] = {
                record_id: self._carried(name, record_id, doc, keys, me, here.get(record_id))
                if isinstance(doc, dict)
                else doc
                for record_id, doc in records.items()
            }
        return carried

    def _introduce_myself(self) -> None:
        """Give keys to a member who opened a format 3 journal with a format 2 slot."""
        me = str(self.file.member_id)
        keys = MemberKeys.generate(me)
        old_slot = self.file.unlocked.slot
        slot = self.file.member_slot_with_kek(keys)
        if slot is None:
            raise UsageError("set your passphrase again (tandem passwd) to get keys of your own")
        self.file.header.slots.append(slot)
        self.file.use_slot(slot, keys, self.file.unlocked.kek)
        self.file.revoke_slots([old_slot.id])
        bindings = {slot.id: slot.binding(), old_slot.id: "revoked"}
        self._set_member(me, keys=keys.public("upgrade"), slots=bindings)

    def _set_member(
        self, member_id: str, *, slots: dict[str, str] | None = None, **changes: Any
    ) -> None:
        """Change a member record's trust fields (keys, owner, slots, removed) as one change."""
        member = self.get(Member, member_id)
        if slots:
            changes["slots"] = {**member.slots, **slots}
        for key, value in changes.items():
            setattr(member, key, value)
        self._update(member)

    def _clear_caches(self) -> None:
        self._middleware.cache = self._middleware.read()
        for table in self._db.tables():
            self._db.table(table).clear_cache()
        self._forget_trust()

    @locked
    def take_new_recovery_code(self) -> str | None:
        """The recovery code made when this journal was upgraded to format 3 (once), or None.

        The old code no longer opens it: show this one to the person, once.
        """
        code, self._new_recovery_code = self._new_recovery_code, None
        return code

    # --- what a save encrypts with ------------------------------------------------------

    def _save_keys(self) -> tuple[tuple[str, bytes] | None, list[tuple[str, bytes]]]:
        """The epoch (id, key) a save encrypts with, and the members it gives it to.

        Starts a new epoch when the current one was given to a removed member,
        and notes a current member it was not given to yet (docs/SYNC.md).
        """
        document = self._middleware.read() or {}
        if not document_signed(document):
            return None, []
        trust = self._trust()
        epochs = self._in_memory(EPOCHS)
        epoch = current_epoch(epochs, trust.people.removed)
        if epoch is None:
            epoch = self._new_epoch()
        recipients = keyring_recipients(self._in_memory(Member.TABLE), trust.people.removed)
        missing = [m for m, _box in recipients if m not in (epoch.get("to") or ())]
        if missing:
            record = Epoch.from_doc(epoch)
            record.to = sorted({*record.to, *missing})
            self._update(record)
            epoch = self._in_memory(EPOCHS)[record.id]
        self.file.epoch_keys = epoch_keys(self._in_memory(EPOCHS))
        return (str(epoch["id"]), self.file.epoch_keys[str(epoch["id"])]), recipients

    def _new_epoch(self) -> Doc:
        """Start a new epoch: a new key for every later save, given to the current members."""
        trust = self._trust()
        epochs = self._in_memory(EPOCHS)
        number = max((doc.get("n", 0) for doc in epochs.values()), default=0) + 1
        members = self._in_memory(Member.TABLE)
        current = sorted(m for m in members if m not in trust.people.removed)
        record = Epoch(id=secrets.token_hex(8), n=number, key=b64(new_journal_key()), to=current)
        self._insert(record)
        return self._in_memory(EPOCHS)[record.id]

    def _slot_bindings(self, document: Doc) -> SlotBindings | None:
        """What a signed journal's member records say about key slots, or None for format 2."""
        if not document_signed(document):
            return None
        live, revoked, legacy = slot_bindings(document)
        return SlotBindings(live, revoked, legacy)

    def _checker(self) -> Checker:
        """A checker for a merge into this journal: its own changes are taken as checked."""
        return Checker(self.journal_id, trust_local=True, cache=self._checks)

    def _check_my_keys(self) -> None:
        """After opening with a format 3 slot: my record must hold the keys the slot holds."""
        keys = self.file.member_keys
        if keys is None or not document_signed(self._middleware.read() or {}):
            return
        record = self._in_memory(Member.TABLE).get(keys.member_id) or {}
        if not keys.matches(PublicKeys.read(record.get("keys"))):
            raise DamagedFile(
                "this file is damaged: it was altered (your keys in it are not "
                "the ones your passphrase opens)"
            )
        self.file.epoch_keys = epoch_keys(self._in_memory(EPOCHS))

    # --- checking signatures -----------------------------------------------------------

    @locked
    def record_trust(self, record_id: str) -> RecordTrust:
        """Whose signatures the record `record_id` carries, and whether they are valid."""
        return self.records_trust([record_id])[0]

    @locked
    def records_trust(self, record_ids: list[str]) -> list[RecordTrust]:
        """`record_trust` of each record, in order.

        Their signatures are checked two at a time first: Ed25519 lets go of the
        interpreter lock, so one is checked while the next change's message is
        made (the checks are remembered, `SignatureCache`).
        """
        records = []
        for record_id in record_ids:
            record = self.find(record_id)
            table = type(record).TABLE
            doc = self.stored_doc(table, record.id) or {}
            try:
                changes = changes_of(table, record.id, doc)
            except ValueError:
                changes = {}
            records.append((table, record.id, doc, changes))
        trust = self._trust()
        signed = [  # a member's keys are checked their own way (`Trust.check`)
            change
            for *_, changes in records
            for change in changes.values()
            if change.signature is not None and change.table != MEMBERS
        ]
        if len(signed) >= 4:  # fewer are checked sooner than a thread starts
            two_at_a_time(lambda change: trust.signed_by_signer(change, self._checks), signed)
        return [self._record_trust(*record) for record in records]

    def _record_trust(
        self, table: str, record_id: str, doc: Doc, changes: dict[str, Change]
    ) -> RecordTrust:
        trust = self._trust()
        problems: list[Held] = []
        carried: str | None = None
        for change in changes.values():
            held = trust.check(change, doc, self._checks)
            if held is not None:
                problems.append(held)
            carried = carried or change.carried
        verified = not problems and carried is None and bool(changes)
        return RecordTrust(
            author=author_of(doc),
            changed_by=str(doc.get("updated_by") or ""),
            verified=verified,
            carried_by=carried,
            problems=problems,
        )

    @locked
    def verify_signatures(self) -> SignatureReport:
        """Check every change of the journal (`tandem verify`): counts and what failed."""
        document = self.document()
        checker = Checker(self.journal_id, trust_local=False, cache=self._checks)
        for name in checker.begin(document, {}, list(TABLES)):
            records = document.get(name) or {}
            if isinstance(records, dict):
                checker.accept_table(name, records, {})
                checker.merged_table(name, records)
        report = SignatureReport(verified=checker.signed, carried=checker.carried)
        for held in checker.take_held():
            report.problems.append(held)
            if held.reason == "unsigned":
                report.unsigned += 1
            else:
                report.invalid += 1
        return report
