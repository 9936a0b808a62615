"""What was sent to a language model and what came back, verbatim."""

from django.db import models

from provenance.models.agents import Agent
from provenance.models.base import RunRecord
from provenance.models.runs import Run


class Prompt(RunRecord):
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="prompts", db_index=False)
    template_name = models.CharField(max_length=100)
    template_version = models.CharField(max_length=50)
    text = models.TextField()  # exactly as rendered and sent
    # which candidate filled which slot, in prompt order: [{"slot": "v0", "candidate": <id>}, …]
    slots = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"prompt {self.pk} ({self.template_name} v{self.template_version})"

    @property
    def slot_candidate_ids(self) -> list[int]:
        return [slot["candidate"] for slot in self.slots]


class LLMCall(RunRecord):
    """One request to a model and its response. Field names follow the OpenTelemetry GenAI conventions
    (gen_ai.request.model → request_model, …; see otel_attributes); cost has no OTel name."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="llm_calls", db_index=False)
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="llm_calls")
    operation_name = models.CharField(max_length=30, default="chat")  # chat | text_completion
    provider_name = models.CharField(max_length=100, blank=True)
    server_address = models.CharField(max_length=255, blank=True)  # host only, never a URL with a key
    request_model = models.CharField(max_length=200)
    request_temperature = models.FloatField(null=True, blank=True)
    request_top_p = models.FloatField(null=True, blank=True)
    request_max_tokens = models.PositiveIntegerField(null=True, blank=True)
    request_seed = models.BigIntegerField(null=True, blank=True)
    request_stop_sequences = models.JSONField(default=list, blank=True)
    request_choice_count = models.PositiveSmallIntegerField(default=1)
    params = models.JSONField(default=dict, blank=True)  # any other request parameter, as sent
    response_id = models.CharField(max_length=200, blank=True)
    response_model = models.CharField(max_length=200, blank=True)
    response_finish_reasons = models.JSONField(default=list, blank=True)
    response_text = models.TextField(blank=True)  # the completion before any trimming
    response_body = models.TextField(blank=True)  # the HTTP body as received, when there was one
    usage_input_tokens = models.PositiveIntegerField(null=True, blank=True)
    usage_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    latency_seconds = models.FloatField(null=True, blank=True)
    cost = models.DecimalField(max_digits=14, decimal_places=8, null=True, blank=True)  # None: unknown
    price_table = models.CharField(max_length=100, blank=True)  # version of the table the cost came from
    attempt = models.PositiveSmallIntegerField(default=1)
    error_type = models.CharField(max_length=100, blank=True)  # OTel error.type: timeout, 429, …
    error = models.TextField(blank=True)

    OTEL_NAMES = {
        "operation_name": "gen_ai.operation.name",
        "provider_name": "gen_ai.provider.name",
        "server_address": "server.address",
        "request_model": "gen_ai.request.model",
        "request_temperature": "gen_ai.request.temperature",
        "request_top_p": "gen_ai.request.top_p",
        "request_max_tokens": "gen_ai.request.max_tokens",
        "request_seed": "gen_ai.request.seed",
        "request_stop_sequences": "gen_ai.request.stop_sequences",
        "request_choice_count": "gen_ai.request.choice.count",
        "response_id": "gen_ai.response.id",
        "response_model": "gen_ai.response.model",
        "response_finish_reasons": "gen_ai.response.finish_reasons",
        "usage_input_tokens": "gen_ai.usage.input_tokens",
        "usage_output_tokens": "gen_ai.usage.output_tokens",
        "error_type": "error.type",
    }

    class Meta(RunRecord.Meta):
        verbose_name = "LLM call"

    def __str__(self) -> str:
        return f"call {self.pk} to {self.request_model} (attempt {self.attempt})"

    @property
    def failed(self) -> bool:
        return bool(self.error_type or self.error)

    def otel_attributes(self) -> dict:
        """The call as OpenTelemetry GenAI span attributes (unset values left out)."""
        attributes = {}
        for field, name in self.OTEL_NAMES.items():
            value = getattr(self, field)
            if value not in (None, "", []):
                attributes[name] = value
        return attributes
