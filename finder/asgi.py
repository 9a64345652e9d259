"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from programs import places

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")
application = get_asgi_application()
# Load the ZIP gazetteer now, so that no searcher's request pays for it.
places.warm_up()
