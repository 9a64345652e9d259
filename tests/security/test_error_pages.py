"""Error pages stay on this site and in its layout: the 404's language link, the CSRF failure."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def language_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"[^>]*class="language-link"', html)


@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/x", "/\\evil.example/"])
def test_the_404_pages_language_link_stays_on_this_site(client, path):
    # Set as the server would receive it (the test client would read "//host/" as a host).
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    (link,) = language_links(response.content.decode())
    assert urlsplit(link.replace("\\", "/")).netloc == ""  # a path on this site, not a host
    assert link.startswith("/") and not link.startswith(("//", "/\\"))


def test_the_language_link_still_keeps_the_page_and_the_search(client):
    html = client.get("/guides/?location=94110").content.decode()
    assert language_links(html) == ["/es/guides/?location=94110"]


def test_a_form_without_its_csrf_token_gets_our_page_with_988(settings):
    program = ProgramFactory()
    response = Client(enforce_csrf_checks=True).post(
        f"/programs/{program.slug}/report/", {"kind": "phone"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html
    assert 'href="tel:988"' in html  # the site's layout, crisis line included
    assert "CSRF verification failed" not in html  # not Django's bare page
