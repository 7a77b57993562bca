from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        # The API schema's token scheme is imported by the URLconf (samverkan/urls.py).
        from . import checks, signals  # noqa: F401  (settings checks; security log)
