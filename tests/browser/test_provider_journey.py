"""A program's contact keeps their listing fresh from a phone; axe checks each provider page.
Staff's program list fits a 1366-pixel screen."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from programs.models import Program
from providers import services
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def emailed_link() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def test_provider_updates_their_listing_on_a_phone(new_page, site, check_a11y, screenshot):
    program = Program.objects.published().order_by("name").first()
    mail.outbox.clear()
    services.invite(email="intake@example.org", program=program, base_url=site.url)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)

    page.goto(site.url + "/providers/sign-in/")
    check_a11y(page, "provider: ask for a link")
    page.goto(emailed_link())
    check_a11y(page, "provider: sign in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your listings")
    check_a11y(page, "provider: your listings")
    page.get_by_role("link", name=program.name).click()
    expect(page.locator("h1")).to_have_text(program.name)
    check_a11y(page, "provider: one listing")
    screenshot(page, "provider-listing-phone")

    page.get_by_label("Waitlist", exact=True).check()
    page.get_by_label("Estimated wait, in weeks (for a waitlist)").fill("3")
    page.get_by_role("button", name="Save openings").click()
    expect(page.locator(".provider-messages")).to_contain_text("now on your public listing")
    page.get_by_role("button", name="Everything is still correct").click()
    expect(page.locator(".provider-messages")).to_contain_text("checked today")

    page.get_by_role("link", name="Suggest changes").click()
    check_a11y(page, "provider: suggest changes")
    page.get_by_label("Opening hours").fill("Monday to Friday, 8 am to 6 pm")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".provider-messages")).to_contain_text("Staff will check your changes")
    expect(page.locator("#details-heading")).to_be_visible()

    page.goto(site.url + f"/es/providers/programs/{program.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_a11y(page, "provider: one listing (Spanish)")

    page.goto(site.url + program.get_absolute_url())
    expect(page.locator(".updated-by-program")).to_contain_text("Updated by the program on")
    expect(page.locator("body")).to_contain_text("Waitlist")
    program.refresh_from_db()
    assert program.hours != "Monday to Friday, 8 am to 6 pm"  # waits for staff review


def test_staff_program_list_fits_a_1366_pixel_screen(new_page, site, django_user_model):
    django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-pass-9")
    page = new_page(viewport={"width": 1366, "height": 768})
    page.goto(site.url + "/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("a-long-pass-9")
    page.get_by_role("button", name="Log in").click()
    page.goto(site.url + "/admin/programs/program/")
    expect(page.locator("#result_list")).to_be_visible()
    # The admin scrolls a wide table inside its .results box, not the page: measure both.
    page_width = page.evaluate("document.documentElement.scrollWidth")
    table = page.evaluate(
        "(() => { const r = document.querySelector('#changelist .results');"
        " return [r.scrollWidth, r.clientWidth]; })()"
    )
    assert page_width <= 1366
    assert table[0] <= table[1]
