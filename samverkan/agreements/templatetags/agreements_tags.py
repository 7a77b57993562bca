"""Template helpers for the agreement pages and the home page."""
import datetime
from decimal import Decimal

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_noop

from .. import hooks
from ..choices import AgreementStatus

register = template.Library()

# Strings of the start page (agreements/home.html), listed here so that `makemessages` run in
# this app keeps their Swedish translations.
HOME_PAGE_STRINGS = [gettext_noop("Overview")]


@register.simple_tag
def agreement_link(name, *args, **query):
    """The URL of another app's page `name` (keyword arguments become the query string), or ""
    when no installed app offers it (`hooks.offer_links`)."""
    return hooks.link(name, *args, **query)


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
