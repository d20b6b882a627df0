"""A city of ward sites: many small `WardSite`s at once, each on its own port (its own host for
a crawler's per-host politeness), both styles in turn, each with a seed of its own."""

from __future__ import annotations

from collections.abc import Sequence

from tests.wardsite.schedule import DayPlan
from tests.wardsite.site import Day, WardSite


class City:
    def __init__(self, count: int, seed: object = 0, articles: int = 20, **options: object) -> None:
        styles = ("wordpress", "aspnet")
        self.sites = [WardSite(styles[i % 2], seed=f"{seed}-{i}", articles=articles, **options)
                      for i in range(count)]

    def start(self) -> City:
        for site in self.sites:
            site.start()
        return self

    def stop(self) -> None:
        for site in self.sites:
            site.stop()

    def __enter__(self) -> City:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def advance(self, plans: Sequence[DayPlan | None] | DayPlan | None = None) -> list[Day]:
        """The next day on every site, with one plan for all or one per site."""
        per_site = plans if isinstance(plans, Sequence) else [plans] * len(self.sites)
        return [site.advance(plan) for site, plan in zip(self.sites, per_site, strict=True)]

    def config_entries(self, prefix: str = "phuong") -> list[dict]:
        return [site.config_entry(f"{prefix}-{i}") for i, site in enumerate(self.sites)]
