"""Benchmarks for every year: outcome targets 90% of the year before, activity targets as in the
seed worksheet."""

from __future__ import annotations

import datetime as dt

from ceasefire.core.models import Benchmark, Indicator

from . import users as users_
from .city import City, bulk, local_dt, year_levels


def benchmarks_create(city: City) -> None:
    scale = city.options.scale
    rows = []
    for year in range(city.options.since, city.today.year + 1):
        previous = city.yearly.get(year - 1) or year_levels(city.options, year - 1)
        targets = {
            Indicator.HOMICIDES: round(previous[0] * 0.9),
            Indicator.NONFATAL_INJURY_SHOOTINGS: round(previous[1] * 0.9),
            Indicator.NON_INJURY_SHOOTINGS: round(previous[2] * 0.9),
            Indicator.COMMUNICATION: round(300 * scale),
            Indicator.CASE_MANAGEMENT: round(250 * scale),
            Indicator.ENFORCEMENT: 50,
            Indicator.PARTNERSHIP: 24,
        }
        rows += [
            Benchmark(
                indicator=indicator,
                year=year,
                annual_target=max(target, 1),
                set_by=city.users[users_.ADMIN],
                set_at=local_dt(dt.date(year, 1, 1), 9),
            )
            for indicator, target in targets.items()
        ]
    bulk(Benchmark, rows)
