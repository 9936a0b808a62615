"""Canonical JSON and the hashes built on it.

Canonical form: object keys sorted by code point, no whitespace, UTF-8 without escapes beyond JSON's own,
integers in decimal, floats in their shortest round-trip form — except integral floats, which are written as
integers (PostgreSQL's jsonb gives 1e16 back as 10000000000000000, so the two must hash alike). Datetimes,
decimals and other types never reach this module: provenance.chain turns them into strings first.
"""

import hashlib
import json
import math
from decimal import Decimal

from provenance.errors import CanonicalError
from provenance.normalise import normalise

_string = json.JSONEncoder(ensure_ascii=False).encode


def canonical_json(value) -> str:
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def canonical_bytes(value) -> bytes:
    text = canonical_json(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CanonicalError(f"text is not valid Unicode (a lone surrogate at {error.start})") from None


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def digest(value) -> str:
    """SHA-256 (hex) of the canonical JSON of value."""
    return sha256_hex(canonical_bytes(value))


def _write(value, parts: list[str]) -> None:
    if value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, str):
        if "\x00" in value:
            raise CanonicalError("text contains a NUL character, which PostgreSQL cannot store")
        parts.append(_string(value))
    elif isinstance(value, int):
        parts.append(str(int(value)))
    elif isinstance(value, float):
        parts.append(_number(value))
    elif isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise CanonicalError("object keys must be strings")
        parts.append("{")
        for i, key in enumerate(sorted(value)):
            if i:
                parts.append(",")
            _write(key, parts)
            parts.append(":")
            _write(value[key], parts)
        parts.append("}")
    elif isinstance(value, list | tuple):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(",")
            _write(item, parts)
        parts.append("]")
    else:
        raise CanonicalError(f"{type(value).__name__} has no canonical JSON form")


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise CanonicalError(f"{value} is not a JSON number")
    if value.is_integer():
        return "0" if value == 0 else format(Decimal(repr(value)).to_integral_value(), "f")
    return repr(value)


def ast_hash(source: str) -> str:
    """SHA-256 of the program's normalised source (provenance.normalise: no comments, docstrings, layout or
    naming of the rule function), "" if it does not parse: a re-discovered program is recognised however it
    is written. The normalised text comes from ast.unparse, whose output is meant to stay put across
    Python versions (ast.dump's changed in 3.13)."""
    try:
        return sha256_hex(normalise(source))
    except (SyntaxError, ValueError, RecursionError):
        return ""
