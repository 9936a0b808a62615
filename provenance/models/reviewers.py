"""Read-only links for referees without an account. Mutable (revocable): not records."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from provenance.models.runs import Run


class ReviewerLink(models.Model):
    """One signed link giving read access to one run until it expires or is revoked.

    The token (web.reviewers) signs this row's id; the row is read again on every request, so
    revoking takes effect at once even for a browser that already opened the link.
    """

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="reviewer_links")
    label = models.CharField(max_length=200, blank=True)  # "referee 2, PRD"
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"reviewer link {self.pk} to run {self.run_id}"

    @property
    def active(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()
