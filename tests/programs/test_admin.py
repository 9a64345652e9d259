from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Facet, Organization, Program, Term
from tests.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_program_changelist")
ADD = reverse("admin:programs_program_add")
PROGRAM_LIST_QUERIES = 7  # the state filter asks which states have listings


def change_url(program: Program) -> str:
    return reverse("admin:programs_program_change", args=[program.pk])


def listed(response) -> set[str]:
    """Names of the programs on a changelist page."""
    return {program.name for program in response.context["cl"].result_list}


def form_data(program: Program, **changes) -> dict:
    """What the change form posts back for `program` unchanged, with `changes` applied."""
    data = {
        "name": program.name,
        "slug": program.slug,
        "organization": program.organization_id or "",
        "status": program.status,
        "description": program.description,
        "street": program.street,
        "street2": program.street2,
        "city": program.city,
        "state": program.state,
        "zip_code": program.zip_code,
        "latitude": program.latitude,
        "longitude": program.longitude,
        "phone": str(program.phone),
        "intake_phone": str(program.intake_phone or ""),
        "website": program.website,
        "hours": program.hours,
        "accepting": program.accepting,
        "last_verified": program.last_verified.isoformat() if program.last_verified else "",
        "terms": [term.pk for term in program.terms.all()] if program.pk else [],
        "source": program.source,
        "external_id": program.external_id,
    }
    return data | changes


# --- The program list ---


def test_program_list_shows_program_names_and_their_place(admin_client):
    ProgramFactory(name="Mission Recovery", city="San Francisco")
    ProgramFactory(name="Lake Merritt Clinic", city="Oakland", zip_code="94612")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mission Recovery" in html
    assert "Lake Merritt Clinic" in html
    assert "Oakland" in html


def test_program_list_query_count_does_not_grow_with_the_number_of_programs(admin_client):
    ProgramFactory.create_batch(2, terms=["residential", "medicaid"])
    with CaptureQueriesContext(connection) as few:
        admin_client.get(CHANGELIST)
    ProgramFactory.create_batch(28, terms=["residential", "medicaid"])
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 30
    assert len(many) == len(few)


def test_filtered_program_list_needs_a_handful_of_queries(
    admin_client, django_assert_max_num_queries
):
    ProgramFactory.create_batch(30, terms=["residential-short"], last_verified=None)
    params = {"facet-level": "residential", "verified": "stale"}
    admin_client.get(CHANGELIST, params)  # a process reads the taxonomy once, at its first use
    with django_assert_max_num_queries(PROGRAM_LIST_QUERIES):
        response = admin_client.get(CHANGELIST, params)
    assert len(response.context["cl"].result_list) == 30


# --- Filters ---


def test_program_list_has_a_filter_for_each_facet_listing_its_terms(admin_client):
    html = admin_client.get(CHANGELIST).content.decode()
    for facet in Facet.objects.all():
        assert f"By {facet.label_en}" in html
    assert "— Short-term residential (30 days or less)" in html
    assert "Medicaid" in html


def test_facet_filter_shows_only_programs_offering_the_term(admin_client):
    ProgramFactory(name="Takes Medicaid", terms=["medicaid"])
    ProgramFactory(name="Cash Only", terms=["cash"])
    response = admin_client.get(CHANGELIST, {"facet-payment": "medicaid"})
    assert listed(response) == {"Takes Medicaid"}


def test_broad_term_filter_includes_programs_tagged_with_a_narrower_term(admin_client):
    ProgramFactory(name="Short Stay House", terms=["residential-short"])
    ProgramFactory(name="Weekly Outpatient", terms=["outpatient-regular"])
    response = admin_client.get(CHANGELIST, {"facet-level": "residential"})
    assert listed(response) == {"Short Stay House"}


def test_filters_of_two_facets_combine(admin_client):
    ProgramFactory(name="Residential Medicaid", terms=["residential", "medicaid"])
    ProgramFactory(name="Residential Cash", terms=["residential", "cash"])
    ProgramFactory(name="Outpatient Medicaid", terms=["outpatient", "medicaid"])
    response = admin_client.get(
        CHANGELIST, {"facet-level": "residential", "facet-payment": "medicaid"}
    )
    assert listed(response) == {"Residential Medicaid"}


def test_stale_filter_lists_programs_not_verified_for_a_year_or_never(admin_client):
    today = timezone.localdate()
    days = settings.STALE_AFTER_DAYS
    ProgramFactory(name="Checked Today", last_verified=today)
    ProgramFactory(name="Checked At The Limit", last_verified=today - timedelta(days=days))
    ProgramFactory(name="Checked Too Long Ago", last_verified=today - timedelta(days=days + 1))
    ProgramFactory(name="Never Checked", last_verified=None)

    stale = admin_client.get(CHANGELIST, {"verified": "stale"})
    recent = admin_client.get(CHANGELIST, {"verified": "recent"})

    assert listed(stale) == {"Checked Too Long Ago", "Never Checked"}
    assert listed(recent) == {"Checked Today", "Checked At The Limit"}
    # The filter agrees with the flag shown on the listing itself.
    assert all(program.is_stale for program in stale.context["cl"].result_list)
    assert not any(program.is_stale for program in recent.context["cl"].result_list)


def test_status_and_state_filters_narrow_the_list(admin_client):
    ProgramFactory(name="Draft In California", status=Program.Status.DRAFT)
    ProgramFactory(name="Published In California")
    ProgramFactory(name="Draft In New York", status=Program.Status.DRAFT, state="NY")
    response = admin_client.get(CHANGELIST, {"status__exact": "draft", "state__exact": "CA"})
    assert listed(response) == {"Draft In California"}


# --- Search ---


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Oakland", {"Lake Merritt Clinic"}),
        ("94612", {"Lake Merritt Clinic"}),
        ("Bay Area Health", {"Mission Recovery"}),
        ("Mission", {"Mission Recovery"}),
    ],
    ids=["city", "zip", "organization", "name"],
)
def test_search_finds_programs_by_city_zip_organization_or_name(admin_client, query, expected):
    ProgramFactory(
        name="Mission Recovery", organization=OrganizationFactory(name="Bay Area Health Network")
    )
    ProgramFactory(name="Lake Merritt Clinic", city="Oakland", zip_code="94612")
    response = admin_client.get(CHANGELIST, {"q": query})
    assert listed(response) == expected


# --- Bulk actions ---


def run_action(admin_client, action: str, programs: list[Program], **extra):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [program.pk for program in programs], **extra},
        follow=True,
    )


def statuses() -> dict[str, str]:
    return dict(Program.objects.values_list("name", "status"))


def test_publish_action_publishes_only_the_selected_programs(admin_client):
    first, second, untouched = ProgramFactory.create_batch(3, status=Program.Status.DRAFT)
    response = run_action(admin_client, "publish", [first, second])
    assert statuses() == {
        first.name: "published",
        second.name: "published",
        untouched.name: "draft",
    }
    assert "2 programs published." in response.content.decode()


def test_publish_action_counts_only_programs_that_changed(admin_client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    already = ProgramFactory(status=Program.Status.PUBLISHED)
    response = run_action(admin_client, "publish", [draft, already])
    assert "1 program published." in response.content.decode()


def test_unpublish_action_moves_only_the_selected_programs_back_to_draft(admin_client):
    first, second, untouched = ProgramFactory.create_batch(3)
    response = run_action(admin_client, "unpublish", [first, second])
    assert statuses() == {first.name: "draft", second.name: "draft", untouched.name: "published"}
    assert "2 programs moved back to draft." in response.content.decode()


def test_archive_action_archives_only_the_selected_program(admin_client):
    chosen, untouched = ProgramFactory.create_batch(2)
    response = run_action(admin_client, "archive", [chosen])
    assert statuses() == {chosen.name: "archived", untouched.name: "published"}
    assert "1 program archived." in response.content.decode()


def test_mark_verified_action_stamps_today_on_only_the_selected_programs(admin_client):
    long_ago = timezone.localdate() - timedelta(days=800)
    first, second = ProgramFactory.create_batch(2, last_verified=long_ago)
    untouched = ProgramFactory(last_verified=None)
    response = run_action(admin_client, "mark_verified", [first, second], method="phone")
    verified = dict(Program.objects.values_list("pk", "last_verified"))
    assert verified == {
        first.pk: timezone.localdate(),
        second.pk: timezone.localdate(),
        untouched.pk: None,
    }
    assert "2 programs marked verified today." in response.content.decode()


def test_actions_are_offered_by_their_plain_names(admin_client):
    ProgramFactory()
    html = admin_client.get(CHANGELIST).content.decode()
    assert "Publish selected programs" in html
    assert "Unpublish selected programs (back to draft)" in html
    assert "Mark selected programs verified today" in html


# --- The change form ---


def test_change_form_shows_terms_as_checkboxes_grouped_under_facet_headings(admin_client):
    program = ProgramFactory(terms=["residential-short"])
    response = admin_client.get(change_url(program))
    assert response.status_code == 200
    html = response.content.decode()
    for facet in Facet.objects.all():
        assert f"<label><strong>{facet.label_en}</strong></label>" in html
    short = Term.objects.get(code="residential-short")
    assert html.count('type="checkbox" name="terms"') == Term.objects.count()
    assert "— Short-term residential (30 days or less)" in html
    assert f'type="checkbox" name="terms" value="{short.pk}"' in html
    # The program's own term comes back ticked.
    checked = html.split(f'value="{short.pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in checked


def test_change_form_groups_narrower_terms_under_their_facet(admin_client):
    program = ProgramFactory()
    html = admin_client.get(change_url(program)).content.decode()
    level = html.index("<strong>Level of care</strong>")
    short = html.index("— Short-term residential")
    next_heading = html.index("<strong>Medications for opioid use disorder</strong>")
    assert level < html.index("Residential (live-in) treatment") < short < next_heading


def test_change_form_needs_the_same_few_queries_however_many_terms_are_ticked(
    admin_client, django_assert_max_num_queries
):
    program = ProgramFactory(terms=list(Term.objects.values_list("code", flat=True)))
    with django_assert_max_num_queries(8):  # 7, and the listing's open problem reports
        response = admin_client.get(change_url(program))
    assert response.status_code == 200


def test_change_form_still_offers_terms_a_curator_put_in_a_parent_loop(admin_client):
    # residential -> residential-short -> residential: neither is a top-level term any more.
    Term.objects.filter(code="residential").update(
        parent=Term.objects.get(code="residential-short")
    )
    program = ProgramFactory(terms=["residential"])
    html = admin_client.get(change_url(program)).content.decode()
    for code in ["residential", "residential-short"]:
        assert f'name="terms" value="{Term.objects.get(code=code).pk}"' in html


def test_change_form_shows_source_and_read_only_timestamps(admin_client):
    program = ProgramFactory(source="samhsa", external_id="SAMHSA-123")
    html = admin_client.get(change_url(program)).content.decode()
    assert 'name="source"' in html
    assert 'value="SAMHSA-123"' in html
    assert 'name="created"' not in html  # read-only, shown as text
    for heading in ["Listing", "Address &amp; location", "Contact", "What it offers", "Source"]:
        assert heading in html


def test_saving_the_change_form_stores_terms_from_several_facets(admin_client):
    program = ProgramFactory(terms=["outpatient"])
    chosen = Term.objects.filter(code__in=["residential-short", "medicaid", "buprenorphine"])
    response = admin_client.post(
        change_url(program), form_data(program, terms=[term.pk for term in chosen])
    )
    assert response.status_code == 302
    assert set(program.terms.values_list("code", flat=True)) == {
        "residential-short",
        "medicaid",
        "buprenorphine",
    }


def test_saving_the_change_form_with_a_term_that_no_longer_exists_is_refused(admin_client):
    program = ProgramFactory(terms=["outpatient"])
    response = admin_client.post(change_url(program), form_data(program, terms=[999_999]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["terms"]
    assert list(program.terms.values_list("code", flat=True)) == ["outpatient"]


@pytest.mark.parametrize(
    "field, bad_value",
    [("zip_code", "9411"), ("state", "XX"), ("phone", "555-01")],
)
def test_change_form_rejects_invalid_address_or_phone_and_does_not_save(
    admin_client, field, bad_value
):
    program = ProgramFactory(name="Mission Recovery")
    response = admin_client.post(
        change_url(program), form_data(program, name="Renamed", **{field: bad_value})
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert "Please correct the error below." in response.content.decode()
    program.refresh_from_db()
    assert program.name == "Mission Recovery"


def test_add_form_creates_a_draft_program(admin_client):
    organization = OrganizationFactory()
    data = form_data(
        ProgramFactory.build(organization=organization, slug="new-place-oakland"),
        name="New Place",
        city="Oakland",
        zip_code="94612",
        status="draft",
        terms=[Term.objects.get(code="detox").pk],
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 302
    program = Program.objects.get(slug="new-place-oakland")
    assert program.status == "draft"
    assert program.organization == organization
    assert list(program.terms.values_list("code", flat=True)) == ["detox"]


def test_add_form_fills_the_slug_in_from_name_and_city(admin_client):
    prepopulated = admin_client.get(ADD).context["adminform"].prepopulated_fields
    assert [(p["field"].name, [d.name for d in p["dependencies"]]) for p in prepopulated] == [
        ("slug", ["name", "city"])
    ]


# --- Organizations and taxonomy ---


def test_organization_list_shows_how_many_programs_each_runs(admin_client):
    network = OrganizationFactory(name="Bay Area Health Network")
    ProgramFactory.create_batch(3, organization=network)
    OrganizationFactory(name="Empty Org")
    response = admin_client.get(reverse("admin:programs_organization_changelist"))
    assert response.status_code == 200
    counts = {org.name: org.program_count for org in response.context["cl"].result_list}
    assert counts == {"Bay Area Health Network": 3, "Empty Org": 0}


def test_organization_autocomplete_finds_organizations_by_name(admin_client):
    OrganizationFactory(name="Bay Area Health Network")
    OrganizationFactory(name="Harbor Clinics")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "harbor",
            "app_label": "programs",
            "model_name": "program",
            "field_name": "organization",
        },
    )
    assert [row["text"] for row in response.json()["results"]] == ["Harbor Clinics"]


def test_organization_change_page_loads(admin_client):
    organization = OrganizationFactory()
    response = admin_client.get(
        reverse("admin:programs_organization_change", args=[organization.pk])
    )
    assert response.status_code == 200


def test_facet_page_lists_its_terms_inline_for_editing(admin_client, django_assert_max_num_queries):
    level = Facet.objects.get(code="level")
    with django_assert_max_num_queries(6):
        response = admin_client.get(reverse("admin:programs_facet_change", args=[level.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="residential-short"' in html
    assert 'value="RS"' in html
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == (
        level.terms.count()
    )


def test_facet_list_loads(admin_client):
    response = admin_client.get(reverse("admin:programs_facet_changelist"))
    assert response.status_code == 200
    assert "Level of care" in response.content.decode()


def test_term_list_filters_by_facet_and_searches_by_samhsa_code(admin_client):
    url = reverse("admin:programs_term_changelist")
    payment = Facet.objects.get(code="payment")
    by_facet = admin_client.get(url, {"facet__id__exact": payment.pk})
    assert {t.facet_id for t in by_facet.context["cl"].result_list} == {payment.pk}
    by_code = admin_client.get(url, {"q": "RS"})
    assert "residential-short" in {t.code for t in by_code.context["cl"].result_list}


def test_staff_can_add_a_narrower_term(admin_client):
    residential = Term.objects.get(code="residential")
    response = admin_client.post(
        reverse("admin:programs_term_add"),
        {
            "facet": residential.facet_id,
            "code": "residential-women",
            "label_en": "Residential for women",
            "label_es": "",
            "parent": residential.pk,
            "position": 0,
            "samhsa_code": "",
            "samhsa_labels": "[]",
        },
    )
    assert response.status_code == 302
    assert Term.objects.get(code="residential-women").parent == residential


def test_term_change_page_loads(admin_client):
    term = Term.objects.get(code="residential-short")
    response = admin_client.get(reverse("admin:programs_term_change", args=[term.pk]))
    assert response.status_code == 200


# --- Access ---


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:programs_organization_changelist"),
        reverse("admin:programs_term_changelist"),
    ],
)
def test_people_who_are_not_staff_are_sent_to_the_login_page(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_site_header_names_the_staff_site(admin_client):
    assert "Treatment finder — staff" in admin_client.get(reverse("admin:index")).content.decode()


def test_organizations_are_editable(admin_client):
    organization = OrganizationFactory(name="Old Name")
    response = admin_client.post(
        reverse("admin:programs_organization_change", args=[organization.pk]),
        {"name": "New Name", "website": "https://example.org"},
    )
    assert response.status_code == 302
    assert Organization.objects.get(pk=organization.pk).name == "New Name"


def test_change_form_shows_phones_in_national_format(admin_client):
    program = ProgramFactory(phone="+14155550100")
    html = admin_client.get(reverse("admin:programs_program_change", args=[program.pk])).content
    assert b'value="(415) 555-0100"' in html


def test_program_list_needs_a_fixed_handful_of_queries(admin_client, django_assert_num_queries):
    # Session, user, taxonomy (facet filters), result count, total count, the page of rows:
    # pinned, so a column that queries once per row shows up here. scripts/measure_admin.py
    # gives the same figure with 5,000 programs.
    ProgramFactory.create_batch(30, terms=["residential", "medicaid"])
    with django_assert_num_queries(PROGRAM_LIST_QUERIES):
        admin_client.get(CHANGELIST)
