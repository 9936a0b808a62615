"""What can go wrong with a call, whether to try again, and how long to wait first.

error_type follows OpenTelemetry's error.type: the HTTP status code as a string for an HTTP error, our own
short names otherwise. A rejected request (400, 401, 403, 404, …) is not retried: asking again gets the same
answer, and the engine stops with the reason."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

TIMEOUT = "timeout"
CONNECTION = "connection_error"
MALFORMED = "malformed_response"  # not JSON, or not the shape of a completion
EMPTY_CHOICES = "empty_choices"
EMPTY_COMPLETION = "empty_completion"
TRUNCATED = "truncated"  # finish_reason "length": cut off at max_tokens
RETRIED_STATUSES = {408, 409, 429}


def retryable(error_type: str) -> bool:
    if error_type.isdigit():
        status = int(error_type)
        return status in RETRIED_STATUSES or status >= 500
    return True


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt `attempt` (1, 2, …): capped exponential."""
    return min(cap, base * 2 ** (attempt - 1))


def retry_after(headers) -> float | None:
    """The server's Retry-After (seconds or an HTTP date; OpenAI's retry-after-ms first), if any."""
    if headers is None:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
