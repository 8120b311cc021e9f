"""The coordination app's part of API v1: partners' records (read and written). Importing
``records`` also registers how a coordination meeting is written (``PATCH meetings/{id}``)."""

from rest_framework.routers import SimpleRouter

from . import records

router = SimpleRouter()
router.register("call-ins", records.CallInViewSet, basename="call-in")
router.register("notifications", records.NotificationViewSet, basename="notification")
router.register("enrolments", records.EnrolmentViewSet, basename="enrolment")
router.register("service-contacts", records.ServiceContactViewSet, basename="service-contact")

urlpatterns = router.urls
