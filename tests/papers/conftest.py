from __future__ import annotations

import pytest

from tests.papers.world import build_papers_world


@pytest.fixture
def city(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_papers_world()
