"""The action plan on the agreement pages (filled into `samverkan.agreements.hooks` from
PlansConfig.ready; agreements sits below plans and never imports it)."""
from __future__ import annotations

from collections import OrderedDict

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce

from samverkan.agreements import hooks
from samverkan.core import examples

from .choices import ActivityStatus
from .models import Activity, Contribution, Indicator

LINKS = ("plans:activity_create", "plans:activity_detail", "plans:activity_list",
         "plans:indicator_create", "plans:indicator_detail", "plans:plan_export",
         "plans:plan_import")


def agreement_context(ctx: dict, agreement, user) -> None:
    """Activities per focus area and status, indicators per focus area, and whether the plan
    still holds examples."""
    focus_areas = ctx.get("focus_areas", [])
    counts: dict[int, dict[str, int]] = {}
    rows = (Activity.objects.visible_to(user).filter(agreement=agreement).order_by()
            .values("focus_area_id", "status").annotate(n=Count("pk")))
    for row in rows:
        counts.setdefault(row["focus_area_id"], {})[row["status"]] = row["n"]
    indicator_counts = dict(
        Indicator.objects.visible_to(user).filter(agreement=agreement).order_by()
        .annotate(fa=Coalesce("focus_area_id", "sub_goal__focus_area_id",
                              "activity__focus_area_id"))
        .values("fa").annotate(n=Count("pk")).values_list("fa", "n"))
    for fa in focus_areas:
        by_status = counts.get(fa.pk, {})
        fa.activity_counts = [(value, label, by_status[value])
                              for value, label in ActivityStatus.choices
                              if by_status.get(value)]
        fa.activity_total = sum(by_status.values())
        fa.indicator_count = indicator_counts.get(fa.pk, 0)
    ctx["activity_total"] = sum(fa.activity_total for fa in focus_areas)
    ctx["indicator_total"] = sum(fa.indicator_count for fa in focus_areas)
    ctx["plan_has_examples"] = examples.any_example(
        Activity.objects.visible_to(user).filter(agreement=agreement))


def agreement_delete_context(counts: dict, agreement, user) -> None:
    counts["activities"] = Activity.objects.filter(agreement=agreement).count()


def focus_area_context(ctx: dict, focus_area, user) -> None:
    """The focus area's activities (grouped by sub-goal, contributions by party) and
    indicators with their latest measurement."""
    sub_goals = ctx.get("sub_goals", [])
    activities = list(
        Activity.objects.visible_to(user).filter(focus_area=focus_area)
        .select_related("sub_goal")
        .prefetch_related(
            Prefetch("contributions", queryset=Contribution.objects.visible_to(user)),
            "responsible_organizations"))
    for activity in activities:
        activity.by_party = {}
        for contribution in activity.contributions.all():
            activity.by_party.setdefault(contribution.party, []).append(contribution)
    groups = OrderedDict((sg.pk, {"sub_goal": sg, "activities": []}) for sg in sub_goals)
    loose = []
    for activity in activities:
        group = groups.get(activity.sub_goal_id)
        (group["activities"] if group else loose).append(activity)
    activity_groups = list(groups.values())
    if loose:
        activity_groups.append({"sub_goal": None, "activities": loose})
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(Q(focus_area=focus_area) | Q(sub_goal__focus_area=focus_area)
                | Q(activity__focus_area=focus_area))
        .select_related("sub_goal", "activity").distinct())
    for indicator in indicators:
        indicator.latest = indicator.latest_measurement()
        indicator.share = indicator.progress(indicator.latest.value) \
            if indicator.latest else None
    ctx.update({
        "activity_groups": activity_groups,
        "activities": activities,
        "indicators": indicators,
        "activity_table_template": "plans/_activity_table.html",
        "indicator_table_template": "plans/_indicator_table.html",
        "styles_template": "plans/_styles.html",
    })


def register() -> None:
    hooks.offer_links(*LINKS)
    hooks.add_context("agreement", agreement_context)
    hooks.add_context("agreement_delete", agreement_delete_context)
    hooks.add_context("focus_area", focus_area_context)
