"""The one place that decides between a full page and an htmx fragment."""

from django.shortcuts import render


def page(request, template: str, context: dict, *, fragment: str | None = None, status: int = 200):
    """The full page, or only `fragment` (a templates/pages/_name.html the page includes) for htmx."""
    if fragment is not None and request.htmx and not request.htmx.boosted:
        return render(request, fragment, context, status=status)
    return render(request, template, context, status=status)
