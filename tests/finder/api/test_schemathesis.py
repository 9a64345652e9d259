"""The API fuzzed against its own OpenAPI schema: no 5xx, and every response as documented.

Runs in the suite with a small budget (SCHEMATHESIS_MAX_EXAMPLES per operation and mode); .ci/run
also runs the schemathesis CLI, with all its phases, against a server on the demo directory. Here
the app is called in-process (WSGI), on the test database with the programs below.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from programs.models import Program
from tests.factories import ProgramFactory

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "20"))
# Any string is a valid `location` by the schema, but only a place we know is accepted; the
# schema cannot say which, so "schema-valid data is accepted" does not hold for it.
CHECKS_SKIPPED = {"positive_data_acceptance"}


@pytest.fixture
def api_schema(db, settings):
    settings.API_ANON_RATE = "1000000/min"  # the fuzzer is one client making many requests
    ProgramFactory(terms=["residential", "medicaid", "buprenorphine", "spanish"])
    ProgramFactory(organization=None, phone="", website="", last_verified=None)
    ProgramFactory(terms=["detox-hospital", "cash"], latitude=37.8085, longitude=-122.2668)
    ProgramFactory(status=Program.Status.DRAFT)
    # A WSGI server closes the database connection after each request; in a test that would end
    # the test's transaction, so do as Django's test client does and leave it open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_as_its_schema_says(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 3
    excluded = [check for check in CHECKS.get_all() if check.__name__ in CHECKS_SKIPPED]
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not (operation.query or operation.path_parameters):
            continue  # nothing to get wrong in a request with no parameters

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same cases on every run: CI is reproducible
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(excluded_checks=excluded)

        answers_as_documented()
