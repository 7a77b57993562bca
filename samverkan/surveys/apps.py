from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "samverkan.surveys"
    label = "surveys"
    verbose_name = _("Safety surveys")

    def ready(self):
        # The residents' voice as sources of the situation picture (the situation app sits
        # below this one and never imports it).
        from samverkan.situation import contributions

        from .picture import surveys_section

        contributions.register(surveys_section)
