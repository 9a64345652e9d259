"""An Administrator manages staff accounts, but cannot climb above the role: no superuser flag,
no permissions outside the roles, no changing a superuser's account."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db


def change_form(user, **changes) -> dict:
    """The user change form's fields as admin would post them back, with `changes`."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_an_administrator_cannot_make_themselves_superuser(staff_client):
    client = staff_client("Administrator")
    me = client.user
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:auth_user_change", args=[me.pk]),
        change_form(me, is_superuser="on", user_permissions=every_permission),
    )
    assert response.status_code == 302  # saved: the other fields were fine
    me.refresh_from_db()
    assert not me.is_superuser
    assert not me.user_permissions.exists()
    page = client.get(reverse("admin:auth_user_change", args=[me.pk])).content.decode()
    assert 'name="is_superuser"' not in page


def test_an_administrator_cannot_change_or_delete_a_superuser(staff_client, django_user_model):
    client = staff_client("Administrator")
    root = django_user_model.objects.create_superuser("root", password="a-long-pass-phrase-1")
    change = reverse("admin:auth_user_change", args=[root.pk])
    assert client.get(change).status_code == 200  # they may see it
    response = client.post(change, change_form(root, is_superuser="", is_staff=""))
    assert response.status_code == 403
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.post(password, {"password1": "x", "password2": "x"}).status_code == 403
    delete = reverse("admin:auth_user_delete", args=[root.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.is_superuser and root.is_staff


def test_an_administrator_still_manages_other_staff(staff_client, django_user_model):
    client = staff_client("Administrator")
    editor = django_user_model.objects.create_user("editor-2", is_staff=True)
    publisher = Group.objects.get(name="Publisher")
    response = client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        change_form(editor, groups=[publisher.pk]),
    )
    assert response.status_code == 302
    assert list(editor.groups.all()) == [publisher]


def test_a_superuser_can_still_grant_superuser(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="a-long-pass-phrase-1")
    client.force_login(root)
    other = django_user_model.objects.create_user("staff-2", is_staff=True)
    response = client.post(
        reverse("admin:auth_user_change", args=[other.pk]), change_form(other, is_superuser="on")
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_superuser
