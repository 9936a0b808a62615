"""The Django project: settings, URLs, the Celery app and the WSGI/ASGI entry points. It wires the
rooms together (solver, evolution, provenance, web) and holds no domain logic."""

from seedtrace.celery import app as celery_app

__all__ = ["celery_app"]
