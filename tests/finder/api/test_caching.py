from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.http import http_date

from programs.models import Organization, Program
from programs.querysets import directory_last_modified
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAMS = reverse("api-program-list")


def test_unchanged_list_is_a_304_for_a_matching_etag(client):
    ProgramFactory()
    first = client.get(PROGRAMS, {"location": "94110"})
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(PROGRAMS, {"location": "94110"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_an_edit_changes_the_etag_and_the_last_modified(client):
    program = ProgramFactory(name="Before")
    first = client.get(PROGRAMS)
    program.name = "After"
    program.save()
    changed = client.get(PROGRAMS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["results"][0]["name"] == "After"
    assert changed["ETag"] != first["ETag"]
    assert changed["Last-Modified"] == http_date(program.updated.timestamp())


def test_program_is_a_304_if_not_modified_since_its_last_edit(client):
    program = ProgramFactory()
    url = reverse("api-program-detail", args=[program.pk])
    first = client.get(url)
    assert first["Last-Modified"] == http_date(program.updated.timestamp())
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # An edit two seconds later (HTTP dates count whole seconds).
    Program.objects.filter(pk=program.pk).update(updated=program.updated + timedelta(seconds=2))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_head_answers_like_get_without_a_body(client):
    ProgramFactory()
    get = client.get(PROGRAMS)
    head = client.head(PROGRAMS)
    assert head.status_code == 200
    assert head["ETag"] == get["ETag"] and head.content == b""


def test_errors_are_not_cached(client):
    response = client.get(PROGRAMS, {"location": "zzz"})
    assert response.status_code == 400
    assert "ETag" not in response and "Cache-Control" not in response


def test_the_directorys_last_edit_is_the_latest_of_programs_and_operators():
    program = ProgramFactory()
    assert directory_last_modified() == Program.objects.get(pk=program.pk).updated
    organization = Organization.objects.get(pk=program.organization_id)
    organization.name = "Renamed Health"
    organization.save()
    organization.refresh_from_db()
    assert directory_last_modified() == organization.updated > program.updated
