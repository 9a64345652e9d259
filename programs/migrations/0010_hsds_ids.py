"""Store each HSDS record id that the API looks up (issue: a lookup derived every published
program's uuid5 on each call). Existing rows get exactly the ids they had, derived from their
pk, so partners' copies keep matching; new rows get a random UUID, stored."""

import uuid

from django.db import migrations, models

# programs.hsds.records.NAMESPACE, copied: a migration must not change when the code does.
NAMESPACE = uuid.UUID("3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11")
PROGRAM_IDS = {
    "hsds_service_id": "service",
    "hsds_service_at_location_id": "service_at_location",
    "hsds_organization_id": "organization-of-program",
}


def derived(kind: str, pk) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}/{pk}")


def fill(apps, schema_editor):
    Organization = apps.get_model("programs", "Organization")
    Program = apps.get_model("programs", "Program")
    organizations = list(Organization.objects.only("pk"))
    for organization in organizations:
        organization.hsds_id = derived("organization", organization.pk)
    Organization.objects.bulk_update(organizations, ["hsds_id"], batch_size=1000)
    programs = list(Program.objects.only("pk"))
    for program in programs:
        for field, kind in PROGRAM_IDS.items():
            setattr(program, field, derived(kind, program.pk))
    Program.objects.bulk_update(programs, list(PROGRAM_IDS), batch_size=1000)


def unique_uuid(**kwargs):
    return models.UUIDField(default=uuid.uuid4, editable=False, **kwargs)


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_keyword_search_indexes")]

    operations = [
        migrations.AddField("organization", "hsds_id", models.UUIDField(null=True)),
        *[
            migrations.AddField("program", field, models.UUIDField(null=True))
            for field in PROGRAM_IDS
        ],
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("organization", "hsds_id", unique_uuid(unique=True)),
        *[
            migrations.AlterField("program", field, unique_uuid(unique=True))
            for field in PROGRAM_IDS
        ],
        *[
            migrations.AddField("historicalprogram", field, unique_uuid(db_index=True))
            for field in PROGRAM_IDS
        ],
    ]
