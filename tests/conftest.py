import pytest
from django.core.cache import cache

from programs.models import Term


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the API's per-IP request count lives there."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def term(db):
    """Look up a seeded taxonomy term by code: term("medicaid")."""
    return lambda code: Term.objects.get(code=code)
