"""Every situation model checked the same way (anonymous, no role, other municipality,
reader, restricted, one audit entry per write); the two without an API (the yearly picture's
texts, the weekly picture's mailing log) through their pages and forms."""
import json

import pytest
from django.urls import reverse
from shapely.geometry import mapping

from samverkan.agreements.tests.seed import eskilstuna_agreement, eskilstuna_focus_area
from samverkan.core.testing import PageModelAccessTests, ScopedModelAccessTests
from samverkan.situation import services, weekly, yearly
from samverkan.situation.models import Category, WeeklyPictureMailing, YearlyPicture
from samverkan.situation.picture import Week

from .helpers import CENTRUM, FRISTADSTORGET, categories, centrum, incident

pytestmark = pytest.mark.django_db


class TestCategoryAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/categories/"

    def page_url(self, obj):
        return None  # a filtered list, not a record page

    def make(self, world):
        return services.create_category(actor=world.coordinator, municipality=world.eskilstuna,
                                        slug="trygghetsvandring", name="Fynd vid trygghetsvandring")

    def create_payload(self, world):
        return {"municipality": "0484", "slug": "belysning", "name": "Trasig belysning"}

    def update_payload(self, obj, world):
        return {"name": "Fynd vid trygghetsvandringen"}


class TestAreaAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/areas/"

    def make(self, world):
        return centrum(world)

    def create_payload(self, world):
        return {"municipality": "0484", "name": "Årby", "kind": "priority_area",
                "geometry": json.loads(json.dumps(mapping(CENTRUM)))}

    def update_payload(self, obj, world):
        return {"name": "Eskilstuna centrum"}


class TestIncidentAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/incidents/"

    @pytest.fixture(autouse=True)
    def _categories(self, world):
        self.categories = categories(world)  # before the audit counts are taken

    def make(self, world):
        return incident(world)

    def create_payload(self, world):
        cat = self.categories["skadegorelse"]
        return {"municipality": "0484", "category": cat.pk,
                "occurred_at": "2024-05-04T01:10:00+02:00", "lat": FRISTADSTORGET[0],
                "lon": FRISTADSTORGET[1], "description": "Krossad glasruta i busskuren."}

    def update_payload(self, obj, world):
        return {"description": "Klotter på fasaden, sanerat."}


class TestNothingToReportAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/nothing-to-report/"

    def page_url(self, obj):
        return None  # the checklist is per user, not a record page

    def make(self, world):
        return services.record_nothing_to_report(
            actor=world.coordinator, municipality=world.eskilstuna, iso_year=2024, iso_week=18,
            place_text="Fristadstorget")

    def create_payload(self, world):
        return {"municipality": "0484", "iso_year": 2024, "iso_week": 19,
                "place_text": "Järntorget"}

    def update_payload(self, obj, world):
        return {"note": "Lugnt hela veckan."}


class TestCrimeStatisticAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/crime-statistics/"

    def page_url(self, obj):
        return None  # the statistics page shows the user's municipality, not a record

    def make(self, world):
        row, _outcome = services.save_crime_statistic(
            actor=world.coordinator, municipality=world.eskilstuna, year=2021,
            category="3 kap. Brott mot liv och hälsa", source="sol", per_100k=1034.0)
        row.confidentiality = "internal"  # the access rules, not the public default
        row.save()
        return row

    def create_payload(self, world):
        return {"municipality": "0484", "year": 2021, "category": "Anmälda brott totalt",
                "count": 14000, "source": "bra-csv"}

    def update_payload(self, obj, world):
        return {"per_100k": 1035.0}


class TestEstWeekNoteAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/est-notes/"

    def page_url(self, obj):
        return None

    def make(self, world):
        return services.save_week_note(
            actor=world.coordinator, municipality=world.eskilstuna, iso_year=2024, iso_week=18,
            text="Ungdomar samlas vid Fristadstorget fredag och lördag kväll.")

    def create_payload(self, world):
        return {"municipality": "0484", "iso_year": 2024, "iso_week": 19,
                "text": "Klotter vid Järntorget sanerat inom 24 timmar."}

    def update_payload(self, obj, world):
        return {"text": "Ungdomar samlas vid Fristadstorget fredag kväll."}


class TestEstMeasureAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/est-measures/"

    def page_url(self, obj):
        return None

    def make(self, world):
        return services.create_measure(
            actor=world.coordinator, municipality=world.eskilstuna, iso_year=2024, iso_week=18,
            organization=world.police_org, what="Förstärkt närvaro vid Fristadstorget "
            "fredag och lördag 23-04.")

    def create_payload(self, world):
        return {"municipality": "0484", "iso_year": 2024, "iso_week": 18,
                "responsible": "Fastighetsägarnätverket", "what": "Sanera klotter inom 24 timmar."}

    def update_payload(self, obj, world):
        return {"status": "done"}


class TestFocusAreaWatchAccess(ScopedModelAccessTests):
    api_base = "/api/v1/situation/focus-area-watches/"

    @pytest.fixture(autouse=True)
    def _focus_areas(self, world):
        agreement = eskilstuna_agreement(world)
        self.focus_areas = [eskilstuna_focus_area(world, agreement, index=i,
                                                  with_sub_goals=False) for i in (0, 1)]
        self.categories = categories(world)

    def make(self, world):
        return services.set_focus_area_watch(
            self.focus_areas[0], actor=world.coordinator,
            categories=[self.categories["hot_vald"]])

    def create_payload(self, world):
        return {"focus_area": self.focus_areas[1].pk,
                "categories": [self.categories["klotter"].pk]}

    def update_payload(self, obj, world):
        return {"categories": [c.pk for c in Category.objects.filter(
            municipality=world.eskilstuna, slug__in=["hot_vald", "narkotika"])]}


class TestYearlyPictureAccess(PageModelAccessTests):
    TEXT = "Klottret ökar kring Järntorget."

    def make(self, world):
        return yearly.save_yearly_picture(actor=world.coordinator, municipality=world.eskilstuna,
                                          year=2025, analysis=self.TEXT)

    def page_url(self, obj):
        return obj.get_absolute_url()

    def shown(self, obj):
        return self.TEXT

    def write_url(self, obj):
        return reverse("situation:yearly_edit") + f"?year={obj.year}"

    def write_data(self, obj):
        return {"who_is_affected": "", "other_information": "", "sources_note": "",
                "analysis": "Klottret minskar kring Järntorget."}

    def changed(self, obj):
        return not YearlyPicture.objects.filter(pk=obj.pk, analysis=obj.analysis).exists()

    def test_coordinator_cannot_overwrite_texts_they_cannot_read(self, world, client):
        """Texts restricted to the police: the municipality's coordinator does not see them,
        and saving the year's texts does not overwrite them (refused with a message)."""
        obj = self.make(world)
        obj.confidentiality = "restricted"
        obj.save()
        obj.restricted_to.set([world.police_org])
        client.force_login(world.coordinator)
        response = client.post(self.write_url(obj), self.write_data(obj))
        assert response.status_code == 200 and not self.changed(obj)
        assert "begränsad" in response.content.decode() or "polisen" in response.content.decode()


class TestWeeklyPictureMailingAccess(PageModelAccessTests):
    WEEK = Week(2024, 18)

    def make(self, world):
        pic = weekly.build_weekly(world.coordinator, world.eskilstuna, self.WEEK)
        return weekly.send_weekly_picture(pic, actor=world.coordinator,
                                          recipients=["est@eskilstuna.se"])

    def page_url(self, obj):
        return None  # a log of what was sent: read through `visible_to` (no page shows it)

    def write_url(self, obj):
        return reverse("situation:weekly_send") + f"?week={self.WEEK.param}"

    def write_data(self, obj):
        return {"addresses": "polis@example.se"}

    def changed(self, obj):
        mine = WeeklyPictureMailing.objects.filter(municipality=obj.municipality)
        return mine.count() != 1 or not mine.filter(pk=obj.pk, recipients=obj.recipients,
                                                    subject=obj.subject).exists()
