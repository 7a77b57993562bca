from . import access
from .navigation import nav_items
from .tenancy import current_municipality


def samverkan(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_municipality": None, "user_municipalities": []}
    return {
        "nav_items": nav_items(request),
        "current_municipality": current_municipality(request),
        "user_municipalities": list(access.user_municipalities(user)),
    }
