"""Demo data of the safety surveys, loaded by `manage.py load_demo` (see
`samverkan.demo.loader`).

- From seed 004 (Eskilstuna's agreement 2016), not examples: Eskilstuna's safety index 1.67,
  "ett normalvärde" (footnote 5 of the agreement; the text refers to the police's safety
  survey 2013), and the 2014 survey of pupils' attitudes to cannabis: 2,576 answers, attitude
  items on a 1-6 scale, mean 3.72 (the target 4.72 is the plan's).
- Made up, marked as examples: last year's aggregated index of the priority areas, and this
  year's respondent-level police safety survey of the priority areas (synthetic answers, about
  as many as a real survey gets, with the seeds' pattern: more insecurity among women, problems
  with littering, traffic and young people gathering in gangs).

Idempotent: surveys are looked up by name and year; a second run writes nothing.
"""
from __future__ import annotations

import csv
import io as _io
import random

from django.utils import timezone

from samverkan.organizations.models import Municipality

from . import services
from .models import Survey

MUNICIPALITY = "0484"
AREAS = ["Skiftinge", "Fröslunda", "Årby", "Lagersberg"]
# (question, base score for men, extra for women): the police survey's problem variables.
QUESTIONS = [
    ("Nedskräpning", 3.4, 0.4),
    ("Trafiksituationen (fortkörning, vårdslös körning, mopeder)", 3.3, 0.3),
    ("Ungdomsgäng som bråkar och stör", 2.9, 0.9),
    ("Skadegörelse (klotter, sönderslagna lampor)", 2.7, 0.4),
    ("Berusade personer som stör", 1.8, 0.5),
    ("Narkotikaförsäljning", 2.2, 0.4),
    ("Inbrott i bostäder och förråd", 2.0, 0.3),
    ("Stölder från bilar", 1.7, 0.2),
    ("Dåligt upplysta platser", 2.4, 0.8),
    ("Otrygghet att gå ut ensam sent på kvällen", 2.1, 1.3),
]
AREA_EXTRA = {"Skiftinge": 0.5, "Fröslunda": 0.8, "Årby": 0.6, "Lagersberg": 0.4}
AGE_GROUPS = [("16-29", 0.25), ("30-49", 0.3), ("50-64", 0.25), ("65-84", 0.2)]
RESPONDENTS_PER_AREA = (380, 460)
ANSWERS = ["Inget problem alls", "Ganska litet problem", "Ganska stort problem",
           "Mycket stort problem"]


def respondent_file(seed: int = 11) -> bytes:
    """The synthetic respondent-level survey as a CSV file (`;`, UTF-8)."""
    rng = random.Random(seed)
    out = _io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["område", "kön", "ålder", "vikt", *[q for q, _b, _w in QUESTIONS]])
    for area in AREAS:
        for _ in range(rng.randint(*RESPONDENTS_PER_AREA)):
            sex = "Kvinna" if rng.random() < 0.54 else "Man"
            age = rng.choices([a for a, _ in AGE_GROUPS], [w for _, w in AGE_GROUPS])[0]
            weight = round(rng.uniform(0.7, 1.4), 2)
            row = [area, sex, age, str(weight).replace(".", ",")]
            for _q, base, women in QUESTIONS:
                if rng.random() < 0.06:
                    row.append("Vet ej")
                    continue
                if rng.random() < 0.02:
                    row.append("")
                    continue
                mean = base + AREA_EXTRA[area] + (women if sex == "Kvinna" else 0) \
                    + (0.3 if age == "16-29" else 0)
                score = min(6.0, max(0.0, rng.gauss(mean, 1.7)))
                row.append(ANSWERS[min(3, int(round(score / 2)))])
            writer.writerow(row)
    return out.getvalue().encode("utf-8")


def aggregated_file(year: int) -> bytes:
    rng = random.Random(year)
    lines = ["område;fråga;index;antal"]
    for area in AREAS:
        for question, base, women in QUESTIONS:
            value = min(6, max(0, base + AREA_EXTRA[area] + women / 2 + rng.uniform(-0.3, 0.5)))
            lines.append(f"{area};{question};{value:.2f}".replace(".", ",") +
                         f";{rng.randint(300, 420)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _survey(municipality, *, actor, name, year, **fields):
    survey = Survey.objects.filter(municipality=municipality, name=name, year=year).first()
    if survey is None:
        survey = services.create_survey(actor=actor, municipality=municipality, name=name,
                                        year=year, **fields)
    return survey


def load(*, actor, stdout=None) -> None:
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    this_year = timezone.localdate().year
    # Seed 004, footnote 5: the index of the whole municipality (real, not an example).
    survey = _survey(
        municipality, actor=actor, name="Polisens trygghetsmätning", year=2013,
        source="police", areas="Eskilstuna",
        description="Ur samverkansöverenskommelsen 2016 (fotnot 5): ”Eskilstunas "
                    "trygghetsindex ligger på 1.67 som är ett normalvärde. Trygghetsindex är ett "
                    "värde utifrån 33 olika variabler.” Överenskommelsen hänvisar till polisens "
                    "trygghetsmätning 2013; året för värdet anges inte i fotnoten.")
    services.import_aggregated(survey, "område;fråga;index\nEskilstuna;Totalt;1,67\n".encode(),
                               "eskilstuna-2013.csv", actor=actor)
    cannabis = _survey(
        municipality, actor=actor, name="Enkät om ungdomars attityd till cannabis (åk 9 och "
        "gymnasiet)", year=2014, source="school", areas="Eskilstuna", answered=2576,
        is_index=False, scoring={"answers": {}, "missing": ["Vet ej"], "scale_min": 1,
                                 "scale_max": 6},
        description="Ur samverkansöverenskommelsen 2016: ”Totalt besvarade 2576 ungdomar "
                    "enkäten helt eller delvis.” Attitydfrågor på en sexgradig skala där ett "
                    "högt värde beskriver hög restriktivitet; genomsnitt 3,72, målet i "
                    "åtagandeplanen är 4,72.")
    services.import_aggregated(
        cannabis, "område;fråga;värde;antal\nEskilstuna;Attityd till cannabis (medelvärde av "
        "attitydfrågorna, 1-6);3,72;2576\n".encode(), "cannabis-2014.csv", actor=actor)
    last = _survey(municipality, actor=actor, name="Polisens trygghetsmätning, prioriterade "
                   "områden", year=this_year - 1, source="police", areas="\n".join(AREAS),
                   is_example=True, invited=3200, answered=1510)
    services.import_aggregated(last, aggregated_file(this_year - 1), "index.csv", actor=actor)
    current = _survey(municipality, actor=actor, name="Polisens trygghetsmätning, "
                      "prioriterade områden", year=this_year, source="police",
                      areas="\n".join(AREAS), is_example=True, invited=3400)
    result = services.import_respondents(current, respondent_file(), "trygghetsmatning.csv",
                                         actor=actor)
    if stdout is not None:
        stdout.write(f"Trygghetsmätningar: {result.rows} svarande i exemplet\n")
