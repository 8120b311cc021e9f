from django.urls import path

from . import apis, views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    # the shooting log
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/import/", views.incident_import, name="incident-import"),
    path("incidents/export/", views.incident_export, name="incident-export"),
    path("incidents/import/<int:pk>/", views.import_job, name="import-job"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/people/", views.involvement_add, name="involvement-add"),
    path(
        "incidents/<int:pk>/people/<int:involvement_pk>/remove/",
        views.involvement_remove,
        name="involvement-remove",
    ),
    path(
        "incidents/<int:pk>/people/<int:involvement_pk>/identify/",
        views.involvement_identify,
        name="involvement-identify",
    ),
    path("people/search/", views.person_search, name="person-search"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path(
        "groups/<int:pk>/enforcement-actions/new/",
        views.group_enforcement_record,
        name="group-enforcement-record",
    ),
    path("conflicts/new/", views.conflict_create, name="conflict-create"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="conflict-detail"),
    path("conflicts/<int:pk>/edit/", views.conflict_edit, name="conflict-edit"),
    path("groups/revalidation/", views.revalidation_list, name="revalidation-list"),
    path("groups/<int:pk>/revalidate/", views.group_revalidate, name="group-revalidate"),
    path("conflicts/<int:pk>/revalidate/", views.conflict_revalidate, name="conflict-revalidate"),
    # the weekly shooting review
    path("new/", views.review_create, name="review-create"),
    path("<int:pk>/", views.review_detail, name="review-detail"),
    path("<int:pk>/minutes/", views.review_minutes, name="review-minutes"),
    path(
        "<int:pk>/answer/<str:target>/<int:obj_pk>/<str:name>/",
        views.review_answer,
        name="review-answer",
    ),
    path("<int:pk>/refresh/", views.review_refresh, name="review-refresh"),
    path("<int:pk>/shootings/", views.review_shootings, name="review-shootings"),
    path("<int:pk>/rows/<str:part>/", views.review_rows, name="review-rows"),
    path("<int:pk>/shootings/<int:entry_pk>/", views.review_shooting, name="review-shooting"),
    path("<int:pk>/changes/", views.review_changes, name="review-changes"),
    path(
        "<int:pk>/deliverables/<int:task_pk>/", views.review_task_status, name="review-task-status"
    ),
    path("<int:pk>/risk/", views.review_risk_decide, name="review-risk-decide"),
    path("<int:pk>/candidates/", views.review_candidates, name="review-candidates"),
    path("<int:pk>/designate/", views.review_designate, name="review-designate"),
    path(
        "<int:pk>/designations/<int:designation_pk>/",
        views.review_designation,
        name="review-designation",
    ),
    path(
        "<int:pk>/designations/<int:designation_pk>/<str:action>/",
        views.review_designation_action,
        name="review-designation-action",
    ),
    path("<int:pk>/followups/", views.review_followup, name="review-followup"),
    path(
        "<int:pk>/followups/<int:choice_pk>/remove/",
        views.review_followup_remove,
        name="review-followup-remove",
    ),
    path("<int:pk>/tasks/", views.review_task_create, name="review-task-create"),
    path("<int:pk>/close/", views.review_close, name="review-close"),
    # API
    path("api/incidents/", apis.IncidentListApi, name="api-incident-list"),
    path("api/incidents/<int:pk>/", apis.IncidentDetailApi, name="api-incident-detail"),
    path("api/reviews/", apis.ReviewListApi, name="api-review-list"),
    path("api/reviews/<int:pk>/", apis.ReviewDetailApi.as_view(), name="api-review-detail"),
]
