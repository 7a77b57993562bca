"""Template helpers for the agreement pages and the home page."""
import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_noop

from ..choices import AgreementStatus

register = template.Library()

# Strings of core/templates/core/home.html (this app owns the home page's content), listed here
# so that `makemessages` run in this app keeps their Swedish translations.
HOME_PAGE_STRINGS = [gettext_noop("Overview")]


@register.simple_tag
def try_url(name, *args, **query):
    """The URL of `name` (keyword arguments become the query string), or "" when no app
    provides it (yet): links to other apps' pages are shown only when those pages exist."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag
def current_agreement(agreements):
    """The agreement to open first: the active one, else the one whose period covers today,
    else the newest."""
    agreements = list(agreements)
    if not agreements:
        return None
    today = timezone.localdate()
    for agreement in agreements:
        if agreement.status == AgreementStatus.ACTIVE:
            return agreement
    for agreement in agreements:
        if agreement.start_date <= today <= agreement.end_date:
            return agreement
    return max(agreements, key=lambda a: a.start_date or datetime.date.min)


@register.filter
def percent(share):
    """A progress share (0..1, may be outside) as a whole percentage clipped to 0..100."""
    if share is None:
        return None
    return max(0, min(100, round(float(share) * 100)))


@register.filter
def number(value):
    """A decimal without trailing zeros: 3.7200 -> 3.72, 8.0000 -> 8."""
    if value is None:
        return ""
    text = format(value.normalize() if hasattr(value, "normalize") else value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text), use_l10n=True)


@register.simple_tag
def focus_areas_for(agreement, user):
    """The focus areas of an agreement that `user` may see (for links from other pages)."""
    from ..models import FocusArea

    if agreement is None:
        return FocusArea.objects.none()
    return FocusArea.objects.visible_to(user).filter(agreement=agreement)
