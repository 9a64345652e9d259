"""Trigram indexes the keyword search's conditions can use (ProgramQuerySet.matching).

Django writes `name__icontains` as UPPER(name) LIKE UPPER('%word%') on PostgreSQL, which the
plain trigram indexes of migration 0009 on the city and the organization's name never answered:
these index the same UPPER() expressions, so each branch of a keyword is an index condition and
the planner combines them as bitmaps instead of reading every program. The name keeps its plain
trigram index too, for the close-spelling operator (%>) and its similarity. SQLite: nothing.
"""

from django.db import migrations

INDEXES = [
    ("program_upper_name_trgm", "programs_program", "UPPER(name)"),
    ("program_upper_city_trgm", "programs_program", "UPPER(city)"),
    ("organization_upper_name_trgm", "programs_organization", "UPPER(name)"),
]
REPLACED = [  # (name, table, column) of 0009's indexes no query uses any more
    ("program_city_trgm", "programs_program", "city"),
    ("organization_name_trgm", "programs_organization", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )
    for name, _, _ in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in REPLACED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("programs", "0015_samhsa_code_map")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
