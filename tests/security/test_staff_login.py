"""Staff sign-in: repeated failures lock one username out from one address, sessions expire, and
the admin works under the strict Content-Security-Policy."""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)


def sign_in(client, password, username="curator", address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong")
    return response


def test_staff_sign_in_with_the_right_password(client, staff):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_failures_lock_the_account_out_with_a_clear_message(client, staff):
    fail_until_locked(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert f"paused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in html
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out


def test_a_lockout_is_per_username_and_address(client, staff, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", PASSWORD)
    fail_until_locked(client)
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD, username="editor").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_staff_session_ends_with_the_browser_and_after_a_few_hours(client, staff):
    response = sign_in(client, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"]
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def inline_code(html: str) -> list[str]:
    """What a CSP without 'unsafe-inline' would block: inline scripts, style blocks/attributes."""
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=", html)


def admin_pages(program, user) -> list[str]:
    """The index, and every registered model's list and add form (the ones other branches add)."""
    pages = [reverse("admin:index")]
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    pages.append(reverse("admin:programs_program_change", args=[program.pk]))
    pages.append(reverse("admin:programs_program_import"))
    return pages


def test_admin_pages_need_no_inline_script_or_style(client, staff, published_program):
    assert inline_code(client.get(LOGIN).content.decode()) == []
    client.force_login(staff)
    for page in admin_pages(published_program, staff):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Content-Security-Policy" in response.headers
        assert inline_code(response.content.decode()) == [], page
