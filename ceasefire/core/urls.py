from django.urls import path

from . import apis, audit_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("audit/export.csv", audit_views.audit_export, name="audit-export"),
    path("api/people/", apis.PersonListApi.as_view(), name="api-person-list"),
    path("api/people/<int:pk>/", apis.PersonDetailApi.as_view(), name="api-person-detail"),
]
