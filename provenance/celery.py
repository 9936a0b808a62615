import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provenance.settings")

app = Celery("provenance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
