"""One paginator for every HTML list (DRF lists use the REST_FRAMEWORK page size)."""

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, queryset, *, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
