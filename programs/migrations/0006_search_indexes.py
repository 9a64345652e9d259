from django.db import migrations, models

# The facet filters ask "which programs offer any of these terms?": by term, then program, read
# from the index alone. Django's own index on term_id alone has to visit the table for each row.
TERM_PROGRAM_INDEX = (
    "CREATE INDEX programs_program_terms_term_program "
    'ON "programs_program_terms" ("term_id", "program_id")'
)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_staff_roles"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="program", name="program_lat_lon"),
        migrations.AddIndex(
            model_name="program",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["latitude", "longitude"],
                include=["name", "id"],
                name="program_published_lat_lon",
            ),
        ),
        migrations.AddIndex(
            model_name="program",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["name", "id"],
                name="program_published_name",
            ),
        ),
        migrations.AddIndex(
            model_name="program",
            index=models.Index(fields=["updated"], name="program_updated"),
        ),
        migrations.RunSQL(
            TERM_PROGRAM_INDEX, reverse_sql="DROP INDEX programs_program_terms_term_program"
        ),
    ]
