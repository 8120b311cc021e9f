"""Enforcement actions (area units ~55% on VHR people, specialised ~90%) and group plans."""

from __future__ import annotations

import random

from ceasefire.core.models import EnforcementAction, EnforcementPlanStatus, Unit

from .city import City, bulk, month_starts, random_day, scaled
from .designations import risk_pick
from .loading import unsaved


def enforcement_create(city: City, rng: random.Random) -> None:
    rows = []
    kinds = list(EnforcementAction.Kind)
    unit_weights = [2 if u.kind == Unit.Kind.SPECIALISED else 3 for u in city.units]
    all_groups = [g for groups in city.groups_by_area.values() for g in groups]
    for month in month_starts(city.start, city.today):
        for _ in range(scaled(rng, rng.randint(25, 45), city.options.scale)):
            day = random_day(rng, month, city.today)
            if day is None:
                continue
            unit = rng.choices(city.units, weights=unit_weights)[0]
            action = unsaved(
                EnforcementAction,
                unit=unit,
                taken_on=day,
                kind=rng.choices(kinds, weights=[25, 20, 20, 20, 15])[0],
                recorded_by=city.facilitator,
            )
            if rng.random() < 0.1:
                action.group_id = rng.choice(all_groups)
            else:
                focus = 0.9 if unit.kind == Unit.Kind.SPECIALISED else 0.55
                action.person_id = risk_pick(city, rng, day, focus)
                if action.person_id is None:
                    action.group_id = rng.choice(all_groups)
            rows.append(action)
    bulk(EnforcementAction, rows)
    group_plans_create(city, rng)


def group_plans_create(city: City, rng: random.Random) -> None:
    """Monthly enforcement-plan status of each group in a live conflict."""
    plans = []
    for _, group_a, group_b, started, _ended, status in city.conflicts:
        if status == "dormant":
            continue
        for month in month_starts(max(started, city.start), city.today):
            for group in (group_a, group_b):
                if group:
                    plans.append(
                        EnforcementPlanStatus(
                            group_id=group,
                            recorded_on=month,
                            up_to_date=rng.random() < 0.8,
                            recorded_by=city.facilitator,
                        )
                    )
    bulk(EnforcementPlanStatus, plans)
