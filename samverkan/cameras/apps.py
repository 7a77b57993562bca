from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "samverkan.cameras"
    label = "cameras"
    verbose_name = _("Camera surveillance")

    def ready(self):
        from samverkan.core import navigation

        navigation.register(_("Cameras"), "cameras:camera_list", 120)
