"""The main navigation. Core owns the start page's entry; every app adds its own entry from its
AppConfig.ready (`register`), so core never names the pages of the apps above it."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (position, label, url name): sorted by position when shown.
_ITEMS: list[tuple[int, str, str]] = [(0, _("Overview"), "home")]


def register(label, url_name: str, position: int) -> None:
    """Add a menu entry (an app does, in its AppConfig.ready); `position` orders the menu."""
    if not any(name == url_name for _p, _l, name in _ITEMS):
        _ITEMS.append((position, label, url_name))
        _ITEMS.sort(key=lambda item: item[0])


def nav_items(request):
    items = []
    for _position, label, name in _ITEMS:
        url = reverse(name)
        active = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": label, "url": url, "active": active})
    return items
