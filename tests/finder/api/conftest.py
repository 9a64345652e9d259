import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test starts with an empty request count (the throttle counts in the default cache)."""
    cache.clear()
    yield
    cache.clear()
