import pytest

from programs.models import Term


@pytest.fixture
def term(db):
    """Look up a seeded taxonomy term by code: term("medicaid")."""
    return lambda code: Term.objects.get(code=code)
