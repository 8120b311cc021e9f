"""One paginator for every HTML list (DRF lists use the REST_FRAMEWORK page size).

``paginate(request, queryset, param="people_page")`` reads its page number from ``param``, so a
page can hold several lists; the returned page carries the links of its pager
(``templates/core/partials/pagination.html``), which keep every other query parameter.
``everything=True`` is for print views: one page holding every row (minutes are never cut short).
``cached=True`` is for the lists a live meeting's page shows to everyone at once (see
``RecordsCachedPaginator``).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils.functional import cached_property

from .dataversion import RECORDS, cached_on_data

EVERY_ROW = 2**62  # a page size no list reaches: the print views' single page


def paginate(
    request,
    queryset,
    *,
    per_page: int | None = None,
    param: str = "page",
    anchor: str = "",
    everything: bool = False,
    indexed: bool = False,
    cached: bool = False,
) -> Page:
    """``indexed=True``: a long list in an indexed order (see ``IndexedPaginator``);
    ``cached=True``: a page read once per records version (see ``RecordsCachedPaginator``)."""
    size = EVERY_ROW if everything else per_page or settings.PAGE_SIZE
    paginator_class = Paginator
    if indexed and not everything:
        paginator_class = IndexedPaginator
    elif cached and not everything:
        paginator_class = RecordsCachedPaginator
    page = paginator_class(queryset, size).get_page(None if everything else request.GET.get(param))
    page.param = param
    page.anchor = anchor

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return "?" + query.urlencode() + (f"#{anchor}" if anchor else "")

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page


class IndexedPaginator(Paginator):
    """Numbered pages whose deep pages cost what the first does (issue 14), for a queryset ordered
    by an index ending in a unique key (e.g. the shooting log's ``-occurred_at, -id``).

    A page first reads its primary keys only (an index-only walk of the order's index), from
    whichever end is nearer: the last page walks the reversed order from the end, so it costs
    what page 1 does; the middle page walks half the index, never the rows. Then the page's rows
    are read by primary key, in that order: two queries a page (plus the count).

    The count of a whole table that sets the data version (``DATA_VERSION_TABLES``: the shooting
    log's incidents) is read once per version: 25–32 ms a request for 260,000 incidents at 10×,
    exact and never stale (any write is a new version). A filtered list is counted every time.
    """

    @cached_property
    def count(self) -> int:
        from .models import DATA_VERSION_TABLES

        rows = self.object_list
        query = getattr(rows, "query", None)
        whole_table = (
            query is not None
            and not query.where
            and not query.distinct
            and query.group_by is None
            and not query.combinator
            and not query.is_sliced
            and rows.model._meta.db_table in DATA_VERSION_TABLES
        )
        if not whole_table:
            return Paginator.count.func(self)
        return cached_on_data(
            f"pagination:count:{rows.db}:{rows.model._meta.db_table}",
            lambda: Paginator.count.func(self),
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list
        if bottom * 2 > self.count:
            tail = rows.reverse().values_list("pk", flat=True)[
                self.count - top : self.count - bottom
            ]
            keys = list(tail)[::-1]
        else:
            keys = list(rows.values_list("pk", flat=True)[bottom:top])
        by_key = {row.pk: row for row in rows.filter(pk__in=keys)} if keys else {}
        return self._get_page([by_key[k] for k in keys if k in by_key], number, self)


_TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?')


def reads(rows) -> tuple[set[str], str] | None:
    """What a queryset reads, its prefetches included: (every table, a digest of its SQL and
    parameters and of its prefetches'), or None when it cannot run (``.none()``)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return None
    tables = set(_TABLE.findall(sql))
    parts: list = [rows.db, sql, params]
    for lookup in rows._prefetch_related_lookups:
        if isinstance(lookup, Prefetch) and lookup.queryset is not None:
            inner = reads(lookup.queryset)
            if inner is not None:
                tables |= inner[0]
            parts.append((lookup.prefetch_through, inner and inner[1]))
        else:  # a plain lookup reads its relations' default rows
            path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
            tables |= _relation_tables(rows.model, path)
            parts.append(path)
    return tables, hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()


def _relation_tables(model, path: str) -> set[str]:
    """The tables a prefetch along ``path`` (``updates``, ``incident__groups``) reads."""
    tables = set()
    for name in path.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model
        tables.add(model._meta.db_table)
        through = getattr(getattr(field, "remote_field", None), "through", None)
        if field.many_to_many and through is not None:
            tables.add(through._meta.db_table)
    return tables


class RecordsCachedPaginator(Paginator):
    """The pages of a list that everyone in a live meeting opens at once (the coordination
    meeting's shared people, its chronically high-risk, its follow-ups): its count and each page's
    rows are read once per RECORDS data version and shared by every reader whose permissions give
    the same query -- the key is the SQL and parameters, so a partner's narrower list is a
    different key from the police's. Any write to a table a meeting page shows is a new version,
    so a page is never stale.

    Only for querysets whose every table (prefetches included) sets that version
    (``RECORD_VERSION_TABLES``); any other list is read as the plain ``Paginator`` reads it. What
    a template then reads lazily off the rows (a relation not selected or prefetched) is read
    afresh, not cached."""

    @cached_property
    def _key(self) -> str | None:
        from .models import RECORD_VERSION_TABLES

        rows = self.object_list
        read = reads(rows) if getattr(rows, "query", None) is not None else None
        if read is None or not read[0] <= set(RECORD_VERSION_TABLES):
            return None
        return read[1]

    @cached_property
    def count(self) -> int:
        if self._key is None:
            return Paginator.count.func(self)
        return cached_on_data(
            f"pagination:records-count:{self._key}",
            lambda: Paginator.count.func(self),
            scope=RECORDS,
        )

    def page(self, number):
        if self._key is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = cached_on_data(
            f"pagination:records-page:{self._key}:{self.per_page}:{number}",
            lambda: list(self.object_list[bottom:top]),
            scope=RECORDS,
        )
        return self._get_page(rows, number, self)
