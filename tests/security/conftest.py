import pytest

from tests.factories import ProgramFactory


@pytest.fixture
def published_program(db):
    """A published program with services, whose slug and id fill the URLs' path parameters."""
    return ProgramFactory(terms=["outpatient", "medicaid", "buprenorphine", "spanish"])
