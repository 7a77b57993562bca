"""The safety index (trygghetsindex) of a safety survey, from respondent-level answers.

The police's safety survey asks residents how big a problem each of a list of things is in
their area. Each answer scores on a 0-6 scale (by default Mycket stort problem = 6, Ganska
stort problem = 4, Ganska litet problem = 2, Inget problem alls = 0; "Vet ej" and blanks are
left out). A question's index in a group is the (weighted) mean score of its valid answers; an
area's total index is the mean of its question indices. Bands (seed 004): 0 to under 2
"normal or better", 2 to under 4 "should be noticed", 4 to 6 "must be acted on".

Pure Python and numpy, no Django: dataclasses in, dataclasses out.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: Answers of a problem question and their scores (keys compared case-insensitively).
DEFAULT_ANSWERS: dict[str, float] = {
    "Mycket stort problem": 6,
    "Ganska stort problem": 4,
    "Ganska litet problem": 2,
    "Inget problem alls": 0,
}
#: Answers left out of the index (besides blanks).
DEFAULT_MISSING: tuple[str, ...] = ("Vet ej", "Vet inte", "Ingen uppfattning")
#: Band limits: below the first "normal", below the second "attention", else "act".
DEFAULT_BANDS: tuple[float, float] = (2.0, 4.0)
#: Fewer valid answers than this in a group: the figure is uncertain.
MIN_ANSWERS = 30
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Scoring:
    """How answers become scores. Numbers within [scale_min, scale_max] score as themselves
    (scale questions such as a 1-6 attitude item)."""

    answers: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ANSWERS))
    missing: Sequence[str] = DEFAULT_MISSING
    scale_min: float = 0.0
    scale_max: float = 6.0

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Scoring:
        data = data or {}
        return cls(
            answers={str(k): float(v) for k, v in (data.get("answers") or DEFAULT_ANSWERS).items()},
            missing=tuple(str(v) for v in data.get("missing", DEFAULT_MISSING)),
            scale_min=float(data.get("scale_min", 0.0)),
            scale_max=float(data.get("scale_max", 6.0)),
        )

    def as_dict(self) -> dict:
        return {"answers": dict(self.answers), "missing": list(self.missing),
                "scale_min": self.scale_min, "scale_max": self.scale_max}

    def _lookup(self) -> tuple[dict[str, float], set[str]]:
        cached = self.__dict__.get("_cache")
        if cached is None:
            cached = ({k.strip().casefold(): float(v) for k, v in self.answers.items()},
                      {m.strip().casefold() for m in self.missing})
            object.__setattr__(self, "_cache", cached)
        return cached

    def score(self, raw) -> float | None:
        """The answer's score, None for a left-out answer. Raises ValueError for an answer
        the scoring does not know."""
        if raw is None:
            return None
        if isinstance(raw, bool):
            raise ValueError(str(raw))
        if isinstance(raw, int | float):
            if isinstance(raw, float) and math.isnan(raw):
                return None
            value = float(raw)
        else:
            text = str(raw).strip()
            answers, missing = self._lookup()
            key = text.casefold()
            if not key or key in missing:
                return None
            if key in answers:
                return answers[key]
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                raise ValueError(text) from None
        if not (self.scale_min <= value <= self.scale_max):
            raise ValueError(str(raw))
        return value


def band(value: float | None, limits: Sequence[float] = DEFAULT_BANDS) -> str | None:
    """``normal`` (below the first limit), ``attention`` (below the second) or ``act``."""
    if value is None:
        return None
    if value < limits[0]:
        return "normal"
    if value < limits[1]:
        return "attention"
    return "act"


@dataclass(frozen=True)
class Respondent:
    area: str
    answers: Mapping[str, float | None]  # question -> score (None: left out)
    sex: str = ""
    age_group: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Estimate:
    """A (weighted) mean with its number of valid answers and a 95 % confidence interval."""

    mean: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    distribution: Mapping[str, int] = field(default_factory=dict)  # score -> answers

    @property
    def uncertain(self) -> bool:
        return self.n < MIN_ANSWERS


def estimate(scores: Sequence[float], weights: Sequence[float] | None = None) -> Estimate:
    """Weighted mean of `scores` with a normal-approximation 95 % interval (the effective
    sample size of Kish for weighted answers)."""
    n = len(scores)
    distribution: dict[str, int] = {}
    for s in scores:
        key = f"{s:g}"
        distribution[key] = distribution.get(key, 0) + 1
    if n == 0:
        return Estimate(None, 0)
    w = list(weights) if weights is not None else [1.0] * n
    total = sum(w)
    if total <= 0:
        return Estimate(None, n, distribution=distribution)
    mean = sum(s * wi for s, wi in zip(scores, w, strict=True)) / total
    if n < 2:
        return Estimate(mean, n, distribution=distribution)
    variance = sum(wi * (s - mean) ** 2 for s, wi in zip(scores, w, strict=True)) / total
    n_eff = total ** 2 / sum(wi * wi for wi in w)
    variance *= n_eff / max(n_eff - 1, 1)
    half = Z95 * math.sqrt(variance / n_eff)
    return Estimate(mean, n, mean - half, mean + half, distribution)


@dataclass(frozen=True)
class GroupResult:
    """Index per question and the total for one area and one group (dimension ``all``,
    ``sex`` or ``age_group``; group "" for everyone)."""

    area: str
    dimension: str
    group: str
    respondents: int
    questions: Mapping[str, Estimate]
    total: float | None


def _mean(values: Iterable[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _group(area: str, dimension: str, group: str, people: Sequence[Respondent],
           questions: Sequence[str]) -> GroupResult:
    per_question = {}
    for q in questions:
        scores, weights = [], []
        for r in people:
            s = r.answers.get(q)
            if s is not None:
                scores.append(s)
                weights.append(r.weight)
        per_question[q] = estimate(scores, weights)
    total = _mean(e.mean for e in per_question.values())
    return GroupResult(area, dimension, group, len(people), per_question, total)


def compute(respondents: Sequence[Respondent], questions: Sequence[str]) -> list[GroupResult]:
    """Results per area for everyone, per sex and per age group (each non-empty group)."""
    by_area: dict[str, list[Respondent]] = {}
    for r in respondents:
        by_area.setdefault(r.area, []).append(r)
    results = []
    for area in sorted(by_area):
        people = by_area[area]
        results.append(_group(area, "all", "", people, questions))
        for dimension in ("sex", "age_group"):
            groups: dict[str, list[Respondent]] = {}
            for r in people:
                value = getattr(r, dimension)
                if value:
                    groups.setdefault(value, []).append(r)
            for name in sorted(groups):
                results.append(_group(area, dimension, name, groups[name], questions))
    return results


def as_json(results: Iterable[GroupResult], limits: Sequence[float] = DEFAULT_BANDS,
            digits: int = 2) -> dict:
    """The command's JSON: ``{"areas": {area: {"total", "n", "questions": {q: {"index", "n",
    "band"}}}}}`` for everyone in each area."""

    def r(value):
        return None if value is None else round(value, digits)

    areas = {}
    for result in results:
        if result.dimension != "all":
            continue
        areas[result.area] = {
            "total": r(result.total),
            "n": result.respondents,
            "questions": {
                q: {"index": r(e.mean), "n": e.n, "band": band(r(e.mean), limits)}
                for q, e in result.questions.items()
            },
        }
    return {"areas": areas}
