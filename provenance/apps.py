from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class ProvenanceApp(AppConfig):
    name = "provenance"
    verbose_name = "Provenance record store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(reinstall_triggers, sender=self)


def reinstall_triggers(sender, using="default", **kwargs):
    """Migrations that alter a record table rebuild it on SQLite, dropping its triggers: put them back."""
    from provenance.immutability import install_triggers, record_tables

    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [table for table in record_tables() if table in existing]
    if tables:
        install_triggers(connection, tables)
