import pytest


@pytest.mark.parametrize("role", ["police_facilitator", "partner_lead", "executive", "admin", "auditor"])
def test_home_answers_for_each_role(client_for, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
