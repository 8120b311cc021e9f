"""Core's part of API v1: people, meetings, tasks, enforcement actions.

Partners' records (call-ins, notifications, enrolments, service contacts) are read by core's
viewsets but mounted by ``coordination/api/`` (which adds their writes); designations, groups and
conflicts by ``reviews/api/`` (which adds the shooting review's decisions and the re-validation);
unit staffing by ``performance/api/``. Meetings are core's, each kind written by the app that
owns it (``work.MEETING_WRITERS``): core imports no meeting app."""

from rest_framework.routers import SimpleRouter

from . import contacts, people, work

router = SimpleRouter()
router.register("people", people.PersonViewSet, basename="person")
router.register("meetings", work.MeetingViewSet, basename="meeting")
router.register("tasks", work.TaskViewSet, basename="task")
router.register(
    "enforcement-actions", contacts.EnforcementActionViewSet, basename="enforcement-action"
)

urlpatterns = router.urls
