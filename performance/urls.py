from django.urls import path

from . import apis
from .views import inputs, reviews, worksheets

app_name = "performance"

urlpatterns = [
    path("", worksheets.index, name="index"),
    path("worksheet/", worksheets.worksheet_choose, name="worksheet-choose"),
    path("worksheet/<str:period>/", worksheets.worksheet, name="worksheet"),
    path(
        "worksheet/<str:period>/generate/", worksheets.worksheet_generate, name="worksheet-generate"
    ),
    path(
        "worksheet/<str:period>/trace/<str:indicator>/<str:window>/<int:year>/",
        worksheets.trace,
        name="trace",
    ),
    path(
        "worksheets/<int:pk>/notes/<str:indicator>/",
        worksheets.worksheet_note,
        name="worksheet-note",
    ),
    path("worksheets/<int:pk>/freeze/", worksheets.worksheet_freeze, name="worksheet-freeze"),
    path(
        "worksheets/<int:pk>/export/",
        worksheets.worksheet_export,
        name="worksheet-export",
    ),
    path(
        "worksheets/<int:pk>/download/<str:kind>/",
        worksheets.worksheet_download,
        name="worksheet-download",
    ),
    path("benchmarks/", inputs.benchmarks, name="benchmarks"),
    path("enforcement-inputs/", inputs.enforcement_inputs, name="enforcement-inputs"),
    path("reviews/", reviews.review_list, name="review-list"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review-detail"),
    path("reviews/<int:pk>/update/", reviews.review_update, name="review-update"),
    path("reviews/<int:pk>/commitments/", reviews.commitment_create, name="commitment-create"),
    path(
        "reviews/<int:pk>/commitments/<int:task_pk>/status/",
        reviews.commitment_status,
        name="commitment-status",
    ),
    path("reviews/<int:pk>/close/", reviews.review_close, name="review-close"),
    path("api/worksheets/<str:period>/", apis.worksheet_api, name="api-worksheet"),
    path(
        "api/worksheets/<str:period>/versions/",
        apis.worksheet_versions_api,
        name="api-worksheet-versions",
    ),
]
