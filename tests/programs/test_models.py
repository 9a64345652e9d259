from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs import services
from programs.models import Program, Term
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def errors_for(**fields) -> dict:
    program = ProgramFactory.build(organization=None, **fields)
    with pytest.raises(ValidationError) as exc:
        program.full_clean()
    return exc.value.message_dict


@pytest.mark.parametrize(
    "field, value",
    [
        ("zip_code", "9411"),
        ("zip_code", "94110-12"),
        ("zip_code", "ABCDE"),
        ("state", "ZZ"),
        ("state", "ca"),
        ("latitude", 91),
        ("longitude", -181),
        ("phone", "123"),
        ("website", "not a url"),
    ],
)
def test_staff_get_a_message_for_invalid_values(field, value):
    assert field in errors_for(**{field: value})


@pytest.mark.parametrize("zip_code", ["94110", "94110-1234"])
def test_zip_and_zip_plus_four_are_accepted(zip_code):
    ProgramFactory.build(organization=None, zip_code=zip_code).full_clean()


@pytest.mark.parametrize("state", ["PR", "GU", "DC", "VI"])
def test_territories_and_dc_are_states_we_accept(state):
    ProgramFactory.build(organization=None, state=state).full_clean()


@pytest.mark.parametrize(
    "typed", ["415-555-0100", "(415) 555-0100", "+1 415 555 0100", "4155550100"]
)
def test_phone_is_stored_normalized_and_shown_in_national_format(typed):
    program = ProgramFactory(phone=typed)
    program.refresh_from_db()
    assert program.phone.as_e164 == "+14155550100"
    assert program.phone.as_national == "(415) 555-0100"


def test_source_and_external_id_are_unique_together():
    ProgramFactory(source="samhsa", external_id="123")
    ProgramFactory(source="other", external_id="123")
    ProgramFactory(source="samhsa", external_id="")
    ProgramFactory(source="samhsa", external_id="")  # manual listings have no external id
    with pytest.raises(ValidationError):
        ProgramFactory.build(source="samhsa", external_id="123", organization=None).full_clean()


def test_listing_not_verified_for_a_year_is_stale():
    today = timezone.localdate()
    assert ProgramFactory.build(last_verified=None).is_stale
    assert ProgramFactory.build(last_verified=today - timedelta(days=366)).is_stale
    assert not ProgramFactory.build(last_verified=today - timedelta(days=300)).is_stale


def test_call_number_prefers_intake():
    program = ProgramFactory(phone="415-555-0100", intake_phone="415-555-0199")
    assert program.call_number.as_e164 == "+14155550199"
    assert ProgramFactory(phone="", intake_phone="").call_number is None


def test_taxonomy_has_every_design_term():
    codes = dict(Term.objects.values_list("samhsa_code", "code"))
    for samhsa in [
        "SA",
        "MH",
        "CO",
        "HH",
        "DT",
        "HID",
        "RD",
        "OD",
        "HI",
        "RES",
        "RS",
        "RL",
        "PH",
        "OIT",
        "ORT",
        "OP",
        "TELE",
        "MM",
        "OTP",
        "BU",
        "BWN",
        "NU",
        "VTRL",
        "NXN",
        "NP",
        "SS",
        "MD",
        "MC",
        "PI",
        "SF",
        "PA",
        "SI",
        "MI",
        "ITU",
        "CHLD",
        "YAD",
        "ADLT",
        "SNR",
        "FEM",
        "MALE",
        "PW",
        "VET",
        "GL",
        "CJ",
        "AH",
        "SP",
    ]:
        assert samhsa in codes, samhsa
    assert Term.objects.get(code="residential-short").parent.code == "residential"
    assert Term.objects.exclude(label_es="").count() == Term.objects.count()


def test_set_status_publishes_only_the_given_programs():
    draft, other = ProgramFactory(status="draft"), ProgramFactory(status="draft")
    changed = services.set_status(programs=Program.objects.filter(pk=draft.pk), status="published")
    assert changed == 1
    assert list(Program.objects.published()) == [draft]
    other.refresh_from_db()
    assert other.status == "draft"


def test_mark_verified_records_today():
    program = ProgramFactory(last_verified=None)
    services.mark_verified(programs=Program.objects.all())
    program.refresh_from_db()
    assert program.last_verified == timezone.localdate()


@pytest.mark.parametrize(
    "code, broader, message",
    [
        ("medicaid", "residential", "A broader term must be in the same facet."),
        ("residential", "residential-short", "A term cannot be narrower than itself."),
    ],
)
def test_broader_term_is_in_the_same_facet_and_never_loops(term, code, broader, message):
    narrower = term(code)
    narrower.parent = term(broader)
    with pytest.raises(ValidationError) as exc:
        narrower.full_clean()
    assert exc.value.message_dict["parent"] == [message]
