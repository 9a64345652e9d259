import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from programs import taxonomy
from programs.models import Term


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: per-IP counts (API, problem reports) live there.
    And the taxonomy's version is asked again at its next use, as a new process would."""
    cache.clear()
    taxonomy.check_at_next_use()
    yield
    cache.clear()


@pytest.fixture
def term(db):
    """Look up a seeded taxonomy term by code: term("medicaid")."""
    return lambda code: Term.objects.get(code=code)


@pytest.fixture
def staff_client(db, client, django_user_model):
    """A client logged in as a staff member of one role: staff_client("Editor")."""

    def login(role: str):
        user = django_user_model.objects.create_user(f"{role.lower()}-1", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture(autouse=True)
def search_page_cache(settings):
    """Search pages cached as in production (development turns the cache off by default)."""
    settings.SEARCH_CACHE_SECONDS = 120


@pytest.fixture
def no_page_cache(settings):
    """Every search page worked out, not served from the page cache: for what a process keeps
    itself (result cards, filter groups), which a kept page would hide."""
    settings.SEARCH_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def english_first():
    """Each test starts in English: a Spanish request leaves its language active in the thread."""
    translation.activate("en")
    yield
    translation.deactivate()
