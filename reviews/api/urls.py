"""The shooting log's part of API v1."""

from rest_framework.routers import SimpleRouter

from .incidents import IncidentViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")

urlpatterns = router.urls
