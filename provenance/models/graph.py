"""The lineage graph: candidate programs, their evaluations, and typed edges from parents to children."""

from django.db import models

from provenance.models.agents import Agent
from provenance.models.base import RunRecord
from provenance.models.llm import LLMCall
from provenance.models.runs import Run


class Activity(models.TextChoices):
    """What produced a candidate (and created its edges)."""

    LITERATURE = "literature"
    RANDOM_INIT = "random_init"
    GP_CROSSOVER = "gp_crossover"
    GP_MUTATION = "gp_mutation"
    GP_SELECTION = "gp_selection"
    LLM = "llm"
    HUMAN = "human"  # a person wrote it from scratch
    HUMAN_EDIT = "human_edit"
    MIGRATION = "migration"  # copied to another island
    ISLAND_RESET = "island_reset"  # founder of a reset island
    IMPORT = "import"


class Candidate(RunRecord):
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="candidates", db_index=False)
    source = models.TextField()
    source_sha256 = models.CharField(max_length=64, editable=False)
    ast_hash = models.CharField(max_length=64, blank=True, editable=False)  # blank: source does not parse
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="candidates")
    activity = models.CharField(max_length=20, choices=Activity.choices)
    llm_call = models.ForeignKey(
        LLMCall, on_delete=models.PROTECT, null=True, blank=True, related_name="candidates"
    )
    params = models.JSONField(default=dict, blank=True)  # operator parameters
    island = models.PositiveIntegerField(null=True, blank=True)

    class Meta(RunRecord.Meta):
        indexes = [
            models.Index(fields=["run", "source_sha256"], name="candidate_source_in_run"),
            models.Index(fields=["run", "ast_hash"], name="candidate_ast_in_run"),
        ]

    def __str__(self) -> str:
        return f"candidate {self.pk} ({self.activity})"


class Evaluation(RunRecord):
    class Verdict(models.TextChoices):
        COMPLETE = "complete"  # every target reduced to masters
        INCOMPLETE = "incomplete"
        FAILED = "failed"  # raised, timed out, refused by the sandbox: `failure` says which, `error` how

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="evaluations", db_index=False)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="evaluations", db_index=False
    )
    problem = models.CharField(max_length=200)
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    score = models.FloatField(null=True, blank=True)
    seeds = models.PositiveIntegerField(null=True, blank=True)
    equations = models.PositiveIntegerField(null=True, blank=True)
    independent_equations = models.PositiveIntegerField(null=True, blank=True)
    masters = models.PositiveIntegerField(null=True, blank=True)
    unreduced = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    failure = models.CharField(max_length=40, blank=True)  # timeout, memory, refused, exception, …
    error = models.TextField(blank=True)
    solver_version = models.CharField(max_length=100, blank=True)
    prime = models.BigIntegerField(null=True, blank=True)
    point = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta(RunRecord.Meta):
        indexes = [models.Index(fields=["candidate", "problem"], name="evaluation_of_candidate")]

    def __str__(self) -> str:
        return f"evaluation {self.pk} of candidate {self.candidate_id} on {self.problem}: {self.verdict}"

    @property
    def complete(self) -> bool:
        return self.verdict == self.Verdict.COMPLETE


class Edge(RunRecord):
    class Role(models.TextChoices):
        PARENT = "parent"  # shown in the prompt, or the individual mutated
        CROSSOVER_DONOR = "crossover_donor"
        INSPIRATION = "inspiration"
        MIGRATION_SOURCE = "migration_source"
        RESET_FOUNDER = "reset_founder"
        HUMAN_EDIT_OF = "human_edit_of"
        IMPORTED_FROM = "imported_from"

    run = models.ForeignKey(
        Run, on_delete=models.PROTECT, related_name="edges", db_index=False
    )  # child's run
    # The lineage queries walk (child → parent) and (parent → child); the two indexes cover both.
    child = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="parent_edges", db_index=False
    )
    parent = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="child_edges", db_index=False
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    slot = models.CharField(max_length=20, blank=True)  # v0, v1, … for prompt slots
    activity = models.CharField(max_length=20, choices=Activity.choices)

    class Meta(RunRecord.Meta):
        indexes = [
            models.Index(fields=["child", "parent"], name="edge_child_parent"),
            models.Index(fields=["parent", "child"], name="edge_parent_child"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} -[{self.role}]-> {self.child_id}"
