"""The municipality a user is working in right now (a user may belong to several)."""
from . import access

SESSION_KEY = "samverkan_municipality"


def current_municipality(request):
    user = request.user
    if not user.is_authenticated:
        return None
    cached = getattr(request, "_current_municipality", None)
    if cached is not None:
        return cached
    municipalities = access.user_municipalities(user)
    code = request.session.get(SESSION_KEY)
    chosen = municipalities.filter(pk=code).first() if code else None
    if chosen is None:
        chosen = municipalities.order_by("name").first()
    request._current_municipality = chosen
    return chosen


def set_current_municipality(request, code: str) -> bool:
    if access.user_municipalities(request.user).filter(pk=code).exists():
        request.session[SESSION_KEY] = code
        request._current_municipality = None
        return True
    return False
