"""ORCID iDs: 0000-0002-1825-0097, the last character an ISO 7064 MOD 11-2 check digit (X for 10)."""

import re

from django.core.exceptions import ValidationError

FORM = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def check_digit(digits: str) -> str:
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def valid(orcid: str) -> bool:
    if not FORM.match(orcid):
        return False
    digits = orcid.replace("-", "")
    return check_digit(digits[:-1]) == digits[-1]


def validate_orcid(orcid: str) -> None:
    if orcid and not valid(orcid):
        raise ValidationError(
            f"{orcid!r} is no ORCID iD (0000-0002-1825-0097: 16 digits, the last a checksum)"
        )


def url(orcid: str) -> str:
    return f"https://orcid.org/{orcid}"
