"""The access-table machinery: rows are complete, htmx keeps decisions, cases stay apart."""

from __future__ import annotations

import pytest

from ceasefire.core.models import Person
from tests import access
from tests.access import FACILITATOR, FORBIDDEN, Row, only
from tests.core.access_table import build_world

pytestmark = pytest.mark.django_db

world = access.world_fixture(build_world)


def test_a_row_gives_an_outcome_to_every_visitor():
    with pytest.raises(AssertionError, match="every visitor"):
        Row("core:home", expect={"admin": access.Outcome(200)})


def test_only_refuses_a_name_that_is_not_a_role():
    with pytest.raises(AssertionError, match="not roles"):
        only({"police"})


def test_htmx_may_change_how_an_allowed_role_is_answered_but_not_the_decision():
    row = Row("core:home", "POST", expect=only(FACILITATOR, 302), htmx=200)
    assert row.htmx_expect["police_facilitator"].status == 200
    assert row.htmx_expect["admin"] == FORBIDDEN
    with pytest.raises(AssertionError, match="must not change the decision"):
        Row("core:home", expect=only(FACILITATOR), htmx=only(FACILITATOR, others=200))


def test_a_case_id_names_url_method_htmx_and_visitor():
    row = Row("reviews:incident-list", label="page 2", htmx=True)
    assert [str(c.values[0]) for c in access.cases([row])][-1] == (
        "reviews:incident-list[GET page 2 htmx]-anonymous"
    )


# Run in either order, the second of these two catches a change that outlived its case.
@pytest.mark.parametrize("attempt", [1, 2])
def test_what_one_case_writes_is_gone_before_the_next(world, attempt):
    assert Person.objects.get(pk=world.shared.pk).first_name == "Darnell"
    Person.objects.filter(pk=world.shared.pk).update(first_name=f"Changed {attempt}")
