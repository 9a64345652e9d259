"""The API fuzzed against its own OpenAPI schema: no 5xx, and every response as documented.

Runs in the suite with a small budget (SCHEMATHESIS_MAX_EXAMPLES per operation and mode); .ci/run
also runs the schemathesis CLI, with all its phases, against a server on the demo directory. Here
the app is called in-process (WSGI), on the test database with the programs below.
"""

import pytest
from schemathesis import GenerationMode

from programs.models import Program
from tests.factories import ProgramFactory
from tests.schema_fuzz import fuzz, max_examples, wsgi_schema


@pytest.fixture
def api_schema(db, settings):
    settings.API_ANON_RATE = "1000000/min"  # the fuzzer is one client making many requests
    ProgramFactory(terms=["residential", "medicaid", "buprenorphine", "spanish"])
    ProgramFactory(organization=None, phone="", website="", last_verified=None)
    ProgramFactory(terms=["detox-hospital", "cash"], latitude=37.8085, longitude=-122.2668)
    ProgramFactory(status=Program.Status.DRAFT)
    with wsgi_schema("/api/schema/") as schema:
        yield schema


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_as_its_schema_says(api_schema, mode):
    assert fuzz(api_schema, mode, examples=max_examples(20)) == 3
