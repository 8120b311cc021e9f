from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("audit/", views.audit_log, name="audit-log"),
]
