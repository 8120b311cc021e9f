"""The public transparency feed: citywide counts only, never a person.

Monthly homicides and shootings (per victim, counted incidents), shootings per police area over
the last twelve months (finer than citywide, so every count below ``SMALL_CELL_THRESHOLD`` is
withheld), the outcome rows of published (frozen) worksheets, and meetings held per month. The
feed is computed at most once per ``PUBLIC_CACHE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from . import permissions
from .models import Incident, Meeting, PartnershipSettings, Worksheet
from .selectors import local_midnight

CACHE_KEY = "public-feed-v1"
MONTHS = 24
OUTCOMES = ("homicides", "nonfatal_injury_shootings", "non_injury_shootings")


def _first_of_month(day: dt.date, back: int) -> dt.date:
    month = day.month - 1 - back
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _monthly(since: dt.date) -> list[dict]:
    firearm = Q(weapon=Incident.Weapon.FIREARM)
    rows = (
        Incident.objects.filter(
            counting_status=Incident.CountingStatus.COUNTED, occurred_at__gte=local_midnight(since)
        )
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(
            homicides=Coalesce(Sum("fatal_victims"), 0, output_field=IntegerField()),
            nonfatal_injury_shootings=Coalesce(
                Sum("nonfatal_victims", filter=firearm), 0, output_field=IntegerField()
            ),
            non_injury_shootings=Count(
                "id", filter=firearm & Q(fatal_victims=0, nonfatal_victims=0)
            ),
        )
        .order_by("month")
    )
    by_month = {timezone.localtime(r["month"]).strftime("%Y-%m"): r for r in rows}
    today = timezone.localdate()
    months = [_first_of_month(today, back).strftime("%Y-%m") for back in range(MONTHS - 1, -1, -1)]
    return [{"month": m, **{k: by_month.get(m, {}).get(k, 0) for k in OUTCOMES}} for m in months]


def _areas(since: dt.date) -> list[dict]:
    rows = (
        Incident.objects.filter(
            counting_status=Incident.CountingStatus.COUNTED,
            weapon=Incident.Weapon.FIREARM,
            occurred_at__gte=local_midnight(since),
        )
        .values("area")
        .annotate(shootings=Count("id"))
        .order_by("area")
    )
    # the public: never police, so every small count below citywide is withheld
    return [
        {"area": r["area"], "shootings": permissions.disclosed_count(None, r["shootings"])}
        for r in rows
    ]


def _worksheets() -> list[dict]:
    published = Worksheet.objects.filter(frozen=True, snapshot__isnull=False).order_by(
        "-period_end", "-version"
    )[:12]
    found = []
    for ws in published:
        rows = [
            {
                "indicator": row.get("indicator"),
                "label": row.get("label"),
                **{
                    window: {
                        k: (row.get(window) or {}).get(k) for k in ("benchmark", "actual", "meets")
                    }
                    for window in ("ytd", "period")
                },
            }
            for row in ws.snapshot.get("outcomes", [])
        ]
        found.append(
            {
                "period_start": ws.period_start.isoformat(),
                "period_end": ws.period_end.isoformat(),
                "version": ws.version,
                "outcomes": rows,
            }
        )
    return found


def _meetings(since: dt.date) -> list[dict]:
    rows = (
        Meeting.objects.filter(state=Meeting.State.CLOSED, date__gte=since)
        .annotate(month=TruncMonth("date"))
        .values("month", "kind")
        .annotate(n=Count("id"))
    )
    by_month: dict[str, dict] = {}
    for r in rows:
        month = r["month"].strftime("%Y-%m")
        by_month.setdefault(month, dict.fromkeys(Meeting.Kind.values, 0))[r["kind"]] = r["n"]
    return [{"month": m, **by_month[m]} for m in sorted(by_month)]


def public_feed() -> dict:
    """The feed (cached): what the page shows and ``/public/feed.json`` serves."""
    feed = cache.get(CACHE_KEY)
    if feed is None:
        today = timezone.localdate()
        since = _first_of_month(today, MONTHS - 1)
        feed = {
            "city": PartnershipSettings.load().city_name,
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "small_cell_threshold": settings.SMALL_CELL_THRESHOLD,
            "monthly": _monthly(since),
            "areas_last_12_months": _areas(_first_of_month(today, 11)),
            "worksheets": _worksheets(),
            "meetings_per_month": _meetings(since),
        }
        cache.set(CACHE_KEY, feed, settings.PUBLIC_CACHE_SECONDS)
    return feed
