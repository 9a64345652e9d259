"""The HSDS API fuzzed against its own OpenAPI document (/hsds/openapi.json): no 5xx, and every
response as documented. A small budget here (SCHEMATHESIS_MAX_EXAMPLES per operation and mode);
the schemathesis CLI in .ci/run runs the same document against a server with a bigger one.
"""

import pytest
from schemathesis import GenerationMode

from programs.models import Program
from tests.factories import ProgramFactory
from tests.schema_fuzz import fuzz, max_examples, wsgi_schema


@pytest.fixture
def hsds_schema(db, settings):
    settings.API_ANON_RATE = "1000000/min"  # the fuzzer is one client making many requests
    ProgramFactory(terms=["residential", "detox-hospital", "medicaid", "spanish"])
    ProgramFactory(organization=None, phone="", website="", last_verified=None)
    ProgramFactory(latitude=37.8085, longitude=-122.2668, hours="Mon–Fri 9–5")
    ProgramFactory(status=Program.Status.DRAFT)
    with wsgi_schema("/hsds/openapi.json") as schema:
        yield schema


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_hsds_api_answers_as_its_openapi_document_says(hsds_schema, mode):
    assert fuzz(hsds_schema, mode, examples=max_examples(8)) == 11
