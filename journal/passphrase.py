"""A small, local passphrase strength hint: weak, fair or strong, and why.

Nothing leaves the machine and nothing is looked up: the hint looks at the
length, the kinds of characters, whether the passphrase is made of several
words, and a short list of the most common passwords. It is a hint, not a
gate: only a passphrase that is weak *and* shorter than `NEVER_BLOCK_LENGTH`
characters is refused (see `refusal`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NEVER_BLOCK_LENGTH",
    "Strength",
    "mismatch",
    "refusal",
    "strength",
]

Verdict = Literal["weak", "fair", "strong"]

NEVER_BLOCK_LENGTH = 12
"""A passphrase this long or longer is always accepted, whatever the hint says."""

MIN_WORD = 3
"""Letters a run needs to count as a word of a multi-word passphrase."""

WORD_BITS = 12
"""What one word from a vocabulary of about four thousand is worth, in bits."""

WEAK_BELOW, STRONG_FROM = 35, 50
"""Guess counts (in bits) under which a passphrase is weak, and from which it is strong.

Each guess costs an attacker a 64 MiB Argon2 derivation, so 50 bits is a lot.
"""

_COMMON_WORDS = """
    password passw0rd p@ssword p@ssw0rd passwort motdepasse contrasena contraseña
    123456 1234567 12345678 123456789 1234567890 111111 000000 654321 123123 121212
    qwerty qwertz azerty asdfgh zxcvbn qwertyuiop abc123 a1b2c3 1q2w3e 1qaz2wsx
    letmein welcome iloveyou admin login master secret monkey dragon shadow sunshine
    princess football baseball soccer hockey superman batman trustno1 whatever
    freedom starwars hello charlie donald michael jennifer jordan hunter killer
    tandem journal family therapy therapist parent mother father mummy daddy mommy
    child children baby love lovely summer winter autumn spring changeme default
    """
COMMON = frozenset(_COMMON_WORDS.split())
"""Passwords and words so common that guessing starts with them (lower case)."""

_LEET = str.maketrans("013457@$", "oieastas")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Strength:
    """What the hint says about a passphrase."""

    verdict: Verdict
    """weak, fair or strong."""
    reasons: tuple[str, ...]
    """Short phrases saying why ("28 characters", "4 words", "a very common password")."""
    advice: str = ""
    """How to make it stronger (empty when it is strong)."""

    def describe(self) -> str:
        """One line for the screen: "Strength: fair (10 characters, letters and digits). ..."."""
        text = f"Strength: {self.verdict}"
        if self.reasons:
            text += f" ({', '.join(self.reasons)})"
        return f"{text}. {self.advice}" if self.advice else f"{text}."


def _classes(passphrase: str) -> list[str]:
    """The kinds of characters used, in a fixed order."""
    found = []
    if any(c.isalpha() and c.islower() for c in passphrase):
        found.append("lower")
    if any(c.isalpha() and c.isupper() for c in passphrase):
        found.append("upper")
    if any(c.isdigit() for c in passphrase):
        found.append("digits")
    if any(c.isspace() for c in passphrase):
        found.append("spaces")
    if any(not c.isalnum() and not c.isspace() for c in passphrase):
        found.append("symbols")
    return found


def _variety(classes: list[str]) -> str:
    """The character classes in words: "letters only", "letters, digits and symbols"."""
    names = []
    if "lower" in classes or "upper" in classes:
        names.append("mixed-case letters" if {"lower", "upper"} <= set(classes) else "letters")
    if "digits" in classes:
        names.append("digits")
    if "symbols" in classes:
        names.append("symbols")
    if not names:
        return "spaces only"
    if len(names) == 1:
        return f"{names[0]} only"
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _effective_length(passphrase: str) -> int:
    """The length, not counting characters that carry on a run of three or more.

    A run is a repeat or a sequence by one (`aaaa`, `1234`, `dcba`): only its
    first two characters count, so `aaaaaaaa` is worth 2 and `better` all 6.
    """
    text = passphrase.lower()
    count = 0
    for index, char in enumerate(text):
        if index >= 2:
            before = ord(text[index - 1]) - ord(text[index - 2])
            if before in (-1, 0, 1) and ord(char) - ord(text[index - 1]) == before:
                continue
        count += 1
    return count


def _contains_common(folded: str) -> str | None:
    """The longest common password inside `folded` (lower case, leet undone), if any."""
    hits = [word for word in COMMON if len(word) >= 4 and word in folded]
    return max(sorted(hits), key=len) if hits else None


def _guess_bits(
    text: str, classes: list[str], *, easy: frozenset[str] | set[str], few_words: bool
) -> float:
    """A rough count of the guesses needed, in bits.

    Each run of three letters or more counts as words from a vocabulary of a
    few thousand (12 bits for every six letters or so; a repeated word adds
    almost nothing, an easy word from `easy` little when there are few words);
    every other character counts as one drawn from the kinds of characters
    used, with repeats and sequences (`aaaa`, `1234`) counted once; a space
    between words counts one bit.
    """
    pool = 26 if "lower" in classes else 0
    pool += 26 if "upper" in classes else 0
    pool += 10 if "digits" in classes else 0
    pool += 33 if "symbols" in classes else 0
    pool += 50 if any(ord(char) > 127 for char in text) else 0
    per_char = math.log2(max(pool, 2))
    bits = 0.0
    seen: set[str] = set()
    rest: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        run = match.group()
        rest.append(text[position : match.start()])
        position = match.end()
        word = run.casefold()
        effective = _effective_length(word)
        if len(word) < MIN_WORD or effective < MIN_WORD:
            rest.append(run)
        elif word in seen:
            bits += 2
        elif few_words and word.translate(_LEET) in easy:
            seen.add(word)
            bits += 2
        else:
            seen.add(word)
            if few_words:  # a common word inside a longer run is worth little
                inside = [easy_word for easy_word in easy if len(easy_word) >= 4]
                hits = [w for w in inside if w in word.translate(_LEET)]
                if hits:
                    effective = max(0, effective - max(len(hit) for hit in hits))
                    bits += 2
            words = round(effective / 6) if effective < MIN_WORD else max(1, round(effective / 6))
            bits += WORD_BITS * words + (run != word)
        rest.append(" ")  # a word breaks a sequence of the other characters
    rest.append(text[position:])
    others = "".join(rest)
    spaces = sum(1 for char in others if char.isspace())
    bits += spaces
    bits += _effective_length("".join(others.split())) * per_char if others.strip() else 0
    return bits


def strength(passphrase: str, *, avoid: Iterable[str] = ()) -> Strength:
    """Rate `passphrase`: weak, fair or strong, with the reasons.

    `avoid` holds words the passphrase should not be built on (the journal's
    title, the child's name, the person's own name): words of three letters
    or more from them count like common passwords.
    """
    text = unicodedata.normalize("NFC", passphrase)
    length = len(text)
    if not text:
        return Strength("weak", ("empty",), "Type a passphrase.")
    classes = _classes(text)
    lower = text.casefold()
    folded = lower.translate(_LEET)
    words = [w for w in _WORD.findall(lower) if len(w) >= MIN_WORD]
    distinct_words = len(set(words))
    personal = {
        w for phrase in avoid for w in _WORD.findall(phrase.casefold()) if len(w) >= MIN_WORD
    }

    reasons: list[str] = [f"{length} character{'s' if length != 1 else ''}"]
    if distinct_words >= 3:
        reasons.append(f"{distinct_words} words")
    else:
        reasons.append(_variety(classes))

    # Problems that make it weak whatever its length.
    squeezed = re.sub(r"[\W\d_]+", "", folded)
    bare = squeezed or folded
    common = _contains_common(folded)
    if folded in COMMON or bare in COMMON or (common and len(common) >= len(bare) - 3):
        return Strength(
            "weak",
            (*reasons, "a very common password"),
            "Anyone guessing tries these first: choose four or more unrelated words.",
        )
    used_personal = sorted(w for w in personal if w in lower or w in folded)
    if used_personal and sum(len(w) for w in used_personal) >= len(bare) - 3:
        return Strength(
            "weak",
            (*reasons, "built on a name from this journal"),
            "Names are easy to guess: choose four or more unrelated words.",
        )

    effective = _effective_length(text)
    if effective < length * 0.6:
        reasons.append("repeated or consecutive characters")
    if common:
        reasons.append(f'contains "{common}"')
    if used_personal:
        reasons.append("contains a name from this journal")

    bits = _guess_bits(text, classes, easy=COMMON | personal, few_words=distinct_words < 3)

    if length < 8 or bits < WEAK_BELOW:
        if length < NEVER_BLOCK_LENGTH:
            advice = (
                f"Use {NEVER_BLOCK_LENGTH} characters or more: four or more unrelated words "
                "are strong and easy to remember."
            )
        else:
            advice = "Repeats and common words are easy to guess: try four unrelated words."
        return Strength("weak", tuple(reasons), advice)
    if bits < STRONG_FROM or length < NEVER_BLOCK_LENGTH:
        return Strength("fair", tuple(reasons), "Longer is stronger: add another word or two.")
    return Strength("strong", tuple(reasons))


def refusal(passphrase: str, *, avoid: Iterable[str] = ()) -> str | None:
    """Why `passphrase` cannot be used, as a sentence; None when it can.

    Only an empty passphrase, or a weak one shorter than `NEVER_BLOCK_LENGTH`
    characters, is refused: a long passphrase is always accepted.
    """
    if not passphrase:
        return "Type a passphrase."
    if len(unicodedata.normalize("NFC", passphrase)) >= NEVER_BLOCK_LENGTH:
        return None
    if strength(passphrase, avoid=avoid).verdict == "weak":
        return (
            f"This passphrase is too easy to guess. Use {NEVER_BLOCK_LENGTH} characters or "
            "more, for example four unrelated words."
        )
    return None


def mismatch(first: str, second: str, *, final: bool = False) -> str | None:
    """The message when the confirmation differs from the passphrase, or None.

    While the person is still typing the confirmation (`final` False and it is
    a beginning of the passphrase), nothing is said yet.
    """
    if first == second:
        return None
    if not final and (not second or first.startswith(second)):
        return None
    return "The two passphrases are not the same."
