from django.urls import path

from . import apis, public_views, token_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("audit/", views.audit_log, name="audit-log"),
    path("account/tokens/", token_views.token_list, name="token-list"),
    path("public/", public_views.public_page, name="public"),
    path("public/feed.json", public_views.public_feed_json, name="public-feed"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("api/people/", apis.PersonListApi.as_view(), name="api-person-list"),
    path("api/people/<int:pk>/", apis.PersonDetailApi.as_view(), name="api-person-detail"),
]
