"""`{% load labels %}`: web.labels as template filters."""

from django import template

from web import labels

register = template.Library()
register.filter("activity_label", labels.activity_label)
register.filter("role_label", labels.role_label)
register.filter("agent_label", labels.agent_label)


@register.filter
def score(value) -> str:
    """A score as people write it: −120, not -120.0; "–" for none."""
    if value is None or value == "":
        return "–"
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"
