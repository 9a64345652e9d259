"""Indexes for the keyword search on PostgreSQL (ProgramQuerySet.matching): pg_trgm GIN indexes
for the names (ILIKE '%word%' and the close-spelling operator %>) and the city, and a GIN index
on the description's English full-text vector (the expression of querysets.DESCRIPTION_VECTOR).
SQLite has neither; there the search reads the table, and this migration does nothing.
"""

from django.db import migrations

INDEXES = [
    ("program_name_trgm", "programs_program", "name gin_trgm_ops"),
    ("program_city_trgm", "programs_program", "city gin_trgm_ops"),
    ("organization_name_trgm", "programs_organization", "name gin_trgm_ops"),
    (
        "program_description_fts",
        "programs_program",
        "(to_tsvector('english'::regconfig, COALESCE(description, '')))",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        using = column if column.startswith("(") else f"({column})"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin {using}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("programs", "0008_import_job")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
