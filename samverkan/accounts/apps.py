from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from . import checks, schema, signals  # noqa: F401  (settings checks; schema; security log)
