"""A provider sees and touches only their own listings, on every provider URL."""

import pytest
from django.urls import reverse

from programs.models import Program, Verification
from providers import urls
from providers.models import ProposedChange, ProviderUpdate
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAM_URLS = [p.name for p in urls.urlpatterns if "<int:pk>" in str(p.pattern)]
SIGNED_IN_URLS = ["home", *PROGRAM_URLS]
POSTS = {
    "program": {"accepting": "no", "beds_available": "9"},
    "confirm": {},
    "propose": {"name": "Taken Over", "city": "Oakland", "state": "CA", "zip_code": "94601"},
}


def test_every_program_url_is_checked():
    assert set(PROGRAM_URLS) == set(POSTS)


@pytest.mark.parametrize("name", PROGRAM_URLS)
def test_provider_cannot_see_or_change_another_programs_listing(name, provider_client):
    mine, theirs = ProgramFactory(), ProgramFactory(accepting="yes")
    client = provider_client(mine)
    before = Program.objects.values().get(pk=theirs.pk)
    url = reverse(f"providers:{name}", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, POSTS[name]).status_code == 404
    assert Program.objects.values().get(pk=theirs.pk) == before
    assert not Verification.objects.filter(program=theirs).exists()
    assert not ProposedChange.objects.filter(program=theirs).exists()
    assert not ProviderUpdate.objects.filter(program=theirs).exists()


@pytest.mark.parametrize("name", PROGRAM_URLS)
def test_provider_of_a_sibling_organization_program_cannot_reach_it(name, provider_client):
    mine = ProgramFactory()
    sibling = ProgramFactory(organization=mine.organization)  # same organization, not granted
    client = provider_client(mine)
    assert (
        client.post(reverse(f"providers:{name}", args=[sibling.pk]), POSTS[name]).status_code == 404
    )


@pytest.mark.parametrize("name", SIGNED_IN_URLS)
def test_signed_out_visitor_is_sent_to_sign_in(name, client):
    program = ProgramFactory()
    url = reverse(f"providers:{name}", args=[program.pk] if name in PROGRAM_URLS else [])
    response = client.post(url, POSTS.get(name, {}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("providers:request-link"))
    assert not ProviderUpdate.objects.exists()


@pytest.mark.parametrize("name", PROGRAM_URLS)
def test_staff_account_is_not_a_provider(name, staff_client):
    program = ProgramFactory()
    response = staff_client("Administrator").get(reverse(f"providers:{name}", args=[program.pk]))
    assert response.status_code == 404


def test_archived_listing_is_out_of_reach(provider_client):
    program = ProgramFactory()
    client = provider_client(program)
    Program.objects.filter(pk=program.pk).update(status=Program.Status.ARCHIVED)
    assert client.get(reverse("providers:program", args=[program.pk])).status_code == 404


def test_home_lists_only_own_programs(provider_client):
    mine, theirs = ProgramFactory(), ProgramFactory()
    content = provider_client(mine).get(reverse("providers:home")).content.decode()
    assert mine.name in content and theirs.name not in content
