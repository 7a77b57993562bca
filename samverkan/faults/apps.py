from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaultsConfig(AppConfig):
    name = "samverkan.faults"
    label = "faults"
    verbose_name = _("Fault reports")

    def ready(self):
        from samverkan.core import navigation

        navigation.register(_("Fault reports"), "faults:report_list", 110)

        from samverkan.situation.yearly import register_section

        from .yearly import yearly_section

        register_section(yearly_section)
        # ... and a layer of the weekly page's map.
        from samverkan.situation import map_layers

        from .weekly import weekly_layer

        map_layers.register(weekly_layer)
