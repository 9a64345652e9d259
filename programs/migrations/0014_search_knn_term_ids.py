"""PostgreSQL indexes for search at national scale (docs/performance.md); nothing on SQLite.

1. near(): a GiST index on each published program's point on the earth (the `cube` and
   `earthdistance` extensions, in PostgreSQL's contrib). It answers "within this box" and walks
   programs nearest first (a KNN scan, ORDER BY <->), so a page and a capped count read about as
   many rows as they need, not every program within the radius.
2. offering(): each program's term ids in its own row, `programs_program.term_ids` (integer[]),
   kept equal to its term links by statement triggers on `programs_program_terms`, so a facet
   filter is a test on the row being read instead of one EXISTS probe into the links per
   candidate; a GIN index on it for searches without a place. The column is no model field:
   only the triggers write it, only querysets.OffersAny reads it.

Reversing drops the index, triggers, function and column; the extensions stay (they hold no
data, and other databases' objects may use them).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS cube",
    "CREATE EXTENSION IF NOT EXISTS earthdistance",
    "CREATE INDEX IF NOT EXISTS program_published_earth ON programs_program "
    "USING gist (ll_to_earth(latitude, longitude)) WHERE status = 'published'",
    "ALTER TABLE programs_program ADD COLUMN term_ids integer[] NOT NULL DEFAULT '{}'",
    """
    UPDATE programs_program p SET term_ids = l.ids
    FROM (
        SELECT program_id, array_agg(term_id ORDER BY term_id)::integer[] AS ids
        FROM programs_program_terms GROUP BY program_id
    ) l
    WHERE p.id = l.program_id
    """,
    # One function for every change to the links: the programs whose links a statement
    # touched get their term ids again. Their rows are locked first, so that two transactions
    # changing one program's terms at once each read the other's committed links.
    """
    CREATE OR REPLACE FUNCTION programs_program_term_ids_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        changed text := CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT program_id FROM new_links'
            WHEN 'DELETE' THEN 'SELECT program_id FROM old_links'
            ELSE 'SELECT program_id FROM new_links UNION SELECT program_id FROM old_links'
        END;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            UPDATE programs_program SET term_ids = '{}' WHERE term_ids <> '{}';
            RETURN NULL;
        END IF;
        EXECUTE format(
            'SELECT 1 FROM programs_program WHERE id IN (%s) ORDER BY id FOR UPDATE', changed
        );
        EXECUTE format($sql$
            UPDATE programs_program p SET term_ids = COALESCE(agg.ids, '{}')
            FROM (
                SELECT c.program_id,
                       (array_agg(l.term_id ORDER BY l.term_id)
                           FILTER (WHERE l.term_id IS NOT NULL))::integer[] AS ids
                FROM (SELECT DISTINCT program_id FROM (%s) AS changed) AS c
                LEFT JOIN programs_program_terms l ON l.program_id = c.program_id
                GROUP BY c.program_id
            ) agg
            WHERE p.id = agg.program_id AND p.term_ids <> COALESCE(agg.ids, '{}')
        $sql$, changed);
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER program_term_ids_insert AFTER INSERT ON programs_program_terms "
    "REFERENCING NEW TABLE AS new_links "
    "FOR EACH STATEMENT EXECUTE FUNCTION programs_program_term_ids_refresh()",
    "CREATE TRIGGER program_term_ids_delete AFTER DELETE ON programs_program_terms "
    "REFERENCING OLD TABLE AS old_links "
    "FOR EACH STATEMENT EXECUTE FUNCTION programs_program_term_ids_refresh()",
    "CREATE TRIGGER program_term_ids_update AFTER UPDATE ON programs_program_terms "
    "REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links "
    "FOR EACH STATEMENT EXECUTE FUNCTION programs_program_term_ids_refresh()",
    "CREATE TRIGGER program_term_ids_truncate AFTER TRUNCATE ON programs_program_terms "
    "FOR EACH STATEMENT EXECUTE FUNCTION programs_program_term_ids_refresh()",
    "CREATE INDEX program_published_term_ids ON programs_program "
    "USING gin (term_ids) WHERE status = 'published'",
    # Statistics on the new index's expression and column: without them the planner guesses
    # a box holds a few rows and sorts them rather than walking the index nearest first.
    "ANALYZE programs_program",
]

BACKWARD = [
    "DROP INDEX IF EXISTS program_published_term_ids",
    *(
        f"DROP TRIGGER IF EXISTS program_term_ids_{op} ON programs_program_terms"
        for op in ("insert", "delete", "update", "truncate")
    ),
    "DROP FUNCTION IF EXISTS programs_program_term_ids_refresh()",
    "ALTER TABLE programs_program DROP COLUMN IF EXISTS term_ids",
    "DROP INDEX IF EXISTS program_published_earth",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)  # no placeholders: "%s" is SQL


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, params=None)  # no placeholders: "%s" is SQL


class Migration(migrations.Migration):
    dependencies = [("programs", "0013_import_refresh_report")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
