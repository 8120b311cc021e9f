from django.contrib import admin
from django.contrib.auth import views as django_auth_views
from django.urls import include, path

from ceasefire.core import account_views as accounts

urlpatterns = [
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/verify/", accounts.mfa_verify, name="mfa-verify"),
    path("accounts/enrol/", accounts.mfa_enrol, name="mfa-enrol"),
    path("accounts/recovery-codes/", accounts.mfa_recovery_codes, name="mfa-recovery-codes"),
    path(
        "accounts/password/change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        django_auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        django_auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("ceasefire.api_urls", "api"))),
    path("reviews/", include("reviews.urls")),
    path("coordination/", include("coordination.urls")),
    path("performance/", include("performance.urls")),
    path("papers/", include("ceasefire.core.paper_urls")),
    path("", include("ceasefire.core.urls")),
]
