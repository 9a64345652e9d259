"""Provider work for the staff roles: Editors invite programs' contacts, review the changes
programs propose and see the reminders; Administrators may also remove access."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "view_provideraccess",
    "add_provideraccess",
    "view_proposedchange",
    "change_proposedchange",
    "view_reminder",
    "view_providerupdate",
]
ADMINISTRATOR = [*EDITOR, "change_provideraccess", "delete_provideraccess"]
ROLES = {"Editor": EDITOR, "Publisher": EDITOR, "Administrator": ADMINISTRATOR}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("providers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="providers", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0001_initial"),
        ("programs", "0005_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
