"""PostgreSQL: a search by words near a place answered from the location index alone.

The covering location index of migration 0014 (latitude, longitude; name, id, term ids) now also
includes each program's city and organization, so that every branch of a word in
ProgramQuerySet.matching() near a place can be tested in the index entry: the name, the city, the
operator (a list of organization ids) and the services are in it, and the description is asked
once, as the ids whose description holds the word (a hashed subplan). Before, every program in
the box was read from the table to test its city and description: `/?location=10027&q=suboxone`
at 1M programs read ~30,000 table pages, 150 ms; from the index, 50 ms (docs/performance.md).
SQLite: nothing.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS program_published_lat_lon_keywords ON programs_program "
    "(latitude, longitude) INCLUDE (name, id, term_ids, city, organization_id) "
    "WHERE status = 'published'"
)
REPLACED = (  # migration 0014's, which the new one covers
    "CREATE INDEX IF NOT EXISTS program_published_lat_lon_terms ON programs_program "
    "(latitude, longitude) INCLUDE (name, id, term_ids) WHERE status = 'published'"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("DROP INDEX IF EXISTS program_published_lat_lon_terms")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REPLACED)
        schema_editor.execute("DROP INDEX IF EXISTS program_published_lat_lon_keywords")


class Migration(migrations.Migration):
    dependencies = [("programs", "0017_quality_decision")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
