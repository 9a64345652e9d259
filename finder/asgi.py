"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from finder import geo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")
application = get_asgi_application()
# Load the ZIP gazetteer now, so that no searcher's request pays for it.
geo.warm_up()
