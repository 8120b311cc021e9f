from django.contrib import admin
from django.urls import include, path

from ceasefire.core import views as core_views

urlpatterns = [
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("ceasefire.api_urls", "api"))),
    path("reviews/", include("reviews.urls")),
    path("coordination/", include("coordination.urls")),
    path("performance/", include("performance.urls")),
    path("", include("ceasefire.core.urls")),
]
