from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_form(context):
    """The form of the page's FilterSet (`filter`), or a plain `form`, whichever is there."""
    filterset = context.get("filter")
    if filterset is not None and hasattr(filterset, "form"):
        return filterset.form
    return context.get("form")


@register.simple_tag
def url_if_exists(name, *args):
    """Reverse a URL name, or '' when it does not exist (optional features)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
