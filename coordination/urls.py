from django.urls import path

from . import apis, views

app_name = "coordination"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/print/", views.meeting_print, name="meeting-print"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting-close"),
    path(
        "meetings/<int:pk>/people/<int:person_pk>/plan-form/",
        views.plan_form,
        name="plan-form",
    ),
    path(
        "meetings/<int:pk>/people/<int:person_pk>/interventions/",
        views.plan_intervention_add,
        name="plan-intervention-add",
    ),
    path(
        "meetings/<int:pk>/people/<int:person_pk>/plan/",
        views.person_plan_save,
        name="person-plan-save",
    ),
    path(
        "meetings/<int:pk>/people/<int:person_pk>/long-term-plan/",
        views.long_term_plan_save,
        name="long-term-plan-save",
    ),
    path("meetings/<int:pk>/health/", views.health_item_add, name="health-item-add"),
    path(
        "meetings/<int:pk>/health/<int:item_pk>/",
        views.health_item_update,
        name="health-item-update",
    ),
    path(
        "meetings/<int:pk>/shares/<int:share_pk>/withdraw/",
        views.share_withdraw,
        name="share-withdraw",
    ),
    path("followups/", views.followups, name="followups"),
    path("followups/export/", views.followups_export, name="followups-export"),
    path("followups/<int:pk>/", views.followup_detail, name="followup-detail"),
    path("followups/<int:pk>/update/", views.followup_update, name="followup-update"),
    path("followups/<int:pk>/answer/", views.followup_answer, name="followup-answer"),
    path("followups/<int:pk>/reassign/", views.followup_reassign, name="followup-reassign"),
    path(
        "followups/<int:pk>/notification/",
        views.followup_notification,
        name="followup-notification",
    ),
    path("followups/<int:pk>/enrol/", views.followup_enrol, name="followup-enrol"),
    path("followups/<int:pk>/contact/", views.followup_contact, name="followup-contact"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/export/", views.caseload_export, name="caseload-export"),
    path("enrolments/<int:pk>/exit/", views.enrolment_exit, name="enrolment-exit"),
    path("call-ins/", views.call_ins, name="call-ins"),
    path("call-ins/people/", views.call_in_search, name="call-in-search"),
    path("api/followups/", apis.FollowupListApi, name="api-followups"),
    path("api/followups/<int:pk>/", apis.FollowupDetailApi, name="api-followup-detail"),
]
