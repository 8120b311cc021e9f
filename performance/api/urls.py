"""The worksheet's part of API v1."""

from rest_framework.routers import SimpleRouter

from .staffing import StaffingViewSet
from .worksheets import BenchmarkViewSet, WorksheetViewSet

router = SimpleRouter()
router.register("benchmarks", BenchmarkViewSet, basename="benchmark")
router.register("worksheets", WorksheetViewSet, basename="worksheet")

router.register("staffing", StaffingViewSet, basename="staffing")

urlpatterns = router.urls
