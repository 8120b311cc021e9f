"""Every meeting papers URL, for every visitor, gives exactly what ``access_table.py`` declares."""

import pytest

from tests import access
from tests.papers.access_table import TABLE, build_world

pytestmark = pytest.mark.django_db

world = access.world_fixture(build_world)


@pytest.mark.parametrize("case", access.cases(TABLE))
def test_each_visitor_gets_what_the_table_declares(world, case):
    access.check(case, world)
