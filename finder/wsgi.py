"""WSGI entry point (gunicorn finder.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from programs import places

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")
application = get_wsgi_application()
# Load the ZIP gazetteer now, so that no searcher's request pays for it.
places.warm_up()
