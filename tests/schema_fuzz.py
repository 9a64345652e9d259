"""Fuzz an OpenAPI document against the app in-process (WSGI) with schemathesis: no 5xx, and
every response as the document says. Shared by the /api/v1/ and /hsds/ fuzz tests."""

import os
from contextlib import contextmanager

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

# Any string is a valid `location` (any 5 digits a valid `postcode`) by the schema, but only a
# place we know is accepted (a 400 naming it otherwise); no schema can say which, so "schema-valid
# data is accepted" does not hold for them.
CHECKS_SKIPPED = {"positive_data_acceptance"}


@contextmanager
def wsgi_schema(path: str):
    """The OpenAPI document at `path`, with its operations calling the app in-process."""
    # A WSGI server closes the database connection after each request; in a test that would end
    # the test's transaction, so do as Django's test client does and leave it open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(path, get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def max_examples(default: int) -> int:
    return int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", default))


def fuzz(schema, mode: GenerationMode, *, examples: int) -> int:
    """Run every operation with `examples` generated cases; returns how many operations ran."""
    operations = [result.ok() for result in schema.get_all_operations()]
    excluded = [check for check in CHECKS.get_all() if check.__name__ in CHECKS_SKIPPED]
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not (operation.query or operation.path_parameters):
            continue  # nothing to get wrong in a request with no parameters

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,  # the same cases on every run: CI is reproducible
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            # In-process WSGI calls do not undo gzip (GZipMiddleware) as an HTTP client does.
            plain = {"Accept-Encoding": "identity"}
            case.call_and_validate(headers=plain, excluded_checks=excluded)

        answers_as_documented()
    return len(operations)
