"""Core's part of API v1: meetings, tasks, enforcement actions.

People, designations, groups and conflicts are read by core's viewsets but mounted by
``reviews/api/`` (which adds the shooting log's ``person_create``, the shooting review's
decisions, the groups' writes and re-validation); partners' records (call-ins, notifications,
enrolments, service contacts) by ``coordination/api/`` (which adds their writes); unit staffing
by ``performance/api/``. Meetings are core's, each kind written by the app that owns it
(``work.MEETING_WRITERS``): core imports no meeting app."""

from rest_framework.routers import SimpleRouter

from . import contacts, work

router = SimpleRouter()
router.register("meetings", work.MeetingViewSet, basename="meeting")
router.register("tasks", work.TaskViewSet, basename="task")
router.register(
    "enforcement-actions", contacts.EnforcementActionViewSet, basename="enforcement-action"
)

urlpatterns = router.urls
