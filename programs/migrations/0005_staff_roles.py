"""Staff roles as groups: Editor, Publisher, Administrator. Give staff users one group each."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "programs.view_program",
    "programs.add_program",
    "programs.change_program",
    "programs.view_organization",
    "programs.add_organization",
    "programs.change_organization",
    "programs.view_verification",
    "programs.view_facet",
    "programs.view_term",
    "reports.view_problemreport",
    "reports.change_problemreport",
]
PUBLISHER = [
    *EDITOR,
    "programs.publish_program",
    "programs.import_programs",
]
ADMINISTRATOR = [
    *PUBLISHER,
    "programs.delete_program",
    "programs.delete_organization",
    "programs.add_facet",
    "programs.change_facet",
    "programs.delete_facet",
    "programs.add_term",
    "programs.change_term",
    "programs.delete_term",
    "reports.delete_problemreport",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.view_group",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
]
ROLES = {"Editor": EDITOR, "Publisher": PUBLISHER, "Administrator": ADMINISTRATOR}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0004_availability_verification_history"),
        ("reports", "0001_problem_reports"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
