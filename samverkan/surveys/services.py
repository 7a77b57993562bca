"""All writes of the surveys app: surveys, imports of their results, the index bands, and a
result recorded as a measurement of the action plan's indicator."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.analysis import safety_index
from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.core import access
from samverkan.core import services as core
from samverkan.core.importing import RowError, all_or_nothing, error_summary

from . import io
from .choices import Dimension, ResultOrigin
from .models import IndexBands, Survey, SurveyResult


def create_survey(*, actor, municipality, **fields) -> Survey:
    return core.create(Survey, actor=actor, data=fields, municipality=municipality)


def update_survey(survey: Survey, *, actor, **fields) -> Survey:
    return core.update(survey, actor=actor, data=fields)


def delete_survey(survey: Survey, *, actor) -> None:
    core.delete(survey, actor=actor)


def set_bands(*, actor, municipality, attention_from, act_from) -> IndexBands:
    bands = IndexBands.objects.filter(municipality=municipality).first()
    if bands is not None and not access.can_view(actor, bands):
        # A write never touches what the writer cannot read (docs/security.md).
        raise ValidationError(_("The index bands are restricted to organisations you do not "
                                "belong to: you cannot change them."))
    data = {"attention_from": attention_from, "act_from": act_from}
    if bands is None:
        return core.create(IndexBands, actor=actor, data=data, municipality=municipality)
    return core.update(bands, actor=actor, data=data)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: bool = False
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"rows": self.rows, "created": self.created, "unchanged": self.unchanged,
                "dry_run": self.dry_run, "errors": [e.as_dict() for e in self.errors],
                "error_summary": error_summary(self.errors)}


def _replace_results(survey: Survey, origin: str, results: list[SurveyResult], *, actor,
                     checksum: str, what: str) -> int:
    before = {"results": survey.results.filter(origin=origin).count(),
              "import_checksum": survey.import_checksum}
    survey.results.filter(origin=origin).delete()
    # Aggregated and computed results for the same figure: the newest import wins.
    keys = {(r.area, r.question, r.dimension, r.group) for r in results}
    for old in survey.results.all():
        if (old.area, old.question, old.dimension, old.group) in keys:
            old.delete()
    for result in results:
        result.full_clean(validate_unique=False)
    SurveyResult.objects.bulk_create(results)
    survey.import_checksum = checksum
    survey.save(update_fields=["import_checksum", "updated_at"])
    audit.record(actor=actor, action=Action.UPDATE, obj=survey, before=before,
                 after={"import": what, "results": len(results), "import_checksum": checksum})
    return len(results)


def _key(origin: str, data: bytes) -> str:
    return f"{origin[:3]}:{io.checksum(data)}"[:64]


def results_from_respondents(survey: Survey, parsed: io.RespondentFile) -> list[SurveyResult]:
    out = []
    for group in safety_index.compute(parsed.respondents, parsed.questions):
        common = {"survey": survey, "municipality_id": survey.municipality_id,
                  "is_example": survey.is_example, "confidentiality": survey.confidentiality,
                  "origin": ResultOrigin.RESPONDENTS, "area": group.area,
                  "dimension": group.dimension, "group": group.group}
        out.append(SurveyResult(question="", value=group.total, n=group.respondents,
                                **common))
        for question, estimate in group.questions.items():
            if estimate.mean is None:
                continue
            out.append(SurveyResult(
                question=question, value=estimate.mean, n=estimate.n,
                ci_low=estimate.ci_low, ci_high=estimate.ci_high,
                distribution=dict(estimate.distribution), **common))
    return out


def import_respondents(survey: Survey, data: bytes, name: str, *, actor,
                       dry_run: bool = False) -> ImportResult:
    """Compute the survey's results from respondent-level answers. All or nothing; the same
    file again changes nothing."""
    result = ImportResult(dry_run=dry_run)
    try:
        parsed = io.read_respondents(data, name, survey.scoring_rules)
    except io.FileError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    result.rows = len(parsed.respondents)
    result.errors = parsed.errors
    if result.errors:
        return result
    checksum = _key(ResultOrigin.RESPONDENTS, data)
    if survey.import_checksum == checksum:
        result.unchanged = True
        return result
    results = results_from_respondents(survey, parsed)
    with all_or_nothing(dry_run=dry_run):
        result.created = _replace_results(survey, ResultOrigin.RESPONDENTS, results,
                                          actor=actor, checksum=checksum,
                                          what=_("answers of %(n)s respondents")
                                          % {"n": result.rows})
        if survey.answered is None and not dry_run:
            survey.answered = result.rows
            survey.save(update_fields=["answered", "updated_at"])
    if dry_run:
        survey.refresh_from_db()
    return result


def import_aggregated(survey: Survey, data: bytes, name: str, *, actor,
                      dry_run: bool = False) -> ImportResult:
    """The results as the police deliver them: index per question and area, a total per
    area (computed as the mean of the questions when the file has none), percentages."""
    result = ImportResult(dry_run=dry_run)
    try:
        rows, errors = io.read_aggregated(data, name, is_index=survey.is_index)
    except io.FileError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    result.rows = len(rows)
    result.errors = errors
    if errors:
        return result
    checksum = _key(ResultOrigin.AGGREGATED, data)
    if survey.import_checksum == checksum:
        result.unchanged = True
        return result
    common = {"survey": survey, "municipality_id": survey.municipality_id,
              "is_example": survey.is_example, "confidentiality": survey.confidentiality,
              "origin": ResultOrigin.AGGREGATED}
    results = [SurveyResult(area=r.area, question=r.question, dimension=r.dimension,
                            group=r.group, value=r.value, percentage=r.percentage, n=r.n,
                            **common) for r in rows]
    totals = {(r.area, r.dimension, r.group) for r in rows if not r.question}
    by_group: dict[tuple, list[float]] = {}
    for r in rows:
        if r.question and r.value is not None:
            by_group.setdefault((r.area, r.dimension, r.group), []).append(r.value)
    if survey.is_index:
        for key, values in by_group.items():
            if key not in totals:
                results.append(SurveyResult(area=key[0], question="", dimension=key[1],
                                            group=key[2], value=sum(values) / len(values),
                                            **common))
    with all_or_nothing(dry_run=dry_run):
        result.created = _replace_results(survey, ResultOrigin.AGGREGATED, results,
                                          actor=actor, checksum=checksum,
                                          what=_("aggregated results, %(n)s rows")
                                          % {"n": result.rows})
    if dry_run:
        survey.refresh_from_db()
    return result


def create_result(*, actor, survey: Survey, **fields) -> SurveyResult:
    return core.create(SurveyResult, actor=actor, data={"survey": survey, **fields})


@transaction.atomic
def record_as_measurement(result: SurveyResult, *, actor, indicator,
                          measured_on: dt.date | None = None):
    """Record the result (an area's total index, a question's index or a mean) as a
    measurement of an indicator of the action plan, in one step."""
    from samverkan.plans import services as plans

    if result.value is None and result.percentage is None:
        raise ValidationError(_("The result has no value to record."))
    if indicator.municipality_id != result.municipality_id:
        raise ValidationError({"indicator": _("This belongs to another municipality.")})
    value = result.value if result.value is not None else result.percentage
    what = result.question or _("total index")
    group = f", {result.group}" if result.group else ""
    source = f"{result.survey} – {result.area}{group}: {what}"
    return plans.add_measurement(
        actor=actor, indicator=indicator,
        measured_on=measured_on or dt.date(result.survey.year, 12, 31),
        value=round(value, 2), source=source[:300],
        note=_("%(n)s answers") % {"n": result.n} if result.n is not None else "")


def comparison(survey: Survey) -> list[dict]:
    """The survey's area totals beside the same areas' totals in earlier surveys of the same
    source (for everyone): ``[{"area", "values": {year: value}}]``."""
    earlier = Survey.objects.filter(municipality_id=survey.municipality_id,
                                    source=survey.source, year__lte=survey.year)
    rows = SurveyResult.objects.filter(survey__in=earlier, question="",
                                       dimension=Dimension.ALL).select_related("survey")
    table: dict[str, dict[int, float]] = {}
    for r in rows:
        if r.value is not None:
            table.setdefault(r.area, {})[r.survey.year] = r.value
    areas = {r.area for r in survey.results.filter(question="", dimension=Dimension.ALL)}
    return [{"area": a, "values": table.get(a, {})} for a in sorted(areas)]
