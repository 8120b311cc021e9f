"""The coordination app's part of API v1: partners' records (read and written),
meetings (core's reads, plus a coordination meeting's attendance)."""

from rest_framework.routers import SimpleRouter

from . import records

router = SimpleRouter()
router.register("call-ins", records.CallInViewSet, basename="call-in")
router.register("notifications", records.NotificationViewSet, basename="notification")
router.register("enrolments", records.EnrolmentViewSet, basename="enrolment")
router.register("service-contacts", records.ServiceContactViewSet, basename="service-contact")

router.register("meetings", records.MeetingViewSet, basename="meeting")

urlpatterns = router.urls
