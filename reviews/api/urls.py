"""The shooting log's part of API v1: incidents (with their involvements); people (core's reads,
the log's ``person_create``); designations (core's reads, the review's decisions), groups and
conflicts (core's reads, their writes and re-validation)."""

from rest_framework.routers import SimpleRouter

from . import people
from .incidents import IncidentViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("people", people.PersonViewSet, basename="person")
router.register("designations", people.DesignationViewSet, basename="designation")
router.register("groups", people.GroupViewSet, basename="group")
router.register("conflicts", people.ConflictViewSet, basename="conflict")

urlpatterns = router.urls
