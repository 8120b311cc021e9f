"""One paginator for every HTML list (DRF lists use the REST_FRAMEWORK page size).

``paginate(request, queryset, param="people_page")`` reads its page number from ``param``, so a
page can hold several lists; the returned page carries the links of its pager
(``templates/core/partials/pagination.html``), which keep every other query parameter.
``everything=True`` is for print views: one page holding every row (minutes are never cut short).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from .dataversion import cached_on_data

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
) -> Page:
    """``indexed=True``: a long list in an indexed order (see ``IndexedPaginator``)."""
    size = EVERY_ROW if everything else per_page or settings.PAGE_SIZE
    paginator_class = IndexedPaginator if indexed and not everything else Paginator
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
