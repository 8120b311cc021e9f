"""Core's part of API v1: people and their intelligence, meetings, tasks, contact records."""

from rest_framework.routers import SimpleRouter

from . import contacts, people, work

router = SimpleRouter()
router.register("people", people.PersonViewSet, basename="person")
router.register("designations", people.DesignationViewSet, basename="designation")
router.register("groups", people.GroupViewSet, basename="group")
router.register("conflicts", people.ConflictViewSet, basename="conflict")
router.register("meetings", work.MeetingViewSet, basename="meeting")
router.register("tasks", work.TaskViewSet, basename="task")
router.register("call-ins", contacts.CallInViewSet, basename="call-in")
router.register("notifications", contacts.NotificationViewSet, basename="notification")
router.register("enrolments", contacts.EnrolmentViewSet, basename="enrolment")
router.register("service-contacts", contacts.ServiceContactViewSet, basename="service-contact")
router.register(
    "enforcement-actions", contacts.EnforcementActionViewSet, basename="enforcement-action"
)
router.register("staffing", contacts.StaffingViewSet, basename="staffing")

urlpatterns = router.urls
