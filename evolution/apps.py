from django.apps import AppConfig


class EvolutionConfig(AppConfig):
    name = "evolution"
    verbose_name = "Evolution of seeding rules"
    default_auto_field = "django.db.models.BigAutoField"

