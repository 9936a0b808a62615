"""Static files with DEBUG off: WhiteNoise serves what `collectstatic` wrote into STATIC_ROOT, under
content-hashed names (browsers keep them for good) beside gzip copies. Before anything was collected (the
tests, a checkout run with DEBUG=0) the names are the ones written in the templates and WhiteNoise reads the
app folders (settings.WHITENOISE_USE_FINDERS): the pages keep their styles and scripts either way."""

import os

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestOnceCollected(CompressedManifestStaticFilesStorage):
    """Django's manifest storage refuses to name any file while its manifest (STATIC_ROOT/staticfiles.json)
    is missing; this one gives the name as written. A file missing from a manifest that exists is still an
    error."""

    def stored_name(self, name):
        if not self.hashed_files:  # no manifest: nothing was collected
            return name
        return super().stored_name(name)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, without its warning that STATIC_ROOT does not exist while it serves the app folders
    instead (each test client would repeat it)."""

    def add_files(self, root, prefix=None):
        if getattr(settings, "WHITENOISE_USE_FINDERS", False) and not os.path.isdir(root):
            return
        super().add_files(root, prefix)
