import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedtrace.settings")

app = Celery("seedtrace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def recycle_connections(sender=None, **kwargs) -> None:
    """Around each task, keep a worker's database connections as Django keeps them between requests.

    Celery's own fixup closes them instead (settings' CELERY_DB_REUSE_MAX turns that off): on PostgreSQL
    every evaluation then paid for a new server backend, about 9 ms of server CPU, a third of a job's
    cost (bench/throughput.py). Here a connection lives for CONN_MAX_AGE, is checked before the first query
    of a task (CONN_HEALTH_CHECKS) and is dropped after an error, so a restarted server costs one retry.
    Eager tasks run inside the caller's transaction: theirs are left alone.
    """
    request = getattr(sender, "request", None)
    if not getattr(request, "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()
