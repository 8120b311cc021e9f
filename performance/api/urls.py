"""The worksheet's part of API v1. Importing ``meetings`` registers how a performance review
is written (``PATCH meetings/{id}``, core's viewset)."""

from rest_framework.routers import SimpleRouter

from . import meetings  # noqa: F401  (registers the performance review's writer)
from .staffing import StaffingViewSet
from .worksheets import BenchmarkViewSet, WorksheetViewSet

router = SimpleRouter()
router.register("benchmarks", BenchmarkViewSet, basename="benchmark")
router.register("worksheets", WorksheetViewSet, basename="worksheet")

router.register("staffing", StaffingViewSet, basename="staffing")

urlpatterns = router.urls
