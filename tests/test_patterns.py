"""Patterns in ABC incidents and check-ins (journal.patterns), from records and documents."""

from __future__ import annotations

from typing import Any

from journal import patterns
from journal.journal import Journal
from journal.model import Entry


def incident(when: str, **fields: Any) -> Entry:
    return Entry(kind="incident", occurred_at=when, fields=fields)


def checkin(day: str, bedtime: str, wake: str, mood: int | None = None, **counts: Any) -> Entry:
    return Entry(
        kind="checkin",
        occurred_at=f"{day}T21:00",
        fields={"bedtime": bedtime, "wake_time": wake, "mood": mood, **counts},
    )


def test_heat_map_by_weekday_and_hour_and_weeks() -> None:
    found = patterns.patterns_of(
        [
            incident("2026-01-05T17:20"),  # Monday
            incident("2026-01-05T17:55"),
            incident("2026-01-11T08:00"),  # Sunday
            incident("2026-01-26"),  # no time of day
            Entry(kind="win", occurred_at="2026-01-05T17:00"),
            Entry(kind="incident", occurred_at="2026-01-05T17:00", deleted_at="x"),
        ]
    )
    assert found.incidents == 4 and found.untimed == 1 and found.busiest == 2
    assert found.heat[0][17] == 2 and found.heat[6][8] == 1
    assert sum(map(sum, found.heat)) == 3
    assert found.weeks == [
        ("2026-01-05", 3),
        ("2026-01-12", 0),
        ("2026-01-19", 0),
        ("2026-01-26", 1),
    ]


def test_most_common_terms_and_functions() -> None:
    found = patterns.patterns_of(
        [
            incident(
                "2026-01-05T10:00",
                antecedent="Asked to stop",
                behavior="He hit his sister and threw the cup.",
                function="escape",
            ),
            incident(
                "2026-01-06T10:00",
                antecedent="asked to stop!",
                behavior="Threw the remote at the TV, then hit the wall",
                function="Escape",
            ),
            incident("2026-01-07T10:00", antecedent="Told no iPad", function="attention"),
        ]
    )
    assert found.antecedents[0] == ("asked to stop", 2)
    assert ("hit", 2) in found.behaviors and ("threw", 2) in found.behaviors
    assert all(word not in dict(found.behaviors) for word in ("he", "his", "the", "and"))
    assert found.functions == [("escape", 2), ("attention", 1)]
    assert [label for label, _terms in found.common] == [
        "Antecedents",
        "Behaviors",
        "Consequences",
        "Functions",
    ]


def test_sleep_mood_and_incidents_after_short_nights() -> None:
    days = [f"2026-01-{d:02d}" for d in range(5, 12)]
    entries: list[Entry] = [checkin(day, "20:00", "06:00", mood=4) for day in days[:5]]
    entries.append(checkin(days[5], "22:30", "06:00", mood=2, aggression=2, elopement="1"))
    entries.append(checkin(days[6], "23:00", "06:00", mood=None))
    entries.append(checkin(days[6], "", "06:00", mood=3))  # a second check-in, no night
    entries += [incident(f"{days[5]}T16:00"), incident(f"{days[6]}T09:00")]
    entries.append(incident(f"{days[0]}T09:00"))
    found = patterns.patterns_of(entries)
    assert found.sleep[0] == ("2026-01-05", 10.0) and found.sleep[-1] == ("2026-01-11", 7.0)
    assert dict(found.mood)["2026-01-11"] == 3.0 and len(found.mood) == 7
    table = found.sleep_table
    assert table is not None and table.usual_hours == 10.0 and table.short_under == 9.0
    assert table.rows() == [
        ("short (under 9 h)", 2, 2, 3),
        ("the others", 5, 1, 0),
    ]
    assert patterns.patterns_of([]).sleep_table is None
    assert patterns.weekly_means([("2026-01-05", 2.0), ("2026-01-06", 4.0)]) == [
        ("2026-01-05", 3.0)
    ]


def test_sleep_hours_and_terms() -> None:
    assert patterns.sleep_hours("20:30", "06:45") == 10.25
    assert patterns.sleep_hours("01:00", "07:00") == 6.0
    assert patterns.sleep_hours("", "07:00") is None
    assert patterns.sleep_hours("7pm", "07:00") is None
    assert patterns.terms("Asked to stop!") == {"asked to stop"}
    assert patterns.terms("  ") == set()


def test_patterns_of_stored_documents_match_records(journal: Journal) -> None:
    journal.add_entry(
        "incident", "Shoes", occurred_at="2026-01-05T08:10", fields={"behavior": "threw"}
    )
    journal.add_entry("checkin", "Day", occurred_at="2026-01-05T21:00", fields={"mood": 4})
    from_records = patterns.patterns_of(journal.entries())
    stored = journal.document()["entries"].values()
    assert patterns.patterns_of(stored) == from_records
    assert from_records.behaviors == [("threw", 1)] and from_records.mood == [("2026-01-05", 4.0)]
