from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Indicators computed from the situation data, and the evaluation of activities (did it
    work?). Sits above plans and situation; followup reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "samverkan.evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from samverkan.situation.signals import incidents_changed

        from . import services

        incidents_changed.connect(services.on_incidents_changed,
                                  dispatch_uid="evaluation.recompute_indicators")
