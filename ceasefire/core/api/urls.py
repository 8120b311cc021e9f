"""Core's part of API v1: people and their intelligence, meetings, tasks, enforcement actions.

Partners' records (call-ins, notifications, enrolments, service contacts) are read by core's
viewsets but mounted by ``coordination/api/`` (which adds their writes, and meetings'
attendance), unit staffing by
``performance/api/``: core imports no meeting app."""

from rest_framework.routers import SimpleRouter

from . import contacts, people, work

router = SimpleRouter()
router.register("people", people.PersonViewSet, basename="person")
router.register("designations", people.DesignationViewSet, basename="designation")
router.register("groups", people.GroupViewSet, basename="group")
router.register("conflicts", people.ConflictViewSet, basename="conflict")
router.register("tasks", work.TaskViewSet, basename="task")
router.register(
    "enforcement-actions", contacts.EnforcementActionViewSet, basename="enforcement-action"
)

urlpatterns = router.urls
