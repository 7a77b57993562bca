from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_form(context):
    """The form of the page's FilterSet (`filter`), or a plain `form`, whichever is there."""
    filterset = context.get("filter")
    if filterset is not None and hasattr(filterset, "form"):
        return filterset.form
    return context.get("form")

