"""Settings checks for single sign-on: a mistake shows at start-up, not at someone's login."""
from django.conf import settings
from django.core.checks import Error, register


@register()
def oidc_settings(app_configs=None, **kwargs):
    from .oidc import UNKNOWN_USERS, parse_group_map

    if not getattr(settings, "OIDC_ENABLED", False):
        return []
    errors = []
    for name in ("OIDC_ISSUER", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET"):
        if not getattr(settings, name, ""):
            errors.append(Error(f"{name.replace('_RP_', '_')} is empty while OIDC_ENABLED is on",
                                id="samverkan.E101"))
    if settings.OIDC_UNKNOWN_USERS not in UNKNOWN_USERS:
        errors.append(Error(f"OIDC_UNKNOWN_USERS must be one of {', '.join(UNKNOWN_USERS)}",
                            id="samverkan.E102"))
    if settings.OIDC_USER_FIELD not in ("email", "username"):
        errors.append(Error("OIDC_USER_FIELD must be email or username", id="samverkan.E103"))
    try:
        parse_group_map(settings.OIDC_GROUP_MAP)
    except ValueError as exc:
        errors.append(Error(str(exc), id="samverkan.E104"))
    return errors
