"""API v1: every app's endpoints under one prefix (``/api/v1/``), its schema and its docs page.

Each app owns its part (``ceasefire/core/api/``, ``reviews/api/``, ``performance/api/``); this
module only mounts them, so core never imports a meeting app.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("ceasefire.core.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("performance.api.urls")),
    path("", include("coordination.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
