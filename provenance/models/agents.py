"""Who or what acted: a person, a model, an algorithm, or a piece of literature."""

from django.conf import settings
from django.db import models

from provenance.models.base import Record


class Agent(Record):
    class Kind(models.TextChoices):
        PERSON = "person"
        MODEL = "model"
        ALGORITHM = "algorithm"
        LITERATURE = "literature"

    PROV_TYPES = {
        Kind.PERSON: "prov:Person",
        Kind.MODEL: "prov:SoftwareAgent",
        Kind.ALGORITHM: "prov:SoftwareAgent",
        Kind.LITERATURE: "prov:Agent",
    }

    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    # person
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="agents"
    )
    # model: provider ("openai", "vllm", …), model name as the API spells it, sampling parameters
    provider = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=200, blank=True)
    # algorithm: engine ("gp") and operator ("crossover"); version for models and algorithms alike
    engine = models.CharField(max_length=100, blank=True)
    operator = models.CharField(max_length=100, blank=True)
    version = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # literature: the citation as a reader would write it, and an identifier (arXiv id, DOI)
    citation = models.TextField(blank=True)
    identifier = models.CharField(max_length=200, blank=True)
    # SHA-256 of the describing fields only: one agent per identity (provenance.ledger.record_agent)
    identity = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["seq"], name="agent_seq_unique_on_global_chain")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def prov_type(self) -> str:
        return self.PROV_TYPES[self.kind]
