"""One paginator for every HTML list (DRF lists use the REST_FRAMEWORK page size).

``paginate(request, queryset, param="people_page")`` reads its page number from ``param``, so a
page can hold several lists; the returned page carries the links of its pager
(``templates/core/partials/pagination.html``), which keep every other query parameter.
``everything=True`` is for print views: one page holding every row (minutes are never cut short).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator

EVERY_ROW = 2**62  # a page size no list reaches: the print views' single page


def paginate(
    request,
    queryset,
    *,
    per_page: int | None = None,
    param: str = "page",
    anchor: str = "",
    everything: bool = False,
) -> Page:
    size = EVERY_ROW if everything else per_page or settings.PAGE_SIZE
    page = Paginator(queryset, size).get_page(None if everything else request.GET.get(param))
    page.param = param
    page.anchor = anchor

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return "?" + query.urlencode() + (f"#{anchor}" if anchor else "")

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page
