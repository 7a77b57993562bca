from rest_framework.test import APIRequestFactory

from samverkan.agreements.services import create_agreement, create_focus_area
from samverkan.meetings.api import DecisionSerializer


def test_a_decision_cannot_name_a_focus_area_the_user_cannot_see(world):
    agreement = create_agreement(actor=world.coordinator, municipality=world.eskilstuna,
                                 title="Samverkansöverenskommelse 2024–2027",
                                 start_date="2024-01-01", end_date="2027-12-31")
    focus_area = create_focus_area(actor=world.coordinator, agreement=agreement,
                                   title="Trygga det offentliga rummet")
    request = APIRequestFactory().post("/")
    data = {"text": "KUG beslutar", "create_activity": {"focus_area": focus_area.pk,
                                                        "title": "Nattvandring"}}
    for user, ok in ((world.other_municipality_user, False), (world.coordinator, True)):
        request.user = user
        serializer = DecisionSerializer(data=data, context={"request": request})
        serializer.is_valid()
        assert ("focus_area" not in serializer.errors.get("create_activity", {})) is ok
