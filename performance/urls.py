from django.urls import path

from . import apis, views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("worksheet/", views.worksheet_choose, name="worksheet-choose"),
    path("worksheet/<str:period>/", views.worksheet, name="worksheet"),
    path("worksheet/<str:period>/generate/", views.worksheet_generate, name="worksheet-generate"),
    path(
        "worksheet/<str:period>/trace/<str:indicator>/<str:window>/<int:year>/",
        views.trace,
        name="trace",
    ),
    path("worksheets/<int:pk>/notes/<str:indicator>/", views.worksheet_note, name="worksheet-note"),
    path("worksheets/<int:pk>/freeze/", views.worksheet_freeze, name="worksheet-freeze"),
    path(
        "worksheets/<int:pk>/download/<str:kind>/",
        views.worksheet_download,
        name="worksheet-download",
    ),
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("enforcement-inputs/", views.enforcement_inputs, name="enforcement-inputs"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/update/", views.review_update, name="review-update"),
    path("reviews/<int:pk>/commitments/", views.commitment_create, name="commitment-create"),
    path(
        "reviews/<int:pk>/commitments/<int:task_pk>/status/",
        views.commitment_status,
        name="commitment-status",
    ),
    path("reviews/<int:pk>/close/", views.review_close, name="review-close"),
    path("api/worksheets/<str:period>/", apis.WorksheetApi.as_view(), name="api-worksheet"),
    path(
        "api/worksheets/<str:period>/versions/",
        apis.WorksheetVersionsApi.as_view(),
        name="api-worksheet-versions",
    ),
]
