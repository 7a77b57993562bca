"""Sections other apps' pages include: an indicator's computed values, an activity's
evaluation. Each reads only what the requesting user may see."""
from django import template

from samverkan.core import access
from samverkan.core.choices import Role

from ..computed import computed_indicator, evaluate
from ..models import ActivityEvaluation

register = template.Library()


def _coordinator(user, obj) -> bool:
    return access.has_role(user, obj.municipality_id, Role.COORDINATOR)


@register.inclusion_tag("evaluation/_indicator_computed.html", takes_context=True)
def indicator_computed(context, indicator):
    user = context["request"].user
    return {"indicator": indicator, "computed": computed_indicator(indicator, user),
            "coordinator": _coordinator(user, indicator), "request": context["request"]}


@register.inclusion_tag("evaluation/_activity_effect.html", takes_context=True)
def activity_effect(context, activity):
    user = context["request"].user
    evaluation = (ActivityEvaluation.objects.visible_to(user).filter(activity=activity)
                  .select_related("area", "comparison_area", "activity").first())
    return {"activity": activity, "result": evaluate(evaluation, user) if evaluation else None,
            "coordinator": _coordinator(user, activity), "request": context["request"]}


@register.simple_tag(takes_context=True)
def is_computed(context, indicator) -> bool:
    """Whether ``indicator`` is computed from the data (for the reader of the page)."""
    from ..models import IndicatorDefinition

    return IndicatorDefinition.objects.visible_to(context["request"].user).filter(
        indicator=indicator).exists()
