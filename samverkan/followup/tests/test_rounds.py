"""The rounds laid out for each follow-up wording of the seeds, and reading the wording."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from samverkan.agreements import services as agreements
from samverkan.audit.models import AuditEntry
from samverkan.followup import services
from samverkan.followup.models import FollowUpRound
from samverkan.followup.rounds import PlanEntry, lay_out, parse_followup_text

D = dt.date

SEED_000 = ("Uppföljning av arbetet kommer att ske i Trygga Eskilstunas verkställande utskott "
            "som genomförs fyra ggr/år. Dessutom sker uppföljning i varje verksamhets egna "
            "uppföljningssystem. Uppföljningen kommer att belysa vad som har genomförts, vem "
            "som har samverkat kring aktiviteten samt eventuella effekter som aktiviteten har "
            "resulterat i.")
SEED_001 = ("Samverkansöverenskommelsen och dess beskrivna fokusområden följs löpande i "
            "Koncernutvecklingsgrupp (KUG) Tryggt och socialt hållbart Eskilstuna, och "
            "utvärderas under år 2027 inför framtagande av en ny samverkansöverenskommelse. "
            "Åtgärdsplanen följs upp i samband med delår 2 och helårsrapportering i kommunens "
            "strategiska råd för brottsförebyggande frågor (KUG Tryggt och socialt hållbart "
            "Eskilstuna), med rapportering till kommunens trygghetsberedning. Eventuella "
            "avvikelser följs upp månadsvis.")
SEED_002 = ("Överenskommelsen gäller från 2021-01-01 till och med 2024-12-31 och ska vid "
            "periodens slut följas upp av representanter från Karlshamns kommun samt "
            "lokalpolisområde Karlshamn.")
SEED_004 = ("Uppföljning av arbetet kommer att ske i [Trygga Eskilstuna och Torshällas] "
            "styrgrupp och politiska styrgrupp, 3 gånger per år. Dessutom sker uppföljning i "
            "varje verksamhets egna uppföljningssystem.")


# -- parsing the wording ------------------------------------------------------------------------

def test_parse_seed_000_four_times_a_year():
    proposals = parse_followup_text(SEED_000, ["Trygga Eskilstunas verkställande utskott"])
    assert [(p.kind, p.times_per_year) for p in proposals] == [("times_per_year", 4)]
    assert proposals[0].forum_name == "Trygga Eskilstunas verkställande utskott"


def test_parse_seed_001_interim_annual_monthly_evaluation():
    proposals = parse_followup_text(SEED_001, ["KUG"])
    kinds = [(p.kind, p.year) for p in proposals]
    assert kinds == [("continuous", None), ("evaluation", 2027), ("interim", None),
                     ("annual", None), ("monthly", None)]
    assert proposals[1].forum_name == "KUG"


def test_parse_seed_002_end_of_period():
    proposals = parse_followup_text(SEED_002)
    assert [(p.kind, p.year) for p in proposals] == [("end_of_period", 2024)]


def test_parse_seed_004_three_times_a_year():
    proposals = parse_followup_text(SEED_004)
    assert [(p.kind, p.times_per_year) for p in proposals] == [("times_per_year", 3)]


def test_parse_nothing_in_text_without_cadence():
    assert parse_followup_text("Dessutom sker uppföljning i varje verksamhets egna "
                               "uppföljningssystem.") == []


# -- laying out --------------------------------------------------------------------------------

def test_seed_000_four_times_a_year_gives_quarters():
    specs = lay_out(D(2013, 1, 1), D(2014, 12, 31),
                    [PlanEntry("times_per_year", times_per_year=4, forum_id=7),
                     PlanEntry("continuous", forum_id=7)])
    assert [s.label for s in specs] == [f"Kvartal {q} {y}" for y in (2013, 2014)
                                        for q in (1, 2, 3, 4)]
    assert {s.kind for s in specs} == {"quarterly"}
    first = specs[0]
    assert (first.period_start, first.period_end, first.due_date) == (
        D(2013, 1, 1), D(2013, 3, 31), D(2013, 4, 15))
    assert specs[-1].due_date == D(2015, 1, 15)
    assert all(s.forum_ids == [7] for s in specs)


def test_seed_001_delar2_helar_monthly_and_evaluation_2027():
    specs = lay_out(D(2024, 1, 1), D(2027, 12, 31),
                    [PlanEntry("continuous"), PlanEntry("evaluation", year=2027),
                     PlanEntry("interim"), PlanEntry("annual"), PlanEntry("monthly")],
                    evaluation_year=2027)
    by_kind = {}
    for spec in specs:
        by_kind.setdefault(spec.kind, []).append(spec)
    assert len(by_kind["monthly"]) == 48
    assert by_kind["monthly"][2].label == "Avvikelsekontroll mars 2024"
    assert (by_kind["monthly"][2].period_end, by_kind["monthly"][2].due_date) == (
        D(2024, 3, 31), D(2024, 4, 10))
    assert [s.label for s in by_kind["interim"]] == [f"Delår 2 {y}" for y in range(2024, 2028)]
    assert (by_kind["interim"][1].period_start, by_kind["interim"][1].period_end,
            by_kind["interim"][1].due_date) == (D(2025, 1, 1), D(2025, 8, 31), D(2025, 9, 15))
    assert [s.label for s in by_kind["annual"]] == [f"Helår {y}" for y in range(2024, 2028)]
    assert by_kind["annual"][0].due_date == D(2025, 1, 31)
    [evaluation] = by_kind["evaluation"]
    assert evaluation.label == "Utvärdering 2027"
    assert (evaluation.period_start, evaluation.period_end, evaluation.due_date) == (
        D(2024, 1, 1), D(2027, 12, 31), D(2027, 12, 31))
    assert set(by_kind) == {"monthly", "interim", "annual", "evaluation"}
    assert len(specs) == 48 + 4 + 4 + 1


def test_seed_004_three_times_a_year_in_two_forums_gives_one_set_of_rounds():
    specs = lay_out(D(2016, 1, 1), D(2018, 12, 31),
                    [PlanEntry("times_per_year", times_per_year=3, forum_id=1),
                     PlanEntry("times_per_year", times_per_year=3, forum_id=2)])
    assert len(specs) == 9
    assert specs[0].label == "Uppföljning 1 av 3 2016"
    assert [(s.period_start, s.period_end) for s in specs[:3]] == [
        (D(2016, 1, 1), D(2016, 4, 30)), (D(2016, 5, 1), D(2016, 8, 31)),
        (D(2016, 9, 1), D(2016, 12, 31))]
    assert specs[0].due_date == D(2016, 5, 15)
    assert all(s.forum_ids == [1, 2] for s in specs)


def test_seed_002_end_of_period():
    [spec] = lay_out(D(2021, 1, 1), D(2024, 12, 31), [PlanEntry("end_of_period", year=2024)])
    assert spec.kind == "end_of_period"
    assert (spec.period_start, spec.period_end, spec.due_date) == (
        D(2021, 1, 1), D(2024, 12, 31), D(2025, 1, 30))
    assert spec.label == "Uppföljning vid periodens slut 2021–2024"


def test_tertials_and_uneven_times_per_year():
    specs = lay_out(D(2025, 3, 1), D(2025, 12, 31), [PlanEntry("tertial")])
    assert [s.label for s in specs] == ["T1 2025", "T2 2025", "T3 2025"]
    assert specs[1].period_start == D(2025, 5, 1) and specs[1].period_end == D(2025, 8, 31)
    five = lay_out(D(2025, 1, 1), D(2025, 12, 31), [PlanEntry("times_per_year",
                                                              times_per_year=5)])
    assert len(five) == 5 and five[0].period_start == D(2025, 1, 1)
    assert five[-1].period_end == D(2025, 12, 31)
    assert all(a.period_end + dt.timedelta(days=1) == b.period_start
               for a, b in zip(five, five[1:], strict=False))


# -- the service that writes them -------------------------------------------------------------

def test_lay_out_rounds_is_idempotent_and_respects_moved_and_hand_added(plan, world):
    created = services.lay_out_rounds(plan.agreement, actor=world.coordinator)
    # Delår 2 2025 was added by hand before: not added again.
    assert len(created) == 48 + 4 + 4 + 1 - 1
    assert FollowUpRound.objects.filter(agreement=plan.agreement, label="Delår 2 2025"
                                        ).count() == 1
    helar = FollowUpRound.objects.get(agreement=plan.agreement, label="Helår 2025")
    assert helar.forum == plan.kug and helar.source_entry is not None
    services.update_round(helar, actor=world.coordinator, due_date=dt.date(2026, 2, 15))
    services.cancel_round(FollowUpRound.objects.get(agreement=plan.agreement,
                                                    label="Helår 2024"),
                          actor=world.coordinator)
    before = AuditEntry.objects.count()
    assert services.lay_out_rounds(plan.agreement, actor=world.coordinator) == []
    assert AuditEntry.objects.count() == before
    helar.refresh_from_db()
    assert helar.due_date == dt.date(2026, 2, 15)


def test_entries_proposed_from_text_then_laid_out(world):
    agreement = agreements.create_agreement(
        actor=world.other_municipality_user, municipality=world.karlshamn,
        title="Samverkansöverenskommelse mellan Karlshamns kommun och Polismyndigheten för "
              "ökad trygghet", start_date=D(2021, 1, 1), end_date=D(2024, 12, 31),
        followup_text=SEED_002)
    [entry] = services.propose_entries_from_text(agreement, actor=world.other_municipality_user)
    assert (entry.kind, entry.year) == ("end_of_period", 2024)
    assert services.propose_entries_from_text(agreement,
                                              actor=world.other_municipality_user) == []
    [round] = services.lay_out_rounds(agreement, actor=world.other_municipality_user)
    assert round.municipality == world.karlshamn and round.due_date == D(2025, 1, 30)


def test_add_move_and_cancel_a_round(plan, world):
    extra = services.add_round(actor=world.coordinator, agreement=plan.agreement,
                               label="Extra uppföljning inför KUG", period_start=D(2025, 9, 1),
                               period_end=D(2025, 10, 31))
    assert extra.kind == "custom" and extra.due_date == D(2025, 11, 15)
    services.update_round(extra, actor=world.coordinator, period_end=D(2025, 11, 30),
                          due_date=D(2025, 12, 5))
    extra.refresh_from_db()
    assert extra.period_end == D(2025, 11, 30)
    services.cancel_round(extra, actor=world.coordinator)
    assert extra.status == "cancelled"
    with pytest.raises(ValidationError):
        services.update_round(extra, actor=world.coordinator, period_end=D(2025, 8, 1))


def test_round_cannot_use_another_agreements_forum(plan, world):
    other = agreements.create_agreement(actor=world.coordinator, municipality=world.eskilstuna,
                                        title="Samverkansöverenskommelse 2016–2018",
                                        start_date=D(2016, 1, 1), end_date=D(2018, 12, 31))
    styrgrupp = agreements.create_forum(actor=world.coordinator, agreement=other,
                                        name="Styrgrupp", kind="steering_group")
    with pytest.raises(ValidationError):
        services.add_round(actor=world.coordinator, agreement=plan.agreement, label="X",
                           period_start=D(2025, 1, 1), period_end=D(2025, 2, 1),
                           forum=styrgrupp)
