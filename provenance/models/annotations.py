"""People's notes on records. A note is never changed: an edit is a new version."""

from django.conf import settings
from django.db import models

from provenance.models.base import Record
from provenance.models.runs import Run


class Annotation(Record):
    # on the run chain of its target (the run itself for a note on a run); global for a note on an agent
    run = models.ForeignKey(Run, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations")
    target_type = models.CharField(max_length=20)  # a record model name: "candidate", "llmcall", …
    target_id = models.BigIntegerField()
    body = models.TextField()  # Markdown as typed; sanitised when rendered, never stored as HTML
    # None for an imported note: its author is a name (archived["author"]), never an account of this server
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )

    class Meta:
        ordering = ["target_type", "target_id", "version"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="annotation_target")]

    def __str__(self) -> str:
        return f"note on {self.target_type} {self.target_id} (v{self.version})"

    @property
    def author_name(self) -> str:
        """Who wrote it: the account's name, or for an imported note the name the import recorded."""
        if self.author_id is None:
            return str((self.archived or {}).get("author", "unknown (imported)"))
        return self.author.get_full_name() or self.author.get_username()


class AnnotationHead(models.Model):
    """The current version of one thread of notes (a first version and its successors)."""

    first = models.OneToOneField(
        Annotation, on_delete=models.PROTECT, primary_key=True, related_name="thread"
    )
    current = models.OneToOneField(Annotation, on_delete=models.PROTECT, related_name="+")
    target_type = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="annotation_head_target")]

    def __str__(self) -> str:
        return f"thread {self.pk} on {self.target_type} {self.target_id}"
