"""WSGI entry point: Django, with the lean check-in path in front on PostgreSQL (qiangji/life/fastpath.py).

`django_application` is Django alone (the bench can measure it; tests compare the two)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiangji.settings")
django_application = get_wsgi_application()

from qiangji.life.fastpath import wrap  # noqa: E402  (needs the apps loaded)

application = wrap(django_application)
