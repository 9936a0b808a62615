"""An archive line read as the columns of a model: every value checked for its column's type and range.

What passes here can be hashed and stored on SQLite and PostgreSQL alike: integers fit their columns, text
fits its length, a JSON column holds the shape its records always hold (an object for params, a list for
problems), a datetime has a timezone, a decimal fits its digits. A failure names the field:
`candidate.island: an integer from 0 to 2147483647, not -1`.
"""

import re
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime

from provenance.chain import Hashes
from provenance.exports.reading import ArchiveError, kind_of

INT_RANGES = {
    "AutoField": (1, 2**31 - 1),
    "BigAutoField": (1, 2**63 - 1),
    "ForeignKey": (1, 2**63 - 1),
    "OneToOneField": (1, 2**63 - 1),
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}
TEXT = {"CharField", "SlugField", "TextField"}
HASH = re.compile(r"[0-9a-f]{64}\Z")


def fail(line: int, where: str, message: str):
    raise ArchiveError(line, message, where)


def columns(model: type[models.Model], row: dict, line: int, *, skip=()) -> dict:
    """The row's values by column attname (run_id, …), checked; a nullable column left out is None."""
    kind = row["type"]
    fields = {f.attname: f for f in model._meta.concrete_fields if f.attname not in skip}
    for key in row:
        if key != "type" and key not in fields:
            fail(line, f"{kind}.{key}", "unknown field")
    values = {}
    for attname, f in fields.items():
        where = f"{kind}.{attname}"
        if attname not in row:
            if not f.null:
                fail(line, where, "missing")
            values[attname] = None
        else:
            values[attname] = value_of(f, row[attname], line, where)
    return values


def value_of(f: models.Field, value, line: int, where: str):
    if value is None:
        if not f.null:
            fail(line, where, "null where a value is required")
        return None
    internal = f.get_internal_type()
    if f.attname in ("hash", "prev_hash"):
        return hex_hash(value, line, where, empty=f.attname == "prev_hash")
    if internal in INT_RANGES:
        return integer(value, line, where, *INT_RANGES[internal])
    if internal == "FloatField":
        if type(value) not in (int, float):
            fail(line, where, f"a number, not a JSON {kind_of(value)}")
        return float(value)
    if internal in TEXT:
        return text(f, value, line, where)
    if internal == "BooleanField":
        if type(value) is not bool:
            fail(line, where, f"true or false, not a JSON {kind_of(value)}")
        return value
    if internal == "JSONField":
        return json_value(f, value, line, where)
    if internal == "DateTimeField":
        return datetime_value(value, line, where)
    if internal == "DecimalField":
        return decimal_value(f, value, line, where)
    fail(line, where, f"a {internal} column this importer does not read")


def integer(value, line: int, where: str, low: int, high: int) -> int:
    if type(value) is not int:  # bool is an int to Python, not to JSON
        fail(line, where, f"an integer, not a JSON {kind_of(value)}")
    if not low <= value <= high:
        shown = str(value) if len(str(value)) <= 24 else f"a {len(str(value))}-digit number"
        fail(line, where, f"an integer from {low} to {high}, not {shown}")
    return value


def hex_hash(value, line: int, where: str, empty: bool = False) -> str:
    if not isinstance(value, str) or not (HASH.match(value) or (empty and value == "")):
        fail(line, where, "a SHA-256 in 64 lower-case hex digits")
    return value


def text(f: models.Field, value, line: int, where: str) -> str:
    if not isinstance(value, str):
        fail(line, where, f"a string, not a JSON {kind_of(value)}")
    if f.max_length is not None and len(value) > f.max_length:
        fail(line, where, f"at most {f.max_length} characters, not {len(value)}")
    if f.choices and value not in {choice for choice, _ in f.flatchoices}:
        fail(line, where, f"one of {', '.join(str(c) for c, _ in f.flatchoices)}, not {value[:40]!r}")
    return value


def json_value(f: models.Field, value, line: int, where: str):
    """Columns whose default is an object (list) hold an object (list); others any JSON value."""
    shape = f.default if f.has_default() and f.default in (dict, list) else None
    if shape is not None and not isinstance(value, shape):
        fail(line, where, f"a JSON {kind_of(shape())}, not a JSON {kind_of(value)}")
    return value


def datetime_value(value, line: int, where: str):
    if not isinstance(value, str):
        fail(line, where, f"a date and time (ISO 8601), not a JSON {kind_of(value)}")
    try:
        parsed = parse_datetime(value)
        if parsed is not None and parsed.tzinfo is not None:
            parsed.astimezone(UTC)  # year 1 at +05:00 is no date in UTC
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        fail(line, where, "a date and time with its timezone (ISO 8601)")
    return parsed


def decimal_value(f: models.Field, value, line: int, where: str):
    if not isinstance(value, str):
        fail(line, where, f"a decimal number in a string, not a JSON {kind_of(value)}")
    try:
        number = f.to_python(value)
        for validator in f.validators:
            validator(number)
        if not number.is_finite():
            raise ValidationError("not finite")
    except (ValidationError, ArithmeticError):
        fail(line, where, f"a decimal of at most {f.max_digits} digits, {f.decimal_places} after the point")
    return number


# Lines that are no records ---------------------------------------------------------------------------------

USER = {"id": (int,), "username": (str, 150), "first_name": (str, 150), "last_name": (str, 150)}
PROJECT = {"id": (int,), "name": (str, 200), "slug": (str, 100), "description": (str, None)}
CHAIN_HEAD = {"chain": (str, 40), "run": (int,), "seq": (int,), "hash": (str, 64)}
HEADER = {"format": (str, 100), "version": (int,), "exported_at": (str, 100), "focus": (dict, None),
          "runs": (list, None), "partial": (list, None), "chain_heads": (list, None), "verify": (list, None)}


def plain(row: dict, spec: dict, line: int, optional=()) -> dict:
    """A line of fixed keys (a user, a project, a chain head, the header): its types and lengths checked."""
    kind = row["type"]
    for key in row:
        if key != "type" and key not in spec:
            fail(line, f"{kind}.{key}", "unknown field")
    values = {}
    for key, (kind_, *limit) in spec.items():
        where, value = f"{kind}.{key}", row.get(key)
        if value is None and key in optional:
            values[key] = None
            continue
        if key not in row:
            fail(line, where, "missing")
        if kind_ is int:
            value = integer(value, line, where, 0 if key in ("seq", "version") else 1, 2**63 - 1)
        elif not isinstance(value, kind_):
            fail(line, where, f"a JSON {kind_of(kind_())}, not a JSON {kind_of(value)}")
        elif kind_ is str and limit[0] is not None and len(value) > limit[0]:
            fail(line, where, f"at most {limit[0]} characters, not {len(value)}")
        values[key] = value
    return values


class ArchiveHashes(Hashes):
    """Hashes of the archive's records by (model, archived id). Never asks this database: a reference to
    a record the archive does not hold is refused, not looked up here."""

    def __call__(self, model: type, pk: int) -> str:
        found = self.known.get((model, pk))
        if found is None:
            kind = model._meta.model_name
            raise ArchiveError(None, f"refers to {kind} {pk}, which the archive does not hold")
        return found
