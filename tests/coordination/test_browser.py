"""Browser journey on a phone: a case manager records a custom notification, enrols the person."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ceasefire.core.models import CustomNotification, Enrolment, Task
from tests.conftest import browser_login

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    """Screenshots for looking at the pages: set COORDINATION_SCREENSHOTS=/some/dir."""
    target = os.environ.get("COORDINATION_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_case_manager_delivers_a_custom_notification_and_enrols_the_person_on_a_phone(
    agenda, browser_page
):
    page = browser_page(viewport=PHONE)
    browser_login(page, "partner_staff")

    page.goto("/coordination/")
    page.wait_for_url("**/coordination/followups/")
    _shot(page, "phone-followups")
    page.get_by_role("link", name="Custom notification").first.click()
    page.wait_for_url(f"**/coordination/followups/{agenda.task.pk}/")
    page.get_by_text("At high risk of violence").wait_for()
    _shot(page, "phone-followup")

    page.get_by_label("Offer of help accepted").check()
    page.get_by_role("button", name="Record notification").click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    notification = CustomNotification.objects.get()
    assert notification.person == agenda.shared and notification.help_accepted
    agenda.task.refresh_from_db()
    assert agenda.task.status == Task.Status.IN_PROGRESS

    page.get_by_label("Referral source").select_option("custom_notification")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_text("Enrolled with").wait_for()
    _shot(page, "phone-followup-after")
    enrolment = Enrolment.objects.get()
    assert enrolment.person == agenda.shared
    assert enrolment.referral_source == Enrolment.ReferralSource.CUSTOM_NOTIFICATION
    assert enrolment.provider == agenda.task.assigned_organisation

    page.get_by_role("button", name="Mark done").click()
    page.get_by_text("In progress → Done").wait_for()
    agenda.task.refresh_from_db()
    assert agenda.task.status == Task.Status.DONE


def test_partner_lead_saves_attendance_inline_at_the_meeting(agenda, orgs, browser_page):
    page = browser_page(viewport={"width": 1280, "height": 900})
    browser_login(page, "partner_lead")
    page.goto(f"/coordination/meetings/{agenda.meeting.pk}/")
    page.get_by_label("Human Services Department").check()
    page.get_by_label("The agenda covered risk alignment").check()
    # no waiting: saves queue, and each hands the new version to the other forms (out-of-band swap)
    page.get_by_label("Minutes").fill("Plans agreed.")
    page.get_by_role("button", name="Save minutes").click()
    page.locator("#minutes-status").get_by_text("Saved").wait_for()
    page.wait_for_function(
        f"document.getElementById('close-version').value === '{agenda.meeting.version + 3}'"
    )
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.minutes == "Plans agreed." and agenda.meeting.risk_alignment
    assert list(agenda.meeting.attending_organisations.all()) == [orgs["hsd"]]
    plan = page.locator(f"#plan-{agenda.shared.pk}")
    plan.get_by_text("Plan an intervention").click()
    plan.get_by_label("Intervention").select_option("hospital_response")
    plan.get_by_label("Organisation").select_option(label="Youth Alive")
    plan.get_by_label("Due").fill(agenda.meeting.date.isoformat())
    plan.get_by_label("Who is best placed, when").fill("Youth Alive responder, tonight")
    plan.get_by_role("button", name="Add").click()
    page.locator(f"#plan-{agenda.shared.pk}").get_by_text(
        "Youth Alive responder, tonight"
    ).wait_for()
    assert Task.objects.filter(
        source_meeting=agenda.meeting, kind="hospital_response", subject_person=agenda.shared
    ).exists()
    _shot(page, "desktop-meeting")
    page.goto(f"/coordination/meetings/{agenda.meeting.pk}/?projector=1")
    _shot(page, "projector-meeting")
    page.goto(f"/coordination/meetings/{agenda.meeting.pk}/print/")
    page.get_by_text("Plans agreed.").wait_for()
    _shot(page, "desktop-print")
    for name, path in [
        ("desktop-index", "/coordination/"),
        ("desktop-caseload", "/coordination/caseload/"),
        ("desktop-call-ins", "/coordination/call-ins/"),
    ]:
        page.goto(path)
        _shot(page, name)
    phone = browser_page(viewport=PHONE)
    browser_login(phone, "partner_lead")
    phone.goto(f"/coordination/meetings/{agenda.meeting.pk}/")
    _shot(phone, "phone-meeting")


def test_the_facilitator_picks_call_in_attendees_by_typing_and_keeps_them_across_searches(
    agenda, orgs, browser_page
):
    from tests import factories as f

    f.EnrolmentFactory(
        provider=orgs["hsd"], person=f.PersonFactory(first_name="Andre", last_name="Ng")
    )
    page = browser_page()
    browser_login(page, "police_facilitator")
    page.goto("/coordination/call-ins/")
    page.fill("#attendee-q", "Darn")
    page.wait_for_selector("#matches label.pick >> text=Darnell Shared")
    page.check("#matches input[type=checkbox]")
    page.fill("#attendee-q", "Andre")
    page.wait_for_selector("#matches label.pick >> text=Andre Ng")
    assert page.is_visible("#chosen >> text=Darnell Shared"), "the first pick stays chosen"
    page.check("#matches input[type=checkbox]")
    _shot(page, "call_in_picker")
    page.click("text=Record call-in")
    page.wait_for_selector("text=Call-in recorded")
    assert page.locator("td[data-label=Attendees]").first.inner_text() == "2"
