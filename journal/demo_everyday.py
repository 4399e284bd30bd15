"""The everyday life of the demo story: which check-in a day gets, and its numbers.

The texts are in `journal/demo_story/checkins.toml`. This draws, from the demo's
random generator, the check-in of each ordinary day (or none) and the everyday
numbers of every check-in (sleep, meals, mood word, counts), shaped by the
story's calendar; `journal.demo` writes them into the journal.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Item = dict[str, Any]


def poisson(rng: random.Random, lam: float) -> int:
    """A count drawn from the Poisson distribution with mean `lam`."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Everyday:
    """Draws the check-ins of the story's days, asked for in order, day by day.

    `checkins` is the story's checkins.toml; day 0 is `first`, and the last day
    of the story is `days - 1`.
    """

    def __init__(self, checkins: Item, rng: random.Random, first: date, days: int) -> None:
        self.rng = rng
        self.first = first
        self.days = days
        self.calendar: Item = checkins["calendar"]
        self.words: Item = checkins["words"]
        self.at: str = checkins["at"]
        self.writer: str = checkins["by"]
        self.weekend_writer: str = checkins["weekend_by"]
        self.special: dict[int, Item] = {day["day"]: day for day in checkins["special_day"]}
        self.unused: dict[str, list[Item]] = {self.writer: [], self.weekend_writer: []}
        for item in checkins["everyday"]:
            self.unused[item["by"]].append(item)

    def during(self, period: str, n: int) -> bool:
        """Whether day `n` is in a period of the calendar (`[first, last]`)."""
        first, last = self.calendar[period]
        return bool(first <= n <= last)

    def fits(self, item: Item, n: int) -> bool:
        """Whether an everyday check-in can be told on day `n`."""
        weekday = (self.first + timedelta(days=n)).weekday()
        if n < item.get("after", n) or WEEKDAYS[weekday] not in item.get("weekdays", WEEKDAYS):
            return False
        school_day = not self.during("sick", n) and not self.during("spring_break", n)
        return not item.get("school") or (weekday < 5 and school_day)

    def check_in(self, n: int) -> Item | None:
        """Day `n`'s check-in (by, at, title, body, tags, fields), or None if nobody wrote."""
        day = self.special.get(n) or self.ordinary(n)
        if day is None:
            return None
        fields = self.numbers(n, day["mood"], day.get("fields", {}))
        return {"by": self.writer, "at": self.at, **day, "fields": fields}

    def ordinary(self, n: int) -> Item | None:
        """An unused everyday check-in that fits day `n`, drawn at random (or None)."""
        rng = self.rng
        last = n == self.days - 1
        if not last and rng.random() < 0.1:
            return None  # a day nobody wrote
        weekend = (self.first + timedelta(days=n)).weekday() >= 5
        night_shift = self.during("night_shifts", n)
        weekend_one = last or (weekend and not night_shift and rng.random() < 0.7)
        for author in (self.weekend_writer, self.writer) if weekend_one else (self.writer,):
            fits = [item for item in self.unused[author] if self.fits(item, n)]
            if fits:
                break
        else:
            return None
        item = fits[rng.randrange(len(fits))]
        self.unused[author].remove(item)
        hm = f"{rng.choice((20, 21, 21, 21))}:{rng.randrange(0, 60, 5):02d}"
        return {**item, "at": hm, "tags": []}

    def numbers(self, n: int, mood: int, written: Item) -> Item:
        """The check-in fields of day `n`: drawn at random, then those `written` over them."""
        rng, words = self.rng, self.words
        sick = self.during("sick", n)
        night_shift = self.during("night_shifts", n)
        long_night = n == self.calendar["long_night"]
        fields: Item = {}
        if n >= self.calendar["melatonin_from"]:
            bed = 20 * 60 + rng.randrange(0, 45, 5) + (15 if night_shift else 0)
            wakings = rng.choice((0, 0, 0, 1, 1, 2))
        else:
            bed = 20 * 60 + 45 + rng.randrange(0, 65, 5)
            wakings = rng.choice((0, 1, 1, 2, 2, 3))
        if sick or night_shift:
            wakings += rng.choice((0, 1, 1, 2))
        if long_night:
            wakings = 3
        wake = 6 * 60 + rng.randrange(0, 60, 5) - (20 if long_night else 0)
        fields["bedtime"] = f"{bed // 60:02d}:{bed % 60:02d}"
        fields["wake_time"] = f"{wake // 60:02d}:{wake % 60:02d}"
        fields["night_wakings"] = wakings
        if not self.during("not_hungry", n):
            fields["meals_eaten"] = rng.choice(words["meals"])
            if rng.random() < 0.7:
                fields["meals_refused"] = rng.choice(words["refused"])
        else:
            fields["meals_eaten"] = words["sick_meals"]
        fields["mood"] = mood
        fields["mood_word"] = rng.choice(words["mood"][str(mood)])
        if rng.random() < 0.3:
            fields["toileting"] = rng.choice(words["toileting"])
        # Hard moments get rarer as the program goes on, and come back with change and illness.
        lam = 1.1 if n < 30 else 0.6 if n < 60 else 0.3
        lam += 0.9 if night_shift else 0.0
        lam += 0.7 if sick else 0.0
        aggression = poisson(rng, lam)
        if mood <= 2:
            aggression = max(aggression, 1)
        if mood == 5:
            aggression = 0
        fields["aggression"] = aggression
        fields["self_injury"] = poisson(rng, 0.1 if n < 40 else 0.03)
        fields["elopement"] = poisson(rng, 0.12 if n < 30 else 0.04 if n < 60 else 0.0)
        fields.update(written)
        return fields
