from django.contrib import admin

from provenance import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyAdmin):
    """Records are read-only here as everywhere: they are written by provenance.ledger alone."""

    list_display = ["__str__", "seq", "short_hash", "recorded_at"]
    list_per_page = 50


class InRunAdmin(RecordAdmin):
    list_select_related = ["run"]
    list_filter = ["run"]


@admin.register(models.Agent)
class AgentAdmin(RecordAdmin):
    list_display = ["name", "kind", "provider", "model", "engine", "operator", "version", "short_hash"]
    list_filter = ["kind"]
    search_fields = ["name", "model", "citation", "identifier"]


@admin.register(models.Run)
class RunAdmin(RecordAdmin):
    list_display = ["__str__", "project", "family", "engine", "started_by", "recorded_at", "short_hash"]
    list_filter = ["project", "engine"]


@admin.register(models.Prompt)
class PromptAdmin(InRunAdmin):
    search_fields = ["text"]


@admin.register(models.LLMCall)
class LLMCallAdmin(InRunAdmin):
    list_display = [
        "__str__",
        "run",
        "error_type",
        "usage_input_tokens",
        "usage_output_tokens",
        "cost",
        "short_hash",
    ]
    raw_id_fields = ["prompt"]
    search_fields = ["response_text"]


@admin.register(models.Candidate)
class CandidateAdmin(InRunAdmin):
    list_display = ["__str__", "run", "agent", "island", "short_hash"]
    list_filter = ["activity", "run"]
    raw_id_fields = ["llm_call"]
    search_fields = ["source", "source_sha256"]


@admin.register(models.Evaluation)
class EvaluationAdmin(InRunAdmin):
    list_display = ["__str__", "score", "seeds", "seconds", "failure", "short_hash"]
    list_filter = ["verdict", "run"]
    raw_id_fields = ["candidate"]


@admin.register(models.Edge)
class EdgeAdmin(InRunAdmin):
    list_display = ["__str__", "role", "slot", "activity", "run", "short_hash"]
    list_filter = ["role", "run"]
    raw_id_fields = ["child", "parent"]


@admin.register(models.Annotation)
class AnnotationAdmin(RecordAdmin):
    list_display = ["__str__", "author", "recorded_at", "short_hash"]
    raw_id_fields = ["previous"]
    search_fields = ["body"]


@admin.register(models.RunEvent)
class RunEventAdmin(InRunAdmin):
    list_display = ["__str__", "kind", "candidate", "run", "short_hash"]
    list_filter = ["kind", "run"]
    raw_id_fields = ["candidate"]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 1
    raw_id_fields = ["user"]


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]


@admin.register(models.AnnotationHead)
class AnnotationHeadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "current", "updated_at"]
    raw_id_fields = ["first", "current"]


@admin.register(models.ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    # Mutable, but only the ledger may move a chain's head: an edit here would make verify fail.
    list_display = ["name", "seq", "hash"]


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "orcid"]
    search_fields = ["user__username", "name", "orcid"]
