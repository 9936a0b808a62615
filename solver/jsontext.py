"""JSON text for people: indented, but index vectors stay on one line ([1, 1, 1, 1, 1, 1, -3])."""

from __future__ import annotations

import json
import re

_INT_LIST = re.compile(r"\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]")


def to_json_text(payload) -> str:
    text = json.dumps(payload, indent=1)
    return _INT_LIST.sub(lambda m: "[" + ", ".join(x.strip() for x in m[1].split(",")) + "]", text)
