"""What a rule's child says about a run that failed, in texts that do not raise. Standard library only.

The child writes these after untrusted code ran, with that code's objects in hand: an exception whose
`__str__` raises, an int too large for str() (CPython refuses more than 4300 digits: `return 10**5000` once
ended the child without a result, reported as "crash: status 70"), a value of any type. A return value is
judged by its type, never by calling it (`__bool__`, `__eq__`, `__index__` would be the rule's code).
"""

SHOWN_BITS = 128  # larger ints are described by size: str() of a huge one costs time or raises
MESSAGE_CHARS = 300


def rule_line(tb) -> int | None:
    """The last line of the rule's own source in a traceback."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<rule>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def exception_text(error: BaseException, table, seed: int | None) -> str:
    try:
        message = str(error)[:MESSAGE_CHARS]
    except Exception:  # noqa: BLE001 - a message that cannot be printed is still an exception
        message = "(unprintable message)"
    line = rule_line(error.__traceback__)
    where = f"line {line}: " if line else ""
    name = type(error).__name__
    text = f"{where}{name}: {message}" if message else f"{where}{name}"
    if seed is not None:
        text += f" (seed {seed}: {table.describe(seed)})"
    return text


def first_bad_return(values: list) -> int | None:
    """The first seed whose value is not a bool or the int 0 or 1 (what the protocol packs), or None."""
    # The usual case at C speed. Hashing the types runs no rule code unless the rule made a metaclass (only a
    # policy bypass can): its __hash__ may raise, judged below, or lie, which only chooses its own selection.
    try:
        if set(map(type, values)) <= {bool}:
            return None
    except Exception:  # noqa: BLE001 - see above
        pass
    for i, value in enumerate(values):
        kind = type(value)
        if not (kind is bool or (kind is int and (value == 0 or value == 1))):
            return i
    return None


def bad_return_text(i: int, value, table) -> str:
    return f"keep returned {shown(value)} for seed {i} ({table.describe(i)}); it must return a bool (or 0/1)"


def shown(value) -> str:
    """The value's type, and an int's value when it is small enough to print."""
    if type(value) is not int:
        return type(value).__name__
    if value.bit_length() <= SHOWN_BITS:
        return f"int {value}"
    return f"an int too large to show ({value.bit_length()} bits)"
