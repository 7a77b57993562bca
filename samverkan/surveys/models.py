"""Safety surveys (trygghetsmätningar) and their results: the safety index per question, area
and group, and the means of other surveys' scale questions."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.analysis import safety_index
from samverkan.core.models import ScopedModel

from .choices import Band, Dimension, ResultOrigin, SurveySource


class IndexBands(ScopedModel):
    """A municipality's limits of the index bands (seed 004: 0 to under 2 normal or better,
    2 to under 4 should be noticed, 4 to 6 must be acted on)."""

    attention_from = models.DecimalField(_("should be noticed from"), max_digits=4,
                                         decimal_places=2, default=2)
    act_from = models.DecimalField(_("must be acted on from"), max_digits=4, decimal_places=2,
                                   default=4)

    class Meta:
        ordering = ["municipality"]
        verbose_name = _("index bands")
        verbose_name_plural = _("index bands")
        constraints = [models.UniqueConstraint(fields=["municipality"],
                                               name="surveys_indexbands_one_per_municipality")]

    def __str__(self):
        return f"{self.municipality}: {self.attention_from} / {self.act_from}"

    def get_absolute_url(self):
        return reverse("surveys:survey_list")

    def clean(self):
        if self.attention_from is not None and self.act_from is not None and not (
                0 < self.attention_from < self.act_from <= 6):
            raise ValidationError({"act_from": _(
                "The limits must rise: 0 < should be noticed < must be acted on ≤ 6.")})

    @property
    def limits(self) -> tuple[float, float]:
        return (float(self.attention_from), float(self.act_from))


def band_limits(municipality_id) -> tuple[float, float]:
    bands = IndexBands.objects.filter(municipality_id=municipality_id).first()
    return bands.limits if bands else safety_index.DEFAULT_BANDS


class Survey(ScopedModel):
    """One survey: the police's safety survey of a year, a citizen, school or property owners'
    survey. Its results are imported (aggregated or from respondents' answers)."""

    name = models.CharField(_("name"), max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=SurveySource.choices,
                              default=SurveySource.POLICE)
    year = models.PositiveSmallIntegerField(_("year"))
    areas = models.TextField(_("areas"), blank=True,
                             help_text=_("The areas the survey covers, one per line."))
    invited = models.PositiveIntegerField(_("number invited"), null=True, blank=True)
    answered = models.PositiveIntegerField(_("number answering"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    scoring = models.JSONField(
        _("scoring"), default=dict, blank=True,
        help_text=_("How answers become scores; empty: the police's problem scale (Mycket stort "
                    "problem = 6, Ganska stort = 4, Ganska litet = 2, Inget problem alls = 0, "
                    "Vet ej left out)."))
    is_index = models.BooleanField(
        _("safety index"), default=True,
        help_text=_("The results are a 0-6 problem index with bands. Untick for other scale "
                    "questions (e.g. a 1-6 attitude scale): means and shares only."))
    import_checksum = models.CharField(_("checksum of the last import"), max_length=64,
                                       blank=True, editable=False)

    class Meta:
        ordering = ["-year", "name", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self):
        return reverse("surveys:survey_detail", args=[self.pk])

    def clean(self):
        if self.scoring:
            try:
                safety_index.Scoring.from_dict(self.scoring)
            except (TypeError, ValueError, AttributeError) as error:
                raise ValidationError({"scoring": _("The scoring is not valid: %(error)s")
                                       % {"error": error}}) from error
        if self.invited is not None and self.answered is not None \
                and self.answered > self.invited:
            raise ValidationError({"answered": _("More answered than were invited.")})

    @property
    def scoring_rules(self) -> safety_index.Scoring:
        return safety_index.Scoring.from_dict(self.scoring)

    @property
    def area_list(self) -> list[str]:
        return [line.strip() for line in self.areas.splitlines() if line.strip()]


class SurveyResult(ScopedModel):
    """One figure of a survey: the index (or mean) of a question, or an area's total (question
    left empty), for everyone or one group, with the number of answers and a 95 % interval."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="results",
                               verbose_name=_("survey"))
    origin = models.CharField(_("origin"), max_length=12, choices=ResultOrigin.choices,
                              default=ResultOrigin.AGGREGATED)
    area = models.CharField(_("area"), max_length=200)
    question = models.CharField(_("question"), max_length=500, blank=True,
                                help_text=_("Empty: the area's total index."))
    dimension = models.CharField(_("group by"), max_length=12, choices=Dimension.choices,
                                 default=Dimension.ALL)
    group = models.CharField(_("group"), max_length=100, blank=True)
    value = models.FloatField(_("index or mean"), null=True, blank=True)
    percentage = models.FloatField(_("percentage"), null=True, blank=True)
    n = models.PositiveIntegerField(_("number of answers"), null=True, blank=True)
    ci_low = models.FloatField(_("95 % interval from"), null=True, blank=True)
    ci_high = models.FloatField(_("95 % interval to"), null=True, blank=True)
    distribution = models.JSONField(_("answers per score"), default=dict, blank=True)

    scope_parent = "survey"

    class Meta:
        ordering = ["survey", "area", "dimension", "group", "question"]
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        constraints = [models.UniqueConstraint(
            fields=["survey", "area", "question", "dimension", "group"],
            name="surveys_result_unique")]

    def __str__(self):
        what = self.question or _("Total")
        group = f", {self.group}" if self.group else ""
        return f"{self.area}{group}: {what}"

    def get_absolute_url(self):
        return self.survey.get_absolute_url()

    def clean(self):
        if self.value is None and self.percentage is None:
            raise ValidationError(_("Give an index (or mean) or a percentage."))
        if self.percentage is not None and not 0 <= self.percentage <= 100:
            raise ValidationError({"percentage": _("A percentage is between 0 and 100.")})
        if self.survey_id and self.survey.is_index and self.value is not None \
                and not 0 <= self.value <= 6:
            raise ValidationError({"value": _("The safety index is between 0 and 6.")})
        if self.dimension == Dimension.ALL and self.group:
            raise ValidationError({"group": _("A result for everyone has no group.")})
        if self.dimension != Dimension.ALL and not self.group:
            raise ValidationError({"group": _("Name the group.")})

    @property
    def is_total(self) -> bool:
        return not self.question

    @property
    def uncertain(self) -> bool:
        return self.n is not None and self.n < safety_index.MIN_ANSWERS

    def band(self, limits=None) -> str | None:
        if not self.survey.is_index or self.value is None:
            return None
        return safety_index.band(round(self.value, 2),
                                 limits or band_limits(self.municipality_id))

    def band_label(self, limits=None):
        value = self.band(limits)
        return Band(value).label if value else ""
