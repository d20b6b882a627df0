"""Plans for days: what editors do and what goes wrong, one `DayPlan` per day.

`soak_schedule` draws a month of them from a seed: a few new, backdated, edited and deleted
articles every day, and each incident (down, 503s, a hanging page, a move, a new theme) once,
on days of its own, never on the first day (the site is first crawled whole).
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.wardsite.writer import rng_for

EVENTS = ("down", "unavailable", "hang", "move", "theme")


@dataclass(frozen=True)
class DayPlan:
    publish: int = 0
    backdate: int = 0              # inserted at random pages of the main listing (page 2 or later)
    edit_title: int = 0
    edit_body: int = 0
    delete: int = 0
    event: str | None = None       # one of EVENTS

    def apply(self, day) -> None:
        """Do it on `day` (a `Day`): publish, delete, edit, then backdate (so that a backdated
        article stays on the page it was put on), then the event."""
        if self.event is not None and self.event not in EVENTS:
            raise ValueError(f"event must be one of {EVENTS}, not {self.event!r}")
        day.publish(self.publish)
        for _ in range(self.delete):
            day.delete()
        for part, count in (("title", self.edit_title), ("body", self.edit_body)):
            for _ in range(count):
                day.edit(part=part)
        if self.backdate:
            rng = rng_for(day.site.seed, "backdate", day.number)
            pages = max(2, len(day.site.live()) // day.site.per_page)
            for _ in range(self.backdate):
                day.backdate(listing_page=rng.randint(2, pages))
        if self.event is not None:
            {"down": day.down, "unavailable": day.unavailable, "hang": day.hang, "move": day.move,
             "theme": day.change_theme}[self.event]()


def soak_schedule(seed: object, days: int = 30, events: tuple[str, ...] = EVENTS) -> list[DayPlan]:
    """Plans for days 1..`days` (index 0 is day 1)."""
    if len(events) > days - 1:
        raise ValueError(f"{len(events)} events need at least {len(events) + 1} days")
    rng = rng_for(seed, "schedule")
    event_days = dict(zip(rng.sample(range(2, days + 1), len(events)), events, strict=True))
    return [DayPlan(publish=rng.randint(1, 4), backdate=rng.randint(0, 1), edit_title=rng.randint(0, 1),
                    edit_body=rng.randint(0, 2), delete=rng.randint(0, 1), event=event_days.get(number))
            for number in range(1, days + 1)]
