from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_form(context):
    """The form of the page's FilterSet (`filter`), or a plain `form`, whichever is there."""
    filterset = context.get("filter")
    if filterset is not None and hasattr(filterset, "form"):
        return filterset.form
    return context.get("form")



@register.filter
def any_example(records) -> bool:
    """Whether any of the records is an example the demo made up (`samverkan.core.examples`):
    {% include "core/_example.html" with show=object_list|any_example banner=True %}."""
    from samverkan.core import examples

    return examples.any_example(records)
