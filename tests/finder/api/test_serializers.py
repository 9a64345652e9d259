import datetime

import pytest
from django.test import RequestFactory
from django.utils import translation
from phonenumber_field.phonenumber import to_python
from rest_framework import serializers

from finder.api.serializers import ProgramSerializer, phone_data
from programs import taxonomy
from programs.models import Program
from tests.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def programs_as_stored() -> list[Program]:
    """One program with every field filled in, one with all it can lack, as a page loads them."""
    ProgramFactory(
        name="Mission Recovery",
        organization=OrganizationFactory(name="Mission Health", website="https://mh.example.org"),
        street2="Suite 2",
        phone="(415) 555-0100",
        phone_extension="12",
        intake_phone="+14155550199",
        website="https://mission.example.org",
        hours="Mon–Fri 8am–6pm",
        accepting=Program.Accepting.WAITLIST,
        wait_weeks=3,
        accepting_updated=datetime.date(2026, 3, 1),
        beds_available=4,
        beds_updated=datetime.date(2026, 3, 2),
        location_approximate=True,
        terms=["residential", "residential-short", "buprenorphine", "medicaid"],
    )
    ProgramFactory(
        organization=None,
        phone="",
        website="",
        latitude=None,
        longitude=None,
        last_verified=None,
    )
    programs = list(Program.objects.select_related("organization").order_by("pk"))
    programs[0].distance = 3.14159  # as a search with a location gives it
    return taxonomy.attach_terms(programs)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_program_reads_as_drfs_fields_would_write_it(language):
    """The lean to_representation gives what the declared fields (the schema) would, in order."""
    request = RequestFactory().get("/api/v1/programs/")
    with translation.override(language):
        for program in programs_as_stored():
            serializer = ProgramSerializer(context={"request": request})
            lean = serializer.to_representation(program)
            by_fields = serializers.ModelSerializer.to_representation(serializer, program)
            assert list(lean) == ProgramSerializer.Meta.fields
            assert lean == by_fields
            assert lean["url"] == request.build_absolute_uri(program.get_absolute_url())


def test_a_program_without_a_number_has_null_for_it_and_one_with_any_has_it():
    """phone_data's test is a number's truth, without formatting it."""
    numbers = [
        to_python("+14155550100"),
        to_python("(415) 555-0100", region="US"),
        to_python("555"),  # stored before validation: shown as it was stored
        "",
        None,
    ]
    assert [phone_data(number) is None for number in numbers] == [not n for n in numbers]
    assert [phone_data(number) is None for number in numbers] == [
        False,
        False,
        False,
        True,
        True,
    ]
