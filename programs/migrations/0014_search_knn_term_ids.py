"""PostgreSQL: each program's term ids in its row and in the search's indexes
(docs/performance.md); nothing on SQLite.

`programs_program.term_ids` (integer[]) is kept equal to the program's term links by statement
triggers on `programs_program_terms`. Two partial covering indexes include it: by location
(latitude, longitude; name, id, term ids) and by name (name, id; term ids). A search with
facets then tests each candidate in the index entry it reads (an index-only scan) instead of
one EXISTS probe into the links per candidate. The column is no model field: only the
triggers write it, only querysets.TermIds and OffersAny read it.

Measured and not kept: a KNN scan of an earthdistance (cube) GiST index. cube's GiST cannot
answer from the index alone, so each candidate read the table; at 100k programs it cost more
than the covering index's whole box (docs/performance.md).
"""

from django.db import migrations

FORWARD = [
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
    "CREATE INDEX program_published_lat_lon_terms ON programs_program "
    "(latitude, longitude) INCLUDE (name, id, term_ids) WHERE status = 'published'",
    "CREATE INDEX program_published_name_terms ON programs_program "
    "(name, id) INCLUDE (term_ids) WHERE status = 'published'",
    "ANALYZE programs_program",  # the new column's statistics, for the planner
]

BACKWARD = [
    "DROP INDEX IF EXISTS program_published_name_terms",
    "DROP INDEX IF EXISTS program_published_lat_lon_terms",
    *(
        f"DROP TRIGGER IF EXISTS program_term_ids_{op} ON programs_program_terms"
        for op in ("insert", "delete", "update", "truncate")
    ),
    "DROP FUNCTION IF EXISTS programs_program_term_ids_refresh()",
    "ALTER TABLE programs_program DROP COLUMN IF EXISTS term_ids",
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
