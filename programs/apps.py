from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Treatment programs"

    def ready(self):
        from programs import taxonomy
        from programs.models import Facet, Term

        for model in [Facet, Term]:
            post_save.connect(taxonomy.changed, sender=model, dispatch_uid=f"taxonomy-{model}")
            post_delete.connect(taxonomy.changed, sender=model, dispatch_uid=f"taxonomy-d-{model}")
        request_started.connect(taxonomy.check_at_next_use, dispatch_uid="taxonomy-request")
