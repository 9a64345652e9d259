"""WSGI entry point (gunicorn finder.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")
application = get_wsgi_application()
