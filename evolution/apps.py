from django.apps import AppConfig


class EvolutionApp(AppConfig):
    name = "evolution"
    verbose_name = "Evolution of seeding rules"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from evolution.runs import keep_state_in_archives

        keep_state_in_archives()
