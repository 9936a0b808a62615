"""A person's name and ORCID iD as the record's exports cite them. Mutable: a profile is not a record; an
export states the profile as it is when the export is made."""

from django.conf import settings
from django.db import models

from provenance.orcid import validate_orcid


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=200, blank=True, help_text="as it should appear in a citation")
    orcid = models.CharField("ORCID iD", max_length=19, blank=True, validators=[validate_orcid])

    def __str__(self) -> str:
        return self.name or self.user.get_username()

    def save(self, *args, **kwargs):
        # The checksum is checked on every save, not only in forms: an export cites what is stored.
        validate_orcid(self.orcid)
        super().save(*args, **kwargs)
