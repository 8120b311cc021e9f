"""Signing in, in a real browser, lands each person on their own home page."""

import pytest

from tests import factories as f
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_manager_signs_in_on_a_phone_and_sees_their_followups(browser_page, users, orgs):
    f.TaskFactory(title="Hospital visit at Highland", assigned_organisation=orgs["cbo"])
    page = browser_page(viewport={"width": 390, "height": 844})
    browser_login(page, "partner_staff")
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.get_by_text("Hospital visit at Highland").is_visible()
    assert page.locator("text=Shooting reviews").count() == 0


def test_wrong_password_shows_a_clear_message(browser_page, users):
    page = browser_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "executive")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    assert "enter a correct username and password" in page.locator(".errorlist").inner_text()
