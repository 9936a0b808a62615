from django.contrib import admin

from evolution.models import RunState


@admin.register(RunState)
class RunStateAdmin(admin.ModelAdmin):
    """Editable: a run's state is no record, only how far the run has got."""

    list_display = ["run", "status", "candidates", "evaluations", "failures", "best_score", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["best_candidate"]
