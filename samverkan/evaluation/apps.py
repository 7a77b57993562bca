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

        incidents_changed.connect(_recompute, dispatch_uid="evaluation.recompute_indicators")


def _recompute(sender, **kwargs):
    # Imported when needed: the services import the analysis (scipy), which every start of
    # the server or of a command would otherwise pay for.
    from .services import on_incidents_changed

    on_incidents_changed(sender, **kwargs)
