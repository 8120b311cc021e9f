"""One paginator for every HTML list (DRF lists use the REST_FRAMEWORK page size).

``paginate(request, queryset, param="people_page")`` reads its page number from ``param``, so a
page can hold several lists; the returned page carries the links of its pager
(``templates/core/partials/pagination.html``), which keep every other query parameter.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(
    request, queryset, *, per_page: int | None = None, param: str = "page", anchor: str = ""
) -> Page:
    page = Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get(param))
    page.param = param
    page.anchor = anchor

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return "?" + query.urlencode() + (f"#{anchor}" if anchor else "")

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page
