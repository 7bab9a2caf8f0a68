"""WSGI entry point (gunicorn config.wsgi; runserver too): the web process, with its statement timeout."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from .web import limit_statement_time  # noqa: E402  (needs the settings loaded above)

limit_statement_time()
