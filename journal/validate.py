"""Checking a decrypted journal document: every record has the shape the program relies on.

A copy that passes the checksum and the payload's authentication was still
written by someone holding the key: a member's buggy or hostile program, or
a leaked copy. `check_document` and `check_records` refuse such a copy as
damaged, with one line naming the table, the record and the field, before any
screen or merge meets a value it cannot handle (docs/FORMAT.md, "Limits").

The types come from the dataclasses in `journal.model` (one source of
truth); what a type hint cannot say is added here: the listed choices of
kinds and statuses, the types of an entry's structured fields
(`KIND_FIELDS`), and the shape of the merge metadata (docs/SYNC.md).
Fields this version does not know are allowed, within the nesting limit
(docs/MODEL.md: a newer minor version may add fields).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from journal.errors import DamagedFile
from journal.model import (
    ENTRY_KINDS,
    GOAL_OWNERS,
    GOAL_STATUSES,
    KIND_FIELDS,
    MEASURES,
    REQUEST_STATUSES,
    ROLES,
    SESSION_STATUSES,
    TABLES,
    THREAD_STATUSES,
    Record,
)

__all__ = ["MAX_DEPTH", "check_document", "check_records", "shown_id"]

MAX_DEPTH = 32
"""How deeply a record's field may nest lists and objects (orjson writes at most 254 levels)."""

# The values a field may take beyond its type: indexing a label or a board column by
# anything else would fail on screen.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("entries", "kind"): ENTRY_KINDS,
    ("members", "role"): ROLES,
    ("goals", "status"): GOAL_STATUSES,
    ("goals", "measure"): MEASURES,
    ("goals", "owner"): GOAL_OWNERS,
    ("sessions", "status"): SESSION_STATUSES,
    ("requests", "status"): REQUEST_STATUSES,
    ("threads", "status"): THREAD_STATUSES,
}

_DOT = re.compile(r".*:[0-9]{1,18}", re.DOTALL)  # replica:counter (docs/SYNC.md)
_SAFE_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


_NONE = type(None)
_SCALARS: frozenset[type] = frozenset({str, int, float, bool, _NONE})


class _Type:
    """What a field holds: a test, and a phrase that names it ("a list of text").

    `quick` are the Python types a value may have to pass without a closer
    look (most values are text, so most fields cost one set lookup);
    `bounded` is False when the value may nest without limit, so the
    nesting depth must be checked as well.
    """

    def __init__(
        self,
        name: str,
        test: Callable[[Any], bool],
        kinds: tuple[type, ...],
        *,
        quick: frozenset[type] = frozenset(),
        bounded: bool = True,
        item: _Type | None = None,
        scalar: bool = False,
    ) -> None:
        self.name = name
        self.test = test
        self.kinds = kinds  # the Python types of the outer value, to say what it is instead
        self.quick = quick
        self.bounded = bounded
        self.item = item  # for an object field, what each of its keys holds
        self.scalar = scalar  # the test is just `type(value) in quick`


def _scalar(name: str, *kinds: type) -> _Type:
    allowed = frozenset(kinds)
    return _Type(name, lambda value: type(value) in allowed, kinds, quick=allowed, scalar=True)


_TEXT = _scalar("text", str)
_WHOLE = _scalar("a whole number", int)
_NUMBER = _scalar("a number", int, float)
_BOOL = _scalar("true or false", bool)
_NULL = _scalar("null", _NONE)
_ANY = _Type("anything", lambda value: True, (object,), quick=_SCALARS, bounded=False)


def _all_pass(item: _Type) -> Callable[[Iterable[Any]], bool]:
    """A test of every value of a list or an object (for scalars, without a Python loop)."""
    if item.scalar:
        allowed = item.quick
        return lambda values: set(map(type, values)) <= allowed
    passes = item.test
    return lambda values: all(map(passes, values))


def _list_of(item: _Type) -> _Type:
    all_pass = _all_pass(item)

    def test(value: Any) -> bool:
        return type(value) is list and all_pass(value)

    return _Type(f"a list of {item.name}", test, (list,), bounded=item.bounded)


def _object_of(item: _Type) -> _Type:
    all_pass = _all_pass(item)

    def test(value: Any) -> bool:
        return type(value) is dict and all_pass(value.values())

    return _Type(f"an object of {item.name}", test, (dict,), bounded=item.bounded, item=item)


def _either(*options: _Type) -> _Type:
    def test(value: Any) -> bool:
        return any(option.test(value) for option in options)

    return _Type(
        " or ".join(option.name for option in options),
        test,
        tuple(kind for option in options for kind in option.kinds),
        quick=frozenset().union(*(option.quick for option in options)),
        bounded=all(option.bounded for option in options),
    )


def _from_hint(hint: Any) -> _Type:
    """The `_Type` of a dataclass field's type hint."""
    if hint is Any:
        return _ANY
    simple = {str: _TEXT, int: _WHOLE, float: _NUMBER, bool: _BOOL, _NONE: _NULL}
    if hint in simple:
        return simple[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _either(*(_from_hint(arg) for arg in args))
    if origin is list:
        return _list_of(_from_hint(args[0]))
    if origin is dict:
        return _object_of(_from_hint(args[1]))
    raise TypeError(f"no check for the type {hint!r}")  # a new kind of field in model.py


def _one_of(base: _Type, choices: tuple[str, ...]) -> _Type:
    allowed = frozenset(choices)
    return _Type(
        "one of " + ", ".join(choices),
        lambda value: type(value) is str and value in allowed,
        base.kinds,
    )


def _is_dot(value: Any) -> bool:
    return type(value) is str and _DOT.fullmatch(value) is not None


_INT: frozenset[type] = frozenset({int})
_STR: frozenset[type] = frozenset({str})


def _vector(value: Any) -> bool:
    return (
        type(value) is dict
        and set(map(type, value.values())) <= _INT
        and min(value.values(), default=0) >= 0
    )


def _dots(value: Any) -> bool:
    return (
        type(value) is dict
        and set(map(type, value.values())) <= _STR
        and all(map(_DOT.fullmatch, value.values()))
    )


def _deletion(value: Any) -> bool:
    return value is None or (
        type(value) is dict
        and type(value.get("at")) in (str, _NONE)
        and type(value.get("by")) in (str, _NONE)
        and ("vv" not in value or _vector(value["vv"]))
    )


def _writes(value: Any) -> bool:
    return type(value) is dict and all(
        type(info) is list
        and (
            (len(info) == 3 and set(map(type, info)) <= _STR)
            or (len(info) == 4 and set(map(type, info[:3])) <= _STR and _signature(info[3]))
        )
        for info in value.values()
    )


_SIGNATURE_KEYS = frozenset({"c", "s", "h", "t", "o"})


def _signature(value: Any) -> bool:
    """A write's signature (docs/SYNC.md): context, signature, kept hashes, signed time, carrier."""
    return (
        type(value) is dict
        and value.keys() <= _SIGNATURE_KEYS
        and _vector(value.get("c"))
        and type(value.get("s")) is str
        and type(value.get("t", "")) is str
        and type(value.get("o", "")) is str
        and (
            "h" not in value
            or (type(value["h"]) is dict and set(map(type, value["h"].values())) <= _STR)
        )
    )


# An entry's structured fields (KIND_FIELDS): counts and ratings are whole numbers, the rest
# text; either may be left empty. A field of no kind (from a newer version) holds a plain value.
_COUNT = _Type(
    "a whole number or nothing",
    lambda value: type(value) is int or value is None or value == "",
    (int, _NONE, str),
    quick=frozenset({int, _NONE}),
)
_FIELD_VALUE: dict[str, _Type] = {
    spec.name: _COUNT if spec.type in ("int", "rating") else _either(_TEXT, _NULL)
    for specs in KIND_FIELDS.values()
    for spec in specs
}
_PLAIN = _scalar("a plain value", str, int, float, bool, _NONE)
_FIELD_QUICK = {name: kind.quick for name, kind in _FIELD_VALUE.items()}


_COUNT_NAMES = frozenset(name for name, kind in _FIELD_VALUE.items() if kind is _COUNT)
_TEXT_OR_NULL: frozenset[type] = frozenset({str, _NONE})


def _entry_fields(value: Any) -> bool:
    if type(value) is not dict:
        return False
    if set(map(type, value.values())) <= _TEXT_OR_NULL:  # most entries: text, or nothing
        return not any(value[name] for name in _COUNT_NAMES.intersection(value))
    return all(
        type(field_value) in _FIELD_QUICK.get(name, _SCALARS)
        or _FIELD_VALUE.get(name, _PLAIN).test(field_value)
        for name, field_value in value.items()
    )


_ENVELOPE_RULES: dict[str, _Type] = {
    "vv": _Type("an object of whole numbers from 0", _vector, (dict,)),
    "dots": _Type("an object of changes (replica:counter)", _dots, (dict,)),
    "writes": _Type("an object of lists of three texts and a signature", _writes, (dict,)),
    "deletion": _Type(
        "null or a deletion (at, by, vv)",
        _deletion,
        (dict, _NONE),
        quick=frozenset({_NONE}),
        bounded=False,
    ),
}


# A measurement taken live (docs/MODEL.md, "Data taken live"): what its type hints cannot say.
_NUMBERS: frozenset[type] = frozenset({int, float})


def _from_zero(value: Any) -> bool:
    return value is None or (type(value) in _NUMBERS and value >= 0)


def _seconds(value: Any) -> bool:
    return type(value) is list and set(map(type, value)) <= _NUMBERS and min(value, default=0) >= 0


def _interval_length(value: Any) -> bool:
    return value is None or (type(value) is int and value >= 1)


_TALLY = _Type("an object of whole numbers from 0", _vector, (dict,))
_AMOUNT = _Type(
    "a number from 0, or null", _from_zero, (int, float, _NONE), quick=frozenset({_NONE})
)
_TABLE_RULES: dict[str, dict[str, _Type]] = {
    "measurements": {
        "prompts": _TALLY,
        "counts": _TALLY,
        "minutes": _AMOUNT,
        "rate": _AMOUNT,
        "episodes": _Type("a list of numbers from 0", _seconds, (list,)),
        "interval_seconds": _Type(
            "a whole number from 1, or null",
            _interval_length,
            (int, _NONE),
            quick=frozenset({_NONE}),
        ),
    },
}


def _schema(cls: type[Record]) -> dict[str, _Type]:
    """Field name -> its type, for one record type."""
    hints = typing.get_type_hints(cls)
    schema: dict[str, _Type] = {}
    for field in cls.field_names():
        kind = _ENVELOPE_RULES.get(field) or _from_hint(hints[field])
        choices = CHOICES.get((cls.TABLE, field))
        schema[field] = kind if choices is None else _one_of(kind, choices)
    if cls.TABLE == "entries":
        schema["fields"] = _Type("an object of the kind's fields", _entry_fields, (dict,))
    schema.update(_TABLE_RULES.get(cls.TABLE, {}))
    return schema


SCHEMAS: dict[str, dict[str, _Type]] = {table: _schema(cls) for table, cls in TABLES.items()}
"""Table name -> field name -> what the field holds."""

_QUICK = {
    table: {field: kind.quick for field, kind in schema.items()}
    for table, schema in SCHEMAS.items()
}
_LABELS = {
    table: re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__).lower() for table, cls in TABLES.items()
}


# --- describing a refusal ------------------------------------------------------------------


_WHAT = {
    _NONE: "null",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "an object",
}


def _what(value: Any) -> str:
    """What a JSON value is, in words."""
    return _WHAT.get(type(value), "an object")


def shown_id(name: str) -> str:
    """A name from the file, safe to print on one line (it may be anything)."""
    return name[:8] if _SAFE_ID.fullmatch(name) else "with an unreadable id"


def _refuse(table: str, record_id: str, problem: str) -> DamagedFile:
    """The one-line refusal naming the record (its kind and first 8 id characters)."""
    label = _LABELS.get(table, "record")
    return DamagedFile(f"this file is damaged: {label} {shown_id(record_id)}: {problem}")


def _mismatch(field: str, kind: _Type, value: Any) -> str:
    if type(value) in kind.kinds:  # the right kind of value, holding the wrong things
        return f"its {field!r} is not {kind.name}"
    return f"its {field!r} is {_what(value)}, not {kind.name}"


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when `value` nests lists and objects more than `limit` levels deep."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if type(item) is dict else item
        stack.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return False


# --- checking -----------------------------------------------------------------------------


def _unit_type(schema: Mapping[str, _Type], unit: str) -> _Type:
    """What a conflict's value for `unit` must be: the type of its field (docs/SYNC.md)."""
    kind = schema.get(unit)
    if kind is not None:
        return kind
    head, dot, sub = unit.partition(".")
    if dot and head == "fields":
        return _FIELD_VALUE.get(sub, _PLAIN)
    if dot and head in schema:
        return schema[head].item or _ANY  # one key of an object field
    return _ANY


def _check_conflicts(table: str, record_id: str, schema: Mapping[str, _Type], value: Any) -> None:
    if type(value) is not list:
        raise _refuse(table, record_id, f"its 'conflicts' is {_what(value)}, not a list")
    for conflict in value:
        if (
            type(conflict) is not dict
            or type(conflict.get("unit")) is not str
            or not _is_dot(conflict.get("dot"))
            or "value" not in conflict
        ):
            raise _refuse(table, record_id, "a conflicting version is not unit, value and change")
        unit = conflict["unit"]
        kind = _unit_type(schema, unit)
        if not kind.test(conflict["value"]):
            shown = unit if _SAFE_ID.fullmatch(unit.replace(".", "_")) else "a field"
            problem = _mismatch(shown, kind, conflict["value"])
            raise _refuse(table, record_id, f"{problem} in a conflicting version")
        if _too_deep(conflict):
            problem = f"a conflicting version nests deeper than {MAX_DEPTH} levels"
            raise _refuse(table, record_id, problem)


def check_records(table: str, records: Any) -> None:
    """Refuse (`DamagedFile`) unless `records` maps ids to well-formed records of `table`.

    The records of a table this version does not know are objects of any
    fields within the nesting limit.
    """
    if type(records) is not dict:
        raise DamagedFile(f"this file is damaged: its {shown_id(table)} table is not an object")
    schema = SCHEMAS.get(table, {})
    quick_types = _QUICK.get(table, {}).get
    for record_id, record in records.items():
        if type(record) is not dict:
            raise _refuse(table, record_id, f"it is {_what(record)}, not an object")
        if record.get("id", record_id) != record_id:
            raise _refuse(table, record_id, "its 'id' is not the id it is stored under")
        for field, value in record.items():
            if type(value) not in quick_types(field, _SCALARS):
                # Not the common case (text where text belongs, say): look closer.
                _check_field(table, record_id, schema, field, value)


def _check_field(
    table: str, record_id: str, schema: Mapping[str, _Type], field: str, value: Any
) -> None:
    kind = schema.get(field, _ANY)
    if field == "conflicts" and kind is not _ANY and type(value) is list:
        _check_conflicts(table, record_id, schema, value)
    elif not kind.test(value):
        raise _refuse(table, record_id, _mismatch(field, kind, value))
    elif not kind.bounded and type(value) in (dict, list) and _too_deep(value):
        shown = field if _SAFE_ID.fullmatch(field) else "a field"
        raise _refuse(table, record_id, f"its {shown!r} nests deeper than {MAX_DEPTH} levels")


def check_document(document: Mapping[str, Any]) -> None:
    """Refuse (`DamagedFile`) unless every table and record of `document` is well formed.

    `tandem` must be a whole number and `clock` text; the other keys are
    tables (docs/MODEL.md). Keys this version does not know may hold any
    value within the nesting limit.
    """
    version = document.get("tandem")
    if version is not None and type(version) is not int:
        raise DamagedFile("this file is damaged: its document version is not a whole number")
    clock = document.get("clock")
    if clock is not None and type(clock) is not str:
        raise DamagedFile("this file is damaged: its clock time is not text")
    for key, value in document.items():
        if key in SCHEMAS:
            check_records(key, value)
        elif type(value) in (dict, list) and _too_deep(value, MAX_DEPTH + 2):
            raise DamagedFile(
                f"this file is damaged: its {shown_id(key)!r} nests deeper than {MAX_DEPTH} levels"
            )
