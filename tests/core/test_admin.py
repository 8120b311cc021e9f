"""The Django admin belongs to the admin role: users, organisations, benchmarks, settings —
never people."""

import pytest
from django.core.management import call_command

from ceasefire.core.models import Benchmark, Role, User

pytestmark = pytest.mark.django_db


def test_admin_role_manages_users_organisations_benchmarks_and_settings(client_for):
    page = client_for("admin").get("/admin/").content.decode()
    for model in ("Users", "Organisations", "Benchmarks", "Partnership settings", "Units"):
        assert model in page
    for forbidden in ("People", "Incidents", "Risk designations", "Audit events"):
        assert forbidden not in page


def test_admin_role_sets_a_benchmark(client_for):
    response = client_for("admin").post(
        "/admin/core/benchmark/add/",
        {
            "indicator": "homicides",
            "year": 2017,
            "annual_target": 72,
            "set_at_0": "2017-01-05",
            "set_at_1": "10:00",
        },
    )
    assert response.status_code == 302
    assert Benchmark.objects.get().annual_target == 72


@pytest.mark.parametrize("role", ["police_facilitator", "executive", "auditor", "partner_lead"])
def test_other_roles_cannot_open_the_admin_even_as_staff(users, client, role):
    user = users[role]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    assert client.get("/admin/core/user/").status_code == 302


def test_createsuperuser_makes_an_admin_role_user():
    call_command(
        "createsuperuser", username="root", email="root@example.org", interactive=False, verbosity=0
    )
    assert User.objects.get(username="root").role == Role.ADMIN
