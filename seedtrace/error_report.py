"""What an error page may show: never settings, never the environment, never a secret in a variable.

Django's own filter stars settings whose *name* looks secret, but a broker URL carries its password in a
setting named CELERY_BROKER_URL, and the development server copies the whole process environment
(LLM_API_KEY, DATABASE_URL, ...) into request.META. With DEBUG on, the technical 500 page printed both. This
filter shows no settings at all, only the request's own headers, and stars any traceback variable whose
text contains a secret this process holds. With DEBUG off (the default) Django shows none of this anyway;
the filter also keeps the error e-mails and logs clean.
"""

import os
import re

from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter

# Environment variables whose values are secrets by their name, or are URLs that may carry credentials.
_SECRET_NAME = re.compile(r"API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|CREDENTIAL|URL|DSN", re.IGNORECASE)
# Request metadata that describes the request itself rather than the server's process.
_REQUEST_KEYS = {
    "REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_PORT",
}
_PRIVATE_HEADERS = {"HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_PROXY_AUTHORIZATION", "HTTP_X_CSRFTOKEN"}
_SHORTEST_SECRET = 6  # shorter values ("1", "on", "INFO") would star half the page and hide nothing


class ErrorReportFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        return True  # sensitive POST parameters are starred with DEBUG on too

    def get_safe_settings(self) -> dict:
        return {}

    def get_safe_request_meta(self, request) -> dict:
        meta = getattr(request, "META", {})
        return {
            key: value
            for key, value in meta.items()
            if key in _REQUEST_KEYS or (key.startswith("HTTP_") and key not in _PRIVATE_HEADERS)
        }

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        secrets = held_secrets()
        return [(name, self._starred(value, secrets)) for name, value in variables]

    def _starred(self, value, secrets: list[str]):
        try:
            text = repr(value)
        except Exception:  # a broken __repr__ shows nothing rather than failing the report
            return self.cleansed_substitute
        return self.cleansed_substitute if any(secret in text for secret in secrets) else value


def held_secrets() -> list[str]:
    """Every secret value this process holds: the key, database passwords, broker URLs, secret-named
    environment variables."""
    found = [settings.SECRET_KEY, getattr(settings, "CELERY_BROKER_URL", ""),
             getattr(settings, "CELERY_RESULT_BACKEND", "") or ""]
    found += [db.get("PASSWORD", "") for db in settings.DATABASES.values()]
    found += [value for name, value in os.environ.items() if _SECRET_NAME.search(name)]
    return [secret for secret in found if isinstance(secret, str) and len(secret) >= _SHORTEST_SECRET]
