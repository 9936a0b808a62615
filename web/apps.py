from django.apps import AppConfig


class WebApp(AppConfig):
    """The pages people read and the JSON the browser loads: it may call both the record store and the
    evolution room (a person's edit is evaluated by a direct call)."""

    name = "web"
    verbose_name = "Seedtrace pages"
