from samverkan.core.testing import ScopedModelAccessTests
from samverkan.surveys import services
from samverkan.surveys.models import Survey


def make_survey(world, **extra):
    return services.create_survey(actor=world.coordinator, municipality=world.eskilstuna,
                                  name="Polisens trygghetsmätning", year=2025, **extra)


class TestSurveyAccess(ScopedModelAccessTests):
    api_base = "/api/v1/surveys/"

    def make(self, world):
        return make_survey(world)

    def create_payload(self, world):
        return {"municipality": "0484", "name": "Skolenkät", "source": "school", "year": 2024}

    def update_payload(self, obj, world):
        return {"answered": 1234}


class TestSurveyResultAccess(ScopedModelAccessTests):
    api_base = "/api/v1/survey-results/"

    def make(self, world):
        survey = make_survey(world)
        return services.create_result(actor=world.coordinator, survey=survey,
                                      area="Fröslunda", question="Nedskräpning", value=4.1,
                                      n=212)

    def create_payload(self, world):
        # Without an audit entry of its own: the test counts the entries of the create.
        survey = Survey.objects.filter(municipality=world.eskilstuna).first() or \
            Survey.objects.create(municipality=world.eskilstuna, name="Mätning", year=2024)
        return {"survey": survey.pk, "area": "Lagersberg", "question": "", "value": 3.2}

    def update_payload(self, obj, world):
        return {"value": 3.9}

    def page_url(self, obj):
        return None


class TestIndexBandsAccess(ScopedModelAccessTests):
    api_base = "/api/v1/index-bands/"

    def make(self, world):
        return services.set_bands(actor=world.coordinator, municipality=world.eskilstuna,
                                  attention_from=2, act_from=4)

    def create_payload(self, world):
        return {"municipality": "0484", "attention_from": "1.5", "act_from": "3.5"}

    def update_payload(self, obj, world):
        return {"act_from": "4.5"}

    def page_url(self, obj):
        return None
