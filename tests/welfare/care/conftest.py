"""Fixtures of the care tests."""

import pytest

from .factories import make_policy


@pytest.fixture
def policy(db):
    """The test policy for 2030: 中秋 (standard 300), 春节, 端午, 国庆 covered; 住院, 结婚 and the other occasions too."""
    return make_policy()
