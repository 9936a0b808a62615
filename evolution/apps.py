from django.apps import AppConfig


class EvolutionConfig(AppConfig):
    name = "evolution"
    verbose_name = "Evolution of seeding rules"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from evolution.receivers import evaluate_submitted
        from provenance.signals import candidate_submitted

        candidate_submitted.connect(evaluate_submitted, dispatch_uid="evolution.evaluate_submitted")
