"""Plain words for the emerging hot spots and the map's accuracy: labels, explanations and
the sentences the pages and documents share."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import numbers

from .emerging import Accuracy, Emerging

CATEGORY_LABELS = {
    "intensifying_hot": gettext_lazy("Intensifying hot spot"),
    "diminishing_hot": gettext_lazy("Diminishing hot spot"),
    "persistent_hot": gettext_lazy("Persistent hot spot"),
    "historical_hot": gettext_lazy("Historical hot spot"),
    "oscillating_hot": gettext_lazy("Oscillating hot spot"),
    "new_hot": gettext_lazy("New hot spot"),
    "consecutive_hot": gettext_lazy("Consecutive hot spot"),
    "sporadic_hot": gettext_lazy("Sporadic hot spot"),
    "intensifying_cold": gettext_lazy("Intensifying cold spot"),
    "diminishing_cold": gettext_lazy("Diminishing cold spot"),
    "persistent_cold": gettext_lazy("Persistent cold spot"),
    "historical_cold": gettext_lazy("Historical cold spot"),
    "oscillating_cold": gettext_lazy("Oscillating cold spot"),
    "new_cold": gettext_lazy("New cold spot"),
    "consecutive_cold": gettext_lazy("Consecutive cold spot"),
    "sporadic_cold": gettext_lazy("Sporadic cold spot"),
}

CATEGORY_HELP = {
    "intensifying_hot": gettext_lazy("A hot spot in nearly every period, and getting "
                                     "stronger: act here first."),
    "diminishing_hot": gettext_lazy("A hot spot in nearly every period, but getting weaker."),
    "persistent_hot": gettext_lazy("A hot spot in nearly every period, neither stronger nor "
                                   "weaker."),
    "historical_hot": gettext_lazy("Was a hot spot in nearly every period, but not in the "
                                   "latest."),
    "oscillating_hot": gettext_lazy("A hot spot now, but a cold spot earlier."),
    "new_hot": gettext_lazy("A hot spot in the latest period for the first time."),
    "consecutive_hot": gettext_lazy("A hot spot in the last few periods in a row, never "
                                    "before."),
    "sporadic_hot": gettext_lazy("A hot spot now, and on and off before."),
    "intensifying_cold": gettext_lazy("Calmer than the surroundings in nearly every period, "
                                      "and more and more so."),
    "diminishing_cold": gettext_lazy("Calmer than the surroundings in nearly every period, "
                                     "but less and less so."),
    "persistent_cold": gettext_lazy("Calmer than the surroundings in nearly every period."),
    "historical_cold": gettext_lazy("Was calmer than the surroundings in nearly every period, "
                                    "but not in the latest."),
    "oscillating_cold": gettext_lazy("Calm now, but a hot spot earlier."),
    "new_cold": gettext_lazy("Calmer than the surroundings in the latest period for the "
                             "first time."),
    "consecutive_cold": gettext_lazy("Calmer than the surroundings in the last few periods in "
                                     "a row."),
    "sporadic_cold": gettext_lazy("Calm now, and on and off before."),
}


def labels() -> dict[str, str]:
    return {k: str(v) for k, v in CATEGORY_LABELS.items()}


def period_word(kind: str, n: int) -> str:
    if kind == "week":
        return _("%(n)s weeks") % {"n": n}
    return _("%(n)s months") % {"n": n}


def emerging_message(em: Emerging) -> str:
    res = em.result
    if not res.meaningful:
        return _("Too few incidents with a known place for an emerging hot spot analysis over "
                 "%(periods)s (%(first)s–%(last)s): at least 10 periods, and at least half of "
                 "them, with 30 incidents or more are needed.") % {
            "periods": period_word(em.kind, res.n_periods), "first": em.first_label,
            "last": em.last_label}
    summary = res.summary()
    hot = sum(n for c, n in summary.items() if c.endswith("_hot"))
    cold = sum(n for c, n in summary.items() if c.endswith("_cold"))
    text = _("%(periods)s (%(first)s–%(last)s), squares of %(size)s m: %(hot)s squares with a "
             "hot spot pattern, %(cold)s with a cold spot pattern.") % {
        "periods": period_word(em.kind, res.n_periods), "first": em.first_label,
        "last": em.last_label, "size": em.cell_size, "hot": hot, "cold": cold}
    intensifying = summary.get("intensifying_hot", 0) + summary.get("new_hot", 0) \
        + summary.get("consecutive_hot", 0)
    if intensifying:
        text += " " + _("%(n)s of them are new, consecutive or intensifying hot spots: places "
                        "that are getting worse.") % {"n": intensifying}
    skipped = res.n_periods - res.meaningful_periods
    if skipped:
        text += " " + _("%(n)s periods had fewer than 30 incidents with a known place and show "
                        "no hot spots.") % {"n": skipped}
    return text


def percent(value: float) -> str:
    return numbers.decimal(value * 100, 0 if value >= 0.01 or value == 0 else 1)


def accuracy_sentence(acc: Accuracy) -> str:
    """'The hot spots of weeks 1–12 covered 3 % of the area and held 21 % of week 13's
    incidents (PAI 7, …)' -- or why nothing can be said."""
    a = acc.accuracy
    span = acc.map_first if acc.map_first == acc.map_last else f"{acc.map_first}–{acc.map_last}"
    where = {"span": span, "next": acc.next_label}
    if a.hot_cells == 0:
        return _("The hot spot map of %(span)s had no hot spots, so it cannot be "
                 "tested against %(next)s.") % where
    if not a.next_incidents:
        return _("No incidents with a known place in %(next)s to test the hot spot map of "
                 "%(span)s against.") % where
    text = _("The hot spots of %(span)s covered %(area)s %% of the area and held "
             "%(hit)s %% of the incidents in %(next)s (%(n)s of %(total)s).") % {
        **where, "area": percent(a.area_share), "hit": percent(a.hit_rate),
        "n": a.next_incidents_in_hot, "total": a.next_incidents}
    text += " " + _("PAI %(pai)s (95 %% confidence interval %(low)s–%(high)s).") % {
        "pai": numbers.decimal(a.pai, 1), "low": numbers.decimal(a.pai_low, 1),
        "high": numbers.decimal(a.pai_high, 1)}
    if a.better_than_chance:
        text += " " + _("That is statistically significant: the map points out where "
                        "incidents happen, so it is worth acting on.")
    else:
        text += " " + _("That is within chance: the map is not reliably better than the area "
                        "as a whole, so act on it with care.")
    if a.recapture_rate is not None:
        text += " " + _("Recapture rate %(rri)s (1 = the hot spots kept their share of the "
                        "incidents).") % {"rri": numbers.decimal(a.recapture_rate, 2)}
    return text
