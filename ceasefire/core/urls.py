from django.urls import path

from . import apis, audit_views, health, public_views, token_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path(
        "people/<int:pk>/designations/propose/",
        views.person_designation_propose,
        name="person-designation-propose",
    ),
    path(
        "people/<int:pk>/affiliations/new/",
        views.person_affiliation_add,
        name="person-affiliation-add",
    ),
    path("affiliations/<int:pk>/end/", views.affiliation_end, name="affiliation-end"),
    path(
        "people/<int:pk>/enforcement-actions/new/",
        views.person_enforcement_record,
        name="person-enforcement-record",
    ),
    path(
        "people/<int:pk>/enforcement-actions/<int:action>/correct/",
        views.person_enforcement_correct,
        name="person-enforcement-correct",
    ),
    path("people/<int:pk>/notices/", views.person_notice_record, name="person-notice-record"),
    path("people/<int:pk>/requests/", views.person_request_record, name="person-request-record"),
    path("requests/<int:pk>/respond/", views.request_respond, name="request-respond"),
    path("requests/overdue/", views.requests_overdue, name="requests-overdue"),
    path("oversight/", views.oversight, name="oversight"),
    path("retention/", views.retention_preview, name="retention-preview"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("audit/export/", audit_views.audit_export, name="audit-export"),
    path("account/tokens/", token_views.token_list, name="token-list"),
    path("public/", public_views.public_page, name="public"),
    path("public/feed.json", public_views.public_feed_json, name="public-feed"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("api/people/", apis.PersonListApi, name="api-person-list"),
    path("api/people/<int:pk>/", apis.PersonDetailApi, name="api-person-detail"),
    # liveness and readiness (no sign-in; answered first by health.HealthCheckMiddleware)
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
]
