import re

import pytest
from django.core import mail

from providers import services
from tests.factories import ProgramFactory


@pytest.fixture(autouse=True)
def email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def link_in(message) -> str:
    """The sign-in link's path in an email."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.fixture
def invited(db, django_capture_on_commit_callbacks):
    """Invite a program's contact: invited(program) → the path of the emailed sign-in link."""

    def invite(program=None, organization=None, email="intake@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite(
                email=email,
                program=program,
                organization=organization,
                base_url="http://testserver",
            )
        return link_in(mail.outbox[-1])

    return invite


@pytest.fixture
def provider_client(client, invited):
    """A client signed in by link as the contact of `program`: provider_client(program)."""

    def sign_in(program, email="intake@example.org"):
        response = client.post(invited(program, email=email))
        assert response.status_code == 302
        return client

    return sign_in


@pytest.fixture
def program(db):
    return ProgramFactory(terms=["residential", "medicaid"])
